package io.bifrost.edge.placement;

import io.bifrost.edge.cache.CacheHit;
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
 * unpins and drops it. All three cover both tiers: an object the SSD tier holds is not fetched again (the tier ring
 * looks it up off the caller's thread and promotes it to RAM, the RAM policy permitting), pins hold on the SSD too,
 * and a release drops the object from both. Thread-safe; never blocks on the disk.
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
     * Fill an object unless a fresh copy is already cached: in RAM, answered at once; on the SSD, found by a lookup
     * through the tier ring, which then promotes it to RAM instead of fetching it (a miss there starts the fill).
     *
     * @param key what to fetch.
     * @return false when a fresh copy is in RAM; true when a fill was started or joined, or an SSD lookup was queued.
     */
    public boolean prefetch(final ContentKey key)
    {
        final var hit = ramTier.acquire(key, clock.getAsLong());
        if (hit != null)
        {
            hit.release();
            return false;
        }
        if (tierRing == null || !tierRing.hasSsd() || !tierRing.lookup(key, false, ssdHit -> onSsdLookup(key, ssdHit)))
        {
            coalescer.request(key, IGNORE);
        }
        return true;
    }

    /**
     * On the tier ring's thread: an SSD hit needs no fill (the ring promotes it to RAM after this); a miss does.
     */
    private void onSsdLookup(final ContentKey key, final CacheHit ssdHit)
    {
        if (ssdHit != null)
        {
            ssdHit.release();
        }
        else
        {
            coalescer.request(key, IGNORE);
        }
    }

    /**
     * Pin an object in every tier that holds it. The SSD pin is carried out by the tier ring, so an object only the
     * SSD holds reports pinned from a later call on (callers retry, as they do while a prefetch is running).
     *
     * @param key a cached object.
     * @return true when it is pinned in RAM or on the SSD; false when neither holds it yet (prefetch it first).
     */
    public boolean pin(final ContentKey key)
    {
        final String path = key.path();
        final boolean inRam = ramTier.pin(path);
        if (tierRing == null)
        {
            return inRam;
        }
        tierRing.pin(path);
        return inRam || tierRing.isPinned(path);
    }

    /**
     * Unpin and drop an object from both tiers.
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
