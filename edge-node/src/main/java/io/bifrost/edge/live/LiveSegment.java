package io.bifrost.edge.live;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

import java.util.Arrays;

/**
 * The parts of one segment of one rendition as they arrive, and the segment itself once complete: the concatenation
 * of its parts, built once as a composite over the part buffers (no copy). Guarded by the owning stream's monitor.
 */
final class LiveSegment
{
    private static final ByteBuf[] NO_PARTS = new ByteBuf[0];

    final long msn;
    private ByteBuf[] parts = NO_PARTS;
    private boolean[] gaps = new boolean[0];
    private int endPart = -1;
    private CompositeByteBuf whole;
    private long bytes;

    LiveSegment(final long msn)
    {
        this.msn = msn;
    }

    /**
     * @return true when the part was new (stored), false when it was already there (the buffer is then released).
     */
    boolean put(final int index, final ByteBuf payload, final boolean gap, final boolean segmentEnd)
    {
        if (index >= parts.length)
        {
            final int length = Math.max(index + 1, Math.max(4, parts.length * 2));
            parts = Arrays.copyOf(parts, length);
            gaps = Arrays.copyOf(gaps, length);
        }
        if (parts[index] != null)
        {
            payload.release();
            return false;
        }
        parts[index] = payload;
        gaps[index] = gap;
        bytes += payload.readableBytes();
        if (segmentEnd)
        {
            endPart = index;
        }
        return true;
    }

    boolean has(final int index)
    {
        return index < parts.length && parts[index] != null;
    }

    /**
     * @return the part's bytes (not retained), or null when absent or a gap.
     */
    ByteBuf part(final int index)
    {
        return index < parts.length && !gaps[index] ? parts[index] : null;
    }

    /**
     * @return true when that part was announced as a gap: the origin lost it, so it never comes.
     */
    boolean gap(final int index)
    {
        return index < parts.length && parts[index] != null && gaps[index];
    }

    /**
     * @return the index of the last part when known, else -1.
     */
    int endPart()
    {
        return endPart;
    }

    /**
     * @return true when the last part is known and every part up to it is here (none a gap).
     */
    boolean complete()
    {
        if (endPart < 0)
        {
            return false;
        }
        for (int i = 0; i <= endPart; i++)
        {
            if (parts[i] == null || gaps[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the whole segment (not retained), built on first use; null until {@link #complete()}.
     */
    ByteBuf whole(final ByteBufAllocator allocator)
    {
        if (whole == null)
        {
            if (!complete())
            {
                return null;
            }
            whole = allocator.compositeDirectBuffer(endPart + 1);
            for (int i = 0; i <= endPart; i++)
            {
                whole.addComponent(true, parts[i].retainedDuplicate());
            }
        }
        return whole;
    }

    long bytes()
    {
        return bytes;
    }

    /**
     * Drop the store's references; buffers still being written to viewers stay valid until those writes end.
     */
    void release()
    {
        for (int i = 0; i < parts.length; i++)
        {
            if (parts[i] != null)
            {
                parts[i].release();
                parts[i] = null;
            }
        }
        if (whole != null)
        {
            whole.release();
            whole = null;
        }
        bytes = 0;
    }
}
