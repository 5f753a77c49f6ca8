package io.bifrost.origin.live.passthrough;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer for writing ISO BMFF boxes (ISO/IEC 14496-12 4.2): {@link #startBox} writes a
 * placeholder size, {@link #endBox} patches it. Reused between fragments ({@link #reset()}), so after warm-up writing
 * a fragment allocates nothing. Not thread-safe.
 */
final class BoxBuffer
{
    private static final int MAX_DEPTH = 16;

    private byte[] bytes;
    private int length;
    private final int[] open = new int[MAX_DEPTH];
    private int depth;

    BoxBuffer(final int initialCapacity)
    {
        bytes = new byte[initialCapacity];
    }

    void reset()
    {
        length = 0;
        depth = 0;
    }

    int length()
    {
        return length;
    }

    /**
     * @return a view of the written bytes, valid until the next write.
     */
    ByteBuffer view()
    {
        return ByteBuffer.wrap(bytes, 0, length);
    }

    byte[] toArray()
    {
        return Arrays.copyOf(bytes, length);
    }

    BoxBuffer startBox(final String type)
    {
        open[depth++] = length;
        u32(0);
        fourCc(type);
        return this;
    }

    BoxBuffer startFullBox(final String type, final int version, final int flags)
    {
        startBox(type);
        return u32((version << 24) | (flags & 0xFF_FFFF));
    }

    BoxBuffer endBox()
    {
        final int start = open[--depth];
        putU32(start, length - start);
        return this;
    }

    BoxBuffer u8(final int value)
    {
        ensure(1);
        bytes[length++] = (byte)value;
        return this;
    }

    BoxBuffer u16(final int value)
    {
        ensure(2);
        bytes[length++] = (byte)(value >>> 8);
        bytes[length++] = (byte)value;
        return this;
    }

    BoxBuffer u24(final int value)
    {
        ensure(3);
        bytes[length++] = (byte)(value >>> 16);
        bytes[length++] = (byte)(value >>> 8);
        bytes[length++] = (byte)value;
        return this;
    }

    BoxBuffer u32(final long value)
    {
        ensure(4);
        putU32(length, value);
        length += 4;
        return this;
    }

    BoxBuffer u64(final long value)
    {
        u32(value >>> 32);
        return u32(value);
    }

    BoxBuffer zeros(final int count)
    {
        ensure(count);
        Arrays.fill(bytes, length, length + count, (byte)0);
        length += count;
        return this;
    }

    BoxBuffer fourCc(final String type)
    {
        ensure(4);
        for (int i = 0; i < 4; i++)
        {
            bytes[length++] = (byte)type.charAt(i);
        }
        return this;
    }

    BoxBuffer bytes(final byte[] source, final int offset, final int count)
    {
        ensure(count);
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
        return this;
    }

    /** The unity transformation matrix of mvhd and tkhd (14496-12 8.2.2). */
    BoxBuffer unityMatrix()
    {
        u32(0x0001_0000).u32(0).u32(0);
        u32(0).u32(0x0001_0000).u32(0);
        return u32(0).u32(0).u32(0x4000_0000);
    }

    void putU32(final int at, final long value)
    {
        bytes[at] = (byte)(value >>> 24);
        bytes[at + 1] = (byte)(value >>> 16);
        bytes[at + 2] = (byte)(value >>> 8);
        bytes[at + 3] = (byte)value;
    }

    private void ensure(final int count)
    {
        if (length + count > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
        }
    }
}
