package io.bifrost.transcoder.protection;

/**
 * Reading and patching ISO BMFF box headers (ISO/IEC 14496-12 4.2) in a byte array: 32-bit sizes only (a 64-bit or
 * to-end size is refused, CMAF segments never need one), bounds checked, every failure an
 * {@link IllegalArgumentException}. Stateless.
 */
final class IsoBox
{
    /** Bytes of a box header (size + type). */
    static final int HEADER = 8;
    /** Bytes of a full box's version and flags. */
    static final int FULL_HEADER = HEADER + 4;

    private IsoBox()
    {
    }

    /**
     * @param b     the bytes.
     * @param start where the box starts.
     * @param end   where its parent ends.
     * @return the box size, checked to fit between start and end.
     */
    static int size(final byte[] b, final int start, final int end)
    {
        require(start >= 0 && start + HEADER <= end && end <= b.length, "truncated box header at " + start);
        final long size = u32(b, start);
        require(size >= HEADER && start + size <= end, "box '" + type(b, start) + "' at " + start + " has size " +
            size + ", outside its parent");
        return (int)size;
    }

    static String type(final byte[] b, final int start)
    {
        final char[] type = new char[4];
        for (int i = 0; i < 4; i++)
        {
            final int c = b[start + 4 + i] & 0xFF;
            type[i] = c >= 0x20 && c < 0x7F ? (char)c : '?';
        }
        return new String(type);
    }

    static boolean is(final byte[] b, final int start, final String type)
    {
        for (int i = 0; i < 4; i++)
        {
            if ((b[start + 4 + i] & 0xFF) != type.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the start of the first child of the given type between from and to, or -1.
     */
    static int find(final byte[] b, final int from, final int to, final String type)
    {
        int at = from;
        while (at < to)
        {
            final int size = size(b, at, to);
            if (is(b, at, type))
            {
                return at;
            }
            at += size;
        }
        return -1;
    }

    /**
     * @return like {@link #find}, but a missing box is an error.
     */
    static int require(final byte[] b, final int from, final int to, final String type)
    {
        final int at = find(b, from, to, type);
        require(at >= 0, "no '" + type + "' box where one is required");
        return at;
    }

    static long u32(final byte[] b, final int at)
    {
        require(at >= 0 && at + 4 <= b.length, "truncated field at " + at);
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }

    static int u16(final byte[] b, final int at)
    {
        require(at >= 0 && at + 2 <= b.length, "truncated field at " + at);
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static void putU32(final byte[] b, final int at, final long value)
    {
        b[at] = (byte)(value >>> 24);
        b[at + 1] = (byte)(value >>> 16);
        b[at + 2] = (byte)(value >>> 8);
        b[at + 3] = (byte)value;
    }

    /** Add delta to the 32-bit size of the box at start. */
    static void grow(final byte[] b, final int start, final int delta)
    {
        final long size = u32(b, start) + delta;
        require(size <= 0xFFFF_FFFFL, "box grows past 4 GiB");
        putU32(b, start, size);
    }

    static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
