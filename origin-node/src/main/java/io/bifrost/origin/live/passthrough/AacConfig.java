package io.bifrost.origin.live.passthrough;

import java.util.Arrays;

/**
 * An MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1), as an FLV AAC sequence header carries it: checked, with
 * the sample rate, channel count and samples per frame the muxer needs. Explicitly signalled SBR/PS (HE-AAC) is
 * described by its core (the sample rate of the AAC layer, 1024 samples per frame at that rate). Immutable.
 *
 * @param config          the bytes as received (the DecoderSpecificInfo of the {@code esds} box).
 * @param objectType      audioObjectType (2 = AAC-LC).
 * @param sampleRateHz    sampling frequency of the AAC core.
 * @param channels        channel count (2 when the config defers to a program config element).
 * @param samplesPerFrame 1024, or 960 when frameLengthFlag is set.
 */
public record AacConfig(byte[] config, int objectType, int sampleRateHz, int channels, int samplesPerFrame)
{
    /** Longest config accepted; AAC-LC needs 2 bytes. */
    public static final int MAX_CONFIG_BYTES = 64;
    /** samplingFrequencyIndex values 0..12 (14496-3 table 1.18); 15 means an explicit 24-bit rate. */
    private static final int[] SAMPLE_RATES = { 96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000,
        11025, 8000, 7350 };
    private static final int ESCAPE_OBJECT_TYPE = 31;
    private static final int EXPLICIT_RATE = 15;
    private static final int SBR = 5;
    private static final int PS = 29;
    /** Channel counts of channelConfiguration 1..7 (14496-3 table 1.19). */
    private static final int[] CHANNELS = { 0, 1, 2, 3, 4, 5, 6, 8 };

    /**
     * @param data   the bytes.
     * @param offset where the config starts.
     * @param length how many bytes it may span.
     * @return the parsed config.
     * @throws MediaFormatException when the bytes are not a usable AAC config.
     */
    public static AacConfig parse(final byte[] data, final int offset, final int length)
    {
        if (length < 2 || length > MAX_CONFIG_BYTES)
        {
            throw new MediaFormatException("AAC sequence header of " + length + " bytes (expected 2.." +
                MAX_CONFIG_BYTES + ")");
        }
        final BitReader in = new BitReader(data, offset, length, "AAC AudioSpecificConfig");
        int objectType = objectType(in);
        int sampleRate = sampleRate(in);
        final int channelConfig = in.bits(4);
        if (SBR == objectType || PS == objectType)
        {
            sampleRate(in); // extension sampling frequency: the core rate stays the timescale
            objectType = objectType(in);
        }
        if (objectType < 1 || objectType > 4 && objectType != 6 && objectType != 7 && (objectType < 17 ||
            objectType > 23))
        {
            throw new MediaFormatException("AAC audio object type " + objectType + " is not supported " +
                "(passthrough supports H.264/AAC; use transcode)");
        }
        final boolean shortFrames = in.flag(); // GASpecificConfig frameLengthFlag
        if (channelConfig >= CHANNELS.length)
        {
            throw new MediaFormatException("AAC channel configuration " + channelConfig + " is reserved");
        }
        final int channels = 0 == channelConfig ? 2 : CHANNELS[channelConfig];
        return new AacConfig(Arrays.copyOfRange(data, offset, offset + length), objectType, sampleRate, channels,
            shortFrames ? 960 : 1024);
    }

    private static int objectType(final BitReader in)
    {
        final int type = in.bits(5);
        return ESCAPE_OBJECT_TYPE == type ? 32 + in.bits(6) : type;
    }

    private static int sampleRate(final BitReader in)
    {
        final int index = in.bits(4);
        if (EXPLICIT_RATE == index)
        {
            final int rate = in.bits(24);
            if (rate < 1000 || rate > 192_000)
            {
                throw new MediaFormatException("AAC sample rate " + rate + " Hz is out of range");
            }
            return rate;
        }
        if (index >= SAMPLE_RATES.length)
        {
            throw new MediaFormatException("AAC samplingFrequencyIndex " + index + " is reserved");
        }
        return SAMPLE_RATES[index];
    }

    /**
     * @return the RFC 6381 codec string, e.g. {@code mp4a.40.2}.
     */
    public String codecString()
    {
        return "mp4a.40." + objectType;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof AacConfig that && Arrays.equals(config, that.config);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(config);
    }

    @Override
    public String toString()
    {
        return "AacConfig{" + codecString() + ' ' + sampleRateHz + " Hz " + channels + " ch}";
    }
}
