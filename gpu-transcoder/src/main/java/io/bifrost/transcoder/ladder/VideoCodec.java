package io.bifrost.transcoder.ladder;

/**
 * Video encodings a ladder can carry. H.264 is always planned (every player plays it); the others are opt-in
 * extra ladders at a fraction of the H.264 bitrate, each paired with the audio codec its players expect.
 */
public enum VideoCodec
{
    /** H.264 High via libx264, with AAC. */
    H264("libx264", "", 1.0, AudioCodec.AAC),
    /** HEVC Main via libx265 (tagged hvc1 for Apple players), with AAC. */
    HEVC("libx265", "-hevc", 0.6, AudioCodec.AAC),
    /** VP9 profile 0 via libvpx-vp9, with Opus. */
    VP9("libvpx-vp9", "-vp9", 0.65, AudioCodec.OPUS),
    /** AV1 via libsvtav1, with Opus. */
    AV1("libsvtav1", "-av1", 0.5, AudioCodec.OPUS);

    private final String encoder;
    private final String suffix;
    private final double bitrateFactor;
    private final AudioCodec audio;

    VideoCodec(final String encoder, final String suffix, final double bitrateFactor, final AudioCodec audio)
    {
        this.encoder = encoder;
        this.suffix = suffix;
        this.bitrateFactor = bitrateFactor;
        this.audio = audio;
    }

    /**
     * @return the ffmpeg encoder name.
     */
    public String encoder()
    {
        return encoder;
    }

    /**
     * @return appended to the rung label to name the rendition ({@code 720p-vp9}); empty for H.264.
     */
    public String suffix()
    {
        return suffix;
    }

    /**
     * @return the share of the H.264 bitrate this codec needs for similar quality.
     */
    public double bitrateFactor()
    {
        return bitrateFactor;
    }

    /**
     * @return the audio codec played with this video codec.
     */
    public AudioCodec audio()
    {
        return audio;
    }
}
