package io.bifrost.ingest.rtmp.flv;

/**
 * The video codec of a tag: legacy FLV CodecID 7 (AVC) or an Enhanced RTMP FourCC (veovera E-RTMP, ExVideoTagHeader).
 */
public enum VideoCodec
{
    /** H.264: legacy CodecID 7 (FLV spec annex E.4.3.1) or FourCC {@code avc1}. */
    AVC(fourCc("avc1")),
    /** H.265: FourCC {@code hvc1}. */
    HEVC(fourCc("hvc1")),
    /** AV1: FourCC {@code av01}. */
    AV1(fourCc("av01")),
    /** VP9: FourCC {@code vp09}. */
    VP9(fourCc("vp09")),
    /** Any other legacy CodecID or FourCC; the raw value is in the tag. */
    OTHER(0);

    /** Legacy FLV CodecID of AVC (FLV spec annex E.4.3.1). */
    public static final int LEGACY_CODEC_ID_AVC = 7;

    private final int fourCc;

    VideoCodec(final int fourCc)
    {
        this.fourCc = fourCc;
    }

    /**
     * @return the FourCC as a big-endian int, 0 for {@link #OTHER}.
     */
    public int fourCc()
    {
        return fourCc;
    }

    /**
     * @param fourCc a FourCC as read from the wire, big-endian.
     * @return the codec, or {@link #OTHER}.
     */
    public static VideoCodec ofFourCc(final int fourCc)
    {
        for (final VideoCodec codec : values())
        {
            if (codec != OTHER && codec.fourCc == fourCc)
            {
                return codec;
            }
        }
        return OTHER;
    }

    /**
     * @param text four ASCII characters.
     * @return them as a big-endian int.
     */
    public static int fourCc(final String text)
    {
        return (text.charAt(0) << 24) | (text.charAt(1) << 16) | (text.charAt(2) << 8) | text.charAt(3);
    }
}
