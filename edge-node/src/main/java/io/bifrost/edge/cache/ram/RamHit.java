package io.bifrost.edge.cache.ram;

import io.bifrost.edge.cache.CacheHit;
import io.bifrost.edge.cache.CacheTierName;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A RAM-tier hit: the object's metadata and its bytes as a gather of slices over the slab mapping (no copy, no Java
 * heap). The hit holds a reference on the entry; {@link #release()} it once the bytes are written (for Netty: in the
 * write's completion listener), after which the content must not be used.
 */
public final class RamHit implements CacheHit
{
    private final RamTier tier;
    private final RamEntry entry;
    private boolean released;

    RamHit(final RamTier tier, final RamEntry entry)
    {
        this.tier = tier;
        this.entry = entry;
    }

    /**
     * @return the body as views over the slab mapping, one per run of adjacent pages (usually a single view); its own
     * release does not free anything (see {@link #release()}).
     */
    @Override
    public ByteBuf content()
    {
        final PageSlab slab = tier.slab();
        final int[] pages = entry.pages;
        if (pages.length == 0)
        {
            return Unpooled.EMPTY_BUFFER;
        }
        final ByteBuffer[] runs = new ByteBuffer[pages.length];
        int runCount = 0;
        int remaining = entry.length;
        int i = 0;
        while (i < pages.length)
        {
            int j = i + 1;
            while (j < pages.length && slab.adjacent(pages[j - 1], pages[j]))
            {
                j++;
            }
            final int n = (int)Math.min((long)(j - i) * slab.pageBytes(), remaining);
            runs[runCount++] = slab.sliceRun(pages[i], n);
            remaining -= n;
            i = j;
        }
        return runCount == 1 ? Unpooled.wrappedBuffer(runs[0]) :
            Unpooled.wrappedBuffer(Arrays.copyOf(runs, runCount));
    }

    @Override
    public int length()
    {
        return entry.length;
    }

    @Override
    public int status()
    {
        return entry.status;
    }

    @Override
    public String contentType()
    {
        return entry.contentType;
    }

    @Override
    public String etag()
    {
        return entry.etag;
    }

    @Override
    public String cacheControl()
    {
        return entry.cacheControl;
    }

    @Override
    public String lastModified()
    {
        return entry.lastModified;
    }

    /**
     * @param nowMs current time.
     * @return seconds since the object was stored, for the Age header.
     */
    @Override
    public long ageSeconds(final long nowMs)
    {
        return Math.max(0, (nowMs - entry.storedAtMs) / 1000);
    }

    /**
     * @return what the HTTP layer cached for this object's hits with {@link #encodedHead(Object)} (its encoded
     *         response head), or null before the first.
     */
    public Object encodedHead()
    {
        return entry.encodedHead;
    }

    /**
     * Keep a value derived from this object's metadata (which never changes) for its later hits; thread-safe, the last
     * write wins.
     *
     * @param head the HTTP layer's encoded response head for this object.
     */
    public void encodedHead(final Object head)
    {
        entry.encodedHead = head;
    }

    @Override
    public CacheTierName tier()
    {
        return CacheTierName.RAM;
    }

    /**
     * Give the reference back; idempotent.
     */
    @Override
    public void release()
    {
        if (!released)
        {
            released = true;
            tier.release(entry);
        }
    }
}
