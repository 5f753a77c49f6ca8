package io.bifrost.origin.live;

/**
 * A live rendition's CMAF header ({@code ftyp} + {@code moov}) as served at {@code init.mp4}, with what the packager
 * reads from it.
 *
 * @param bytes                the header bytes, served as-is; never modified.
 * @param trackId              the track id of its single track.
 * @param kind                 video or audio, from the handler type.
 * @param timescale            media timescale (ticks per second) from {@code mdhd}.
 * @param codec                RFC 6381 codec string, e.g. {@code avc1.64001f} or {@code mp4a.40.2}.
 * @param defaultSampleDuration {@code trex} default sample duration, 0 when none.
 * @param defaultSampleFlags   {@code trex} default sample flags.
 * @param sampleRateHz         audio sample rate, 0 for video.
 * @param channels             audio channel count, 0 for video.
 */
public record InitSegment(
    byte[] bytes,
    int trackId,
    TrackKind kind,
    long timescale,
    String codec,
    long defaultSampleDuration,
    int defaultSampleFlags,
    int sampleRateHz,
    int channels)
{
}
