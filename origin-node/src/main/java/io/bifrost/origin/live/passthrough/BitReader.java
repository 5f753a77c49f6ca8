package io.bifrost.origin.live.passthrough;

/**
 * Reads bits most significant first from a byte range, with the Exp-Golomb codes of H.264 (ITU-T H.264 9.1). Every
 * read is bounds-checked: running past the end throws {@link MediaFormatException}, never an index error. Not
 * thread-safe.
 */
final class BitReader
{
    /** ue(v) with more leading zeros than this does not fit 32 bits (H.264 9.1). */
    private static final int MAX_LEADING_ZEROS = 31;

    private final byte[] data;
    private final int end;
    private final String what;
    private long bitPosition;

    BitReader(final byte[] data, final int offset, final int length, final String what)
    {
        this.data = data;
        this.end = offset + length;
        this.bitPosition = (long)offset * 8;
        this.what = what;
    }

    int bit()
    {
        if (bitPosition >= (long)end * 8)
        {
            throw new MediaFormatException(what + " ends too early");
        }
        final int value = (data[(int)(bitPosition >>> 3)] >>> (7 - (int)(bitPosition & 7))) & 1;
        bitPosition++;
        return value;
    }

    int bits(final int count)
    {
        int value = 0;
        for (int i = 0; i < count; i++)
        {
            value = (value << 1) | bit();
        }
        return value;
    }

    boolean flag()
    {
        return 1 == bit();
    }

    /** @return an unsigned Exp-Golomb value, at most 2^31 - 2. */
    int ue()
    {
        int zeros = 0;
        while (0 == bit())
        {
            if (++zeros > MAX_LEADING_ZEROS - 1)
            {
                throw new MediaFormatException(what + " has an Exp-Golomb code longer than 31 bits");
            }
        }
        return (int)((1L << zeros) - 1 + bits(zeros));
    }

    /** @return a signed Exp-Golomb value. */
    int se()
    {
        final int code = ue();
        return 0 == (code & 1) ? -(code >>> 1) : (code + 1) >>> 1;
    }

    /**
     * @param max the largest acceptable value.
     * @param name the syntax element, for the message.
     * @return an unsigned Exp-Golomb value no larger than {@code max}.
     */
    int ue(final int max, final String name)
    {
        final int value = ue();
        if (value > max)
        {
            throw new MediaFormatException(what + ": " + name + " " + value + " is larger than " + max);
        }
        return value;
    }
}
