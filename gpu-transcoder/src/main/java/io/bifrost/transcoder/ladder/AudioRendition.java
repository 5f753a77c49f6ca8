package io.bifrost.transcoder.ladder;

/**
 * One planned audio-only output (48 kHz stereo).
 *
 * @param name         folder and rendition id, e.g. {@code audio}.
 * @param codec        the audio codec.
 * @param bitrateBps   target bitrate.
 * @param sampleRateHz output sample rate.
 * @param channels     output channels.
 */
public record AudioRendition(String name, AudioCodec codec, long bitrateBps, int sampleRateHz, int channels)
{
    /** Output sample rate for every audio rendition. */
    public static final int SAMPLE_RATE_HZ = 48_000;
    /** Output channels for every audio rendition. */
    public static final int CHANNELS = 2;
}
