package io.bifrost.edge.ring;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.SleepingWaitStrategy;
import io.bifrost.edge.cache.CacheHit;
import io.bifrost.edge.cache.ResponseMeta;
import io.bifrost.edge.cache.ram.Freshness;
import io.bifrost.edge.cache.ram.RamDemotion;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.cache.ssd.SsdHit;
import io.bifrost.edge.cache.ssd.SsdTier;
import io.bifrost.edge.fill.FillHead;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The ring between the event loops and the cache tiers' blocking work: SSD reads and writes, and (with
 * {@code edge.ram-hit-path=ring}) RAM lookups too. One dedicated thread owns the {@link SsdTier} (which is
 * single-threaded), so RocksDB never runs on an event loop.
 *
 * <p>Lookups: the event loop publishes the request; the ring thread looks in RAM (ring mode only), then on the SSD,
 * and hands the hit, or null for a miss, to the {@link LookupCallback}, which moves it back to the connection's event
 * loop. An SSD hit is then promoted to the RAM tier (the RAM policy decides), on the ring thread, after the callback.
 * Stale lookups ({@link #lookupStale}) find an expired SSD copy within its stale-if-error window when every origin
 * failed; they are never promoted.
 *
 * <p>Placement: {@link #pin} and {@link #unpin} pin objects on the SSD (the SSD policy never evicts them); the outcome
 * is mirrored in a small concurrent set, so {@link #isPinned} answers any thread at once. The set holds only pinned
 * paths (as many as the control plane pins).
 *
 * <p>Writes: completed fills ({@link #offerFill}) and RAM evictions of objects that were hit ({@link RamDemotion})
 * are queued with a reference to their bytes, and written when the SSD's admission and policy take them. Bytes
 * waiting to be written are bounded by {@code maxPendingWriteBytes}; beyond it, or when the ring is full, an offer
 * is dropped and counted ({@code bifrost.edge.cache.offers.dropped{tier=ssd}}); a full ring on a lookup makes the
 * caller fall back (RAM inline, SSD skipped). Thread-safe for producers.
 */
public final class TierRing implements RamDemotion, AutoCloseable
{
    /** Default slots. */
    public static final int DEFAULT_SLOTS = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(TierRing.class);

    /**
     * Receives the result of a lookup on the ring thread; must hand it to its own thread and never block.
     */
    @FunctionalInterface
    public interface LookupCallback
    {
        /**
         * @param hit the hit (the callback owns it and must release it), or null on a miss.
         */
        void onLookup(CacheHit hit);
    }

    private final RamTier ramTier;
    private final SsdTier ssdTier;
    private final LongSupplier clock;
    private final long maxPendingWriteBytes;
    private final AtomicLong pendingWriteBytes = new AtomicLong();
    private final EventRing<TierTask> ring;
    private final Counter offersDropped;
    private final Counter errors;
    private final Set<String> pinned = ConcurrentHashMap.newKeySet();
    private final Set<String> pinsQueued = ConcurrentHashMap.newKeySet();

    /**
     * @param ramTier              the RAM tier (looked up in ring mode, promoted to on SSD hits).
     * @param ssdTier              the SSD tier, owned by the ring's thread from now on; null when disabled.
     * @param slots                ring size, a power of two.
     * @param maxPendingWriteBytes most bytes queued for SSD writes.
     * @param clock                epoch milliseconds.
     * @param registry             where the ring's meters go.
     */
    public TierRing(
        final RamTier ramTier,
        final SsdTier ssdTier,
        final int slots,
        final long maxPendingWriteBytes,
        final LongSupplier clock,
        final MeterRegistry registry)
    {
        this.ramTier = ramTier;
        this.ssdTier = ssdTier;
        this.clock = clock;
        this.maxPendingWriteBytes = maxPendingWriteBytes;
        offersDropped = Counter.builder("bifrost.edge.cache.offers.dropped").tag("tier", "ssd")
            .description("objects not offered to the SSD because the write queue was full").register(registry);
        errors = Counter.builder("bifrost.edge.ring.errors").tag("ring", "tier")
            .description("SSD reads or writes that failed (treated as misses or skipped writes)").register(registry);
        final EventHandler<TierTask> handler = (task, sequence, endOfBatch) -> handle(task);
        ring = new EventRing<>("tier", slots, TierTask::new, handler, new SleepingWaitStrategy(), registry);
    }

    /**
     * @return true when an SSD tier is behind this ring.
     */
    public boolean hasSsd()
    {
        return ssdTier != null;
    }

    /**
     * Look an object up off the event loop.
     *
     * @param key      the request.
     * @param ramFirst look in the RAM tier first (ring mode); false when the caller already missed RAM inline.
     * @param callback receives the result on the ring thread, exactly once when this returns true.
     * @return false when the ring is full: the caller must carry on without it.
     */
    public boolean lookup(final ContentKey key, final boolean ramFirst, final LookupCallback callback)
    {
        final long sequence = ring.claim();
        if (sequence < 0)
        {
            return false;
        }
        ring.slot(sequence).lookup(key, ramFirst, callback);
        ring.publish(sequence);
        return true;
    }

    /**
     * Look for an expired SSD copy to stand in for a failing origin (stale-if-error), off the event loop.
     *
     * @param key      the request.
     * @param callback receives the stale hit or null on the ring thread, exactly once when this returns true.
     * @return false when there is no SSD tier or the ring is full: the caller answers without it.
     */
    public boolean lookupStale(final ContentKey key, final LookupCallback callback)
    {
        if (ssdTier == null)
        {
            return false;
        }
        final long sequence = ring.claim();
        if (sequence < 0)
        {
            return false;
        }
        ring.slot(sequence).staleLookup(key, callback);
        ring.publish(sequence);
        return true;
    }

    /**
     * Pin an object on the SSD if it is there (placement PIN); queued, never blocks. One request per path is queued at
     * a time, so a caller that retries until {@link #isPinned} is true does not flood the ring.
     *
     * @param path the object.
     */
    public void pin(final String path)
    {
        if (ssdTier == null || pinned.contains(path) || !pinsQueued.add(path))
        {
            return;
        }
        if (!queuePlacement(TierTask.Kind.PIN, path))
        {
            pinsQueued.remove(path);
        }
    }

    /**
     * Make a pinned SSD object evictable again (placement RELEASE); queued, never blocks.
     *
     * @param path the object.
     */
    public void unpin(final String path)
    {
        if (ssdTier != null)
        {
            pinned.remove(path);
            queuePlacement(TierTask.Kind.UNPIN, path);
        }
    }

    /**
     * @param path an object.
     * @return true when the SSD holds it pinned (as of the last pin, unpin or removal the ring carried out).
     */
    public boolean isPinned(final String path)
    {
        return pinned.contains(path);
    }

    /**
     * Offer a completed fill to the SSD (called on the fill's thread; takes a reference to the body, never blocks).
     *
     * @param key  what was filled.
     * @param head the origin head.
     * @param body the complete body, borrowed.
     */
    public void offerFill(final ContentKey key, final FillHead head, final ByteBuf body)
    {
        if (ssdTier == null || head.status() != 200 || head.contentLength() != body.readableBytes())
        {
            return;
        }
        final long nowMs = clock.getAsLong();
        final long ttl = Freshness.ttlMillis(head.headers().get(HttpHeaderNames.CACHE_CONTROL), key.kind());
        if (ttl <= 0 || !ssdTier.keeps(key, nowMs + ttl, nowMs))
        {
            return;
        }
        queueWrite(key, null, ResponseMeta.of(head, nowMs, ttl), body.retainedDuplicate(), false);
    }

    @Override
    public boolean wants(final String path, final int length, final long expiresAtMs)
    {
        return ssdTier != null && !path.endsWith(".m3u8") && !path.endsWith(".mpd") &&
            pendingWriteBytes.get() + length <= maxPendingWriteBytes;
    }

    @Override
    public void demote(final String path, final ResponseMeta meta, final ByteBuf body)
    {
        queueWrite(null, path, meta, body, true);
    }

    /**
     * Drop an object from the SSD (placement release); queued, never blocks.
     *
     * @param path the object.
     */
    public void remove(final String path)
    {
        if (ssdTier != null)
        {
            pinned.remove(path);
            queuePlacement(TierTask.Kind.REMOVE, path);
        }
    }

    private boolean queuePlacement(final TierTask.Kind kind, final String path)
    {
        final long sequence = ring.claim();
        if (sequence < 0)
        {
            return false;
        }
        ring.slot(sequence).placement(kind, path);
        ring.publish(sequence);
        return true;
    }

    private void queueWrite(
        final ContentKey key, final String path, final ResponseMeta meta, final ByteBuf body, final boolean demoted)
    {
        final int length = body.readableBytes();
        if (pendingWriteBytes.addAndGet(length) > maxPendingWriteBytes)
        {
            pendingWriteBytes.addAndGet(-length);
            body.release();
            offersDropped.increment();
            return;
        }
        final long sequence = ring.claim();
        if (sequence < 0)
        {
            pendingWriteBytes.addAndGet(-length);
            body.release();
            offersDropped.increment();
            return;
        }
        ring.slot(sequence).write(key, path, meta, body, demoted);
        ring.publish(sequence);
    }

    private void handle(final TierTask task)
    {
        try
        {
            switch (task.kind)
            {
                case LOOKUP -> lookup(task);
                case STALE_LOOKUP -> staleLookup(task);
                case WRITE -> write(task);
                case REMOVE ->
                {
                    pinned.remove(task.path);
                    ssdTier.remove(task.path);
                }
                case PIN -> pinOnSsd(task.path);
                case UNPIN ->
                {
                    pinned.remove(task.path);
                    ssdTier.unpin(task.path);
                }
            }
        }
        catch (final Exception ex)
        {
            errors.increment();
            if (errors.count() <= 10)
            {
                LOG.warn("tier ring: {} of {} failed: {}", task.kind, task.path(), ex.toString());
            }
            if (task.callback != null)
            {
                task.callback.onLookup(null);
            }
        }
        finally
        {
            if (task.kind == TierTask.Kind.PIN)
            {
                pinsQueued.remove(task.path);
            }
            if (task.body != null)
            {
                pendingWriteBytes.addAndGet(-task.body.readableBytes());
                task.body.release();
            }
            task.clear();
        }
    }

    private void lookup(final TierTask task) throws Exception
    {
        final ContentKey key = task.key;
        final long nowMs = clock.getAsLong();
        final CacheHit ramHit = task.ramFirst ? ramTier.acquire(key, nowMs) : null;
        final SsdHit ssdHit = ramHit == null && ssdTier != null ? ssdTier.lookup(key, nowMs) : null;
        final ByteBuf promote = ssdHit == null ? null : ssdHit.retainedBody();
        final LookupCallback callback = task.callback;
        task.callback = null;
        callback.onLookup(ramHit != null ? ramHit : ssdHit);
        if (promote != null)
        {
            try
            {
                ramTier.store(key, ssdHit.meta(), promote);
            }
            finally
            {
                promote.release();
            }
        }
    }

    private void staleLookup(final TierTask task) throws Exception
    {
        final LookupCallback callback = task.callback;
        task.callback = null;
        callback.onLookup(ssdTier.lookupStale(task.key, clock.getAsLong()));
    }

    private void pinOnSsd(final String path)
    {
        if (ssdTier.pin(path))
        {
            pinned.add(path);
        }
    }

    private void write(final TierTask task) throws Exception
    {
        final ContentKey key = task.key != null ? task.key :
            ContentKeyParser.parse(task.path) instanceof ContentKey parsed ? parsed : null;
        if (key != null)
        {
            ssdTier.offer(key, task.meta, task.body, task.demoted, clock.getAsLong());
        }
    }

    /**
     * Stop taking work, finish what is queued, stop the thread. The SSD tier stays open (its owner closes it).
     */
    @Override
    public void close()
    {
        ring.close();
    }
}
