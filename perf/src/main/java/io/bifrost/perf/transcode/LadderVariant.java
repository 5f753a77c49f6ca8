package io.bifrost.perf.transcode;

/**
 * The ways of encoding the same ladder that the comparison times, in report order (Bifrost first: the ratios are
 * against it).
 */
enum LadderVariant
{
    /** Bifrost's CPU backend as the origin runs it: ffprobe, {@code LadderPlanner}, {@code LadderEncoder}. */
    BIFROST("Bifrost: one ffmpeg, one decode (gpu-transcoder)"),
    /** One ffmpeg per rendition, each decoding the source, one after the other. */
    PER_RENDITION_SEQUENTIAL("one ffmpeg per rendition, sequential"),
    /** One ffmpeg per rendition, each decoding the source, all started at once. */
    PER_RENDITION_PARALLEL("one ffmpeg per rendition, all at once"),
    /** The single split + scale command an operator writes by hand (one HLS muxer, var_stream_map). */
    HAND_WRITTEN("hand-written single ffmpeg (split + scale)");

    private final String label;

    LadderVariant(final String label)
    {
        this.label = label;
    }

    /**
     * @return the row label in the report.
     */
    String label()
    {
        return label;
    }
}
