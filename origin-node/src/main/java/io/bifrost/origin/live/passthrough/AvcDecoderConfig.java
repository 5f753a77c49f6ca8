package io.bifrost.origin.live.passthrough;

import java.util.Arrays;

/**
 * An H.264 decoder configuration record ({@code AVCDecoderConfigurationRecord}, ISO/IEC 14496-15 5.3.3.1), as an FLV
 * AVC sequence header carries it, checked and with the picture size read from its first sequence parameter set.
 * Parsing is defensive: every length is checked against the bytes there are, so malformed input costs a
 * {@link MediaFormatException} and never more memory than the input itself. Immutable.
 *
 * @param record       the record's bytes as received (the {@code avcC} box body).
 * @param profile      AVCProfileIndication.
 * @param compatibility profile_compatibility.
 * @param level        AVCLevelIndication.
 * @param nalLengthSize bytes of the length before each NAL unit in a sample: 1, 2 or 4.
 * @param width        display width in pixels (cropping applied).
 * @param height       display height in pixels (cropping applied).
 */
public record AvcDecoderConfig(byte[] record, int profile, int compatibility, int level, int nalLengthSize, int width,
    int height)
{
    /** Longest record accepted; real ones are well under 1 KiB. */
    public static final int MAX_RECORD_BYTES = 64 * 1024;
    /** NAL unit type of a sequence parameter set (H.264 table 7-1). */
    static final int NAL_SPS = 7;
    /** NAL unit type of a picture parameter set. */
    static final int NAL_PPS = 8;
    /** Largest picture side accepted, pixels. */
    static final int MAX_SIDE = 16_384;

    /**
     * @param data   the bytes.
     * @param offset where the record starts.
     * @param length how many bytes it may span.
     * @return the parsed record.
     * @throws MediaFormatException when the bytes are not a usable record.
     */
    public static AvcDecoderConfig parse(final byte[] data, final int offset, final int length)
    {
        if (length < 7)
        {
            throw new MediaFormatException("AVC sequence header of " + length + " bytes is too short");
        }
        if (length > MAX_RECORD_BYTES)
        {
            throw new MediaFormatException("AVC sequence header of " + length + " bytes is too long");
        }
        final int end = offset + length;
        if (1 != data[offset])
        {
            throw new MediaFormatException("AVC decoder configuration version " + (data[offset] & 0xFF) + " is not 1");
        }
        final int profile = data[offset + 1] & 0xFF;
        final int compatibility = data[offset + 2] & 0xFF;
        final int level = data[offset + 3] & 0xFF;
        final int nalLengthSize = (data[offset + 4] & 0x03) + 1;
        if (3 == nalLengthSize)
        {
            throw new MediaFormatException("AVC NAL length size 3 is not allowed");
        }
        final int spsCount = data[offset + 5] & 0x1F;
        if (0 == spsCount)
        {
            throw new MediaFormatException("AVC sequence header has no sequence parameter set");
        }
        int at = offset + 6;
        int[] size = null;
        for (int i = 0; i < spsCount; i++)
        {
            final int nalLength = nalLength(data, at, end);
            if (0 == i)
            {
                size = AvcSps.pictureSize(data, at + 2, nalLength);
            }
            at += 2 + nalLength;
        }
        if (at >= end)
        {
            throw new MediaFormatException("AVC sequence header ends before its picture parameter sets");
        }
        final int ppsCount = data[at++] & 0xFF;
        if (0 == ppsCount)
        {
            throw new MediaFormatException("AVC sequence header has no picture parameter set");
        }
        for (int i = 0; i < ppsCount; i++)
        {
            final int nalLength = nalLength(data, at, end);
            if ((data[at + 2] & 0x1F) != NAL_PPS)
            {
                throw new MediaFormatException("AVC sequence header: picture parameter set " + i + " is NAL type " +
                    (data[at + 2] & 0x1F));
            }
            at += 2 + nalLength;
        }
        // anything after (the high-profile extension) is kept as received
        return new AvcDecoderConfig(Arrays.copyOfRange(data, offset, end), profile, compatibility, level,
            nalLengthSize, size[0], size[1]);
    }

    private static int nalLength(final byte[] data, final int at, final int end)
    {
        if (at + 2 > end)
        {
            throw new MediaFormatException("AVC sequence header ends inside a parameter set length");
        }
        final int length = ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
        if (0 == length || at + 2 + length > end)
        {
            throw new MediaFormatException("AVC sequence header: parameter set of " + length + " bytes does not fit");
        }
        return length;
    }

    /**
     * @return the RFC 6381 codec string, e.g. {@code avc1.64001f}.
     */
    public String codecString()
    {
        return String.format("avc1.%02x%02x%02x", profile, compatibility, level);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof AvcDecoderConfig that && Arrays.equals(record, that.record);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(record);
    }

    @Override
    public String toString()
    {
        return "AvcDecoderConfig{" + codecString() + ' ' + width + 'x' + height + " nalLength=" + nalLengthSize + '}';
    }
}
