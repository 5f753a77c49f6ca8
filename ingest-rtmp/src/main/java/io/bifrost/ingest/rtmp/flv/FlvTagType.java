package io.bifrost.ingest.rtmp.flv;

/**
 * FLV tag types (FLV specification 10.1, annex E.4.1), equal to the RTMP message type ids that carry them.
 */
public enum FlvTagType
{
    /** TagType 8. */
    AUDIO(8),
    /** TagType 9. */
    VIDEO(9),
    /** TagType 18 (script data, e.g. onMetaData). */
    SCRIPT(18);

    private final int id;

    FlvTagType(final int id)
    {
        this.id = id;
    }

    /**
     * @return the FLV TagType value.
     */
    public int id()
    {
        return id;
    }
}
