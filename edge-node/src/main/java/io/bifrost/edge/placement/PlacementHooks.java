package io.bifrost.edge.placement;

import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.fill.FillCoalescer;
import io.bifrost.edge.fill.FillFailure;
import io.bifrost.edge.fill.FillHead;
import io.bifrost.edge.fill.FillListener;
import io.bifrost.edge.ring.TierRing;
import io.bifrost.protocol.naming.ContentKey;
import io.netty.buffer.ByteBuf;

import java.util.function.LongSupplier;

/**
 * What the control plane's placement commands do on an edge: {@link #prefetch} fills an object into the cache before
 * viewers ask (joining a fill already in flight), {@link #pin} keeps a cached object from eviction, {@link #release}
 * unpins and drops it (from the SSD tier too). Thread-safe.
 */
public final class PlacementHooks
{
    private static final FillListener IGNORE = new FillListener()
    {
        @Override
        public void onHead(final FillHead head)
        {
        }

        @Override
        public void onContent(final ByteBuf chunk)
        {
        }

        @Override
        public void onComplete()
        {
        }

        @Override
        public void onError(final FillFailure failure)
        {
        }
    };

    private final RamTier ramTier;
    private final TierRing tierRing;
    private final FillCoalescer coalescer;
    private final LongSupplier clock;

    /**
     * @param ramTier   the tier objects are kept in.
     * @param coalescer the fill path (a prefetch is a fill without a viewer).
     * @param clock     epoch milliseconds, for freshness.
     */
    public PlacementHooks(final RamTier ramTier, final FillCoalescer coalescer, final LongSupplier clock)
    {
        this(ramTier, null, coalescer, clock);
    }

    /**
     * @param ramTier   the tier objects are kept in.
     * @param tierRing  the ring to the SSD tier, or null when there is none.
     * @param coalescer the fill path (a prefetch is a fill without a viewer).
     * @param clock     epoch milliseconds, for freshness.
     */
    public PlacementHooks(
        final RamTier ramTier, final TierRing tierRing, final FillCoalescer coalescer, final LongSupplier clock)
    {
        this.ramTier = ramTier;
        this.tierRing = tierRing;
        this.coalescer = coalescer;
        this.clock = clock;
    }

    /**
     * Fill an object unless a fresh copy is already cached.
     *
     * @param key what to fetch.
     * @return true when a fill was started or joined, false when the object is already here.
     */
    public boolean prefetch(final ContentKey key)
    {
        final var hit = ramTier.acquire(key, clock.getAsLong());
        if (hit != null)
        {
            hit.release();
            return false;
        }
        coalescer.request(key, IGNORE);
        return true;
    }

    /**
     * @param key a cached object.
     * @return false when it is not cached (prefetch it first).
     */
    public boolean pin(final ContentKey key)
    {
        return ramTier.pin(key.path());
    }

    /**
     * Unpin and drop an object.
     *
     * @param key the object.
     */
    public void release(final ContentKey key)
    {
        ramTier.unpin(key.path());
        ramTier.remove(key.path());
        if (tierRing != null)
        {
            tierRing.remove(key.path());
        }
    }
}
