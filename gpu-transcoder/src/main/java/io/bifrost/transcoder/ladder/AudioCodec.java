package io.bifrost.transcoder.ladder;

/**
 * Audio encodings a ladder can carry, each as its own audio-only rendition (48 kHz stereo).
 */
public enum AudioCodec
{
    /** AAC-LC 128 kbit/s, paired with H.264 and HEVC. */
    AAC("audio", "aac", 128_000, "mp4a.40.2"),
    /** Opus 96 kbit/s, paired with VP9 and AV1. */
    OPUS("audio-opus", "libopus", 96_000, "opus");

    private final String renditionName;
    private final String encoder;
    private final long bitrateBps;
    private final String codecsAttribute;

    AudioCodec(final String renditionName, final String encoder, final long bitrateBps, final String codecsAttribute)
    {
        this.renditionName = renditionName;
        this.encoder = encoder;
        this.bitrateBps = bitrateBps;
        this.codecsAttribute = codecsAttribute;
    }

    /**
     * @return the rendition folder, {@code audio} for AAC.
     */
    public String renditionName()
    {
        return renditionName;
    }

    /**
     * @return the ffmpeg encoder.
     */
    public String encoder()
    {
        return encoder;
    }

    /**
     * @return the target bitrate in bits per second.
     */
    public long bitrateBps()
    {
        return bitrateBps;
    }

    /**
     * @return the RFC 6381 codec string for HLS {@code CODECS} and DASH {@code codecs}.
     */
    public String codecsAttribute()
    {
        return codecsAttribute;
    }

    /**
     * @return the HLS audio group id of this codec.
     */
    public String groupId()
    {
        return "audio-" + name().toLowerCase(java.util.Locale.ROOT);
    }
}
