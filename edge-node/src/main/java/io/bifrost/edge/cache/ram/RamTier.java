package io.bifrost.edge.cache.ram;

import io.bifrost.edge.cache.ResponseMeta;
import io.bifrost.edge.cache.policy.CachePolicy;
import io.bifrost.edge.cache.policy.ContentClass;
import io.bifrost.edge.cache.policy.ContentHints;
import io.bifrost.edge.fill.FillHead;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.function.LongFunction;

/**
 * The edge's RAM tier: object bytes in a memory-mapped {@link PageSlab}, indexed by request path in a persisted
 * Chronicle Map, so a restarted edge comes back warm. Hits are served from the mapping without a copy into the Java
 * heap ({@link RamHit}); a reference count per entry keeps pages alive while a viewer's write is in flight.
 *
 * <p>Admission and eviction are decided by a {@link CachePolicy} (by default the segment-aware policy measured in
 * BENCHMARKS.md), which sees each object as a stable 64-bit id of its path with its content class, track and position;
 * pinned objects (placement) are never evicted. The policy counts whole pages, as the slab does.
 * Freshness comes from the origin's Cache-Control ({@link Freshness});
 * an expired object is a miss, but stays until evicted so it can be served stale while the origin is down. After a restart each object is checked against its CRC32C on its first hit, so bytes that did not reach
 * the page cache before a crash are never served.
 *
 * <p>Objects evicted after at least one hit are offered to a {@link RamDemotion} (the SSD tier) with a copy of their
 * bytes, taken under the monitor before their pages are reused; objects never hit since they were stored are not.
 *
 * <p>Thread-safe: index and allocation are guarded by this object's monitor; page copies and checksums run outside it.
 */
public final class RamTier implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RamTier.class);

    private final PageSlab slab;
    private final RamIndex index;
    private final HashMap<String, RamEntry> resident = new HashMap<>(1024);
    private final Long2ObjectHashMap<RamEntry> byId = new Long2ObjectHashMap<>();
    /** Ids admitted and given pages whose bytes are being copied in (outside the monitor); see {@link #store}. */
    private final LongHashSet storing = new LongHashSet();
    private final CachePolicy policy;
    private final long maxObjectBytes;
    private volatile RamDemotion demotion;
    private long usedBytes;
    private final Counter hits;
    private final Counter misses;
    private final Counter stores;
    private final Counter evictions;
    private final Counter corrupt;
    private final Counter staleServed;

    private RamTier(
        final PageSlab slab,
        final RamIndex index,
        final long maxObjectBytes,
        final CachePolicy policy,
        final MeterRegistry registry)
    {
        this.slab = slab;
        this.policy = policy;
        this.index = index;
        this.maxObjectBytes = maxObjectBytes;
        hits = Counter.builder("bifrost.edge.cache.hits").tag("tier", "ram").register(registry);
        misses = Counter.builder("bifrost.edge.cache.misses").tag("tier", "ram").register(registry);
        stores = Counter.builder("bifrost.edge.cache.stores").tag("tier", "ram").register(registry);
        evictions = Counter.builder("bifrost.edge.cache.evictions").tag("tier", "ram").register(registry);
        corrupt = Counter.builder("bifrost.edge.cache.corrupt").tag("tier", "ram")
            .description("entries dropped because their bytes or index record did not check out").register(registry);
        staleServed = Counter.builder("bifrost.edge.cache.stale.served").tag("tier", "ram")
            .description("expired objects served because the origin could not answer (stale-if-error)").register(registry);
        Gauge.builder("bifrost.edge.cache.used.bytes", this, RamTier::usedBytes).tag("tier", "ram").register(registry);
        Gauge.builder("bifrost.edge.cache.capacity.bytes", slab, s -> (double)s.pageCount() * s.pageBytes())
            .tag("tier", "ram").register(registry);
        Gauge.builder("bifrost.edge.cache.entries", this, RamTier::entries).tag("tier", "ram").register(registry);
    }

    /**
     * Open (or create) the tier in a directory: {@code ram.slab} (payload) and {@code ram.index} (Chronicle Map).
     *
     * @param dir            directory for the two files.
     * @param capacityBytes  payload memory.
     * @param pageBytes      slab page size (power of two, 4 KiB - 1 MiB).
     * @param maxObjectBytes largest object stored; larger ones are served but not kept.
     * @param policyFactory  makes the admission/eviction policy for a capacity in bytes.
     * @param registry       where tier meters are registered.
     * @return the tier, warm with what a previous run left.
     */
    public static RamTier open(
        final Path dir,
        final long capacityBytes,
        final int pageBytes,
        final long maxObjectBytes,
        final LongFunction<CachePolicy> policyFactory,
        final MeterRegistry registry)
    {
        try
        {
            Files.createDirectories(dir);
            final PageSlab slab = new PageSlab(dir.resolve("ram.slab"), capacityBytes, pageBytes);
            final RamIndex index = RamIndex.open(dir.resolve("ram.index"), slab.pageCount());
            final RamTier tier = new RamTier(slab, index, maxObjectBytes,
                policyFactory.apply((long)slab.pageCount() * slab.pageBytes()), registry);
            tier.loadIndex();
            return tier;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open the RAM tier in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    private synchronized void loadIndex()
    {
        final RamIndex.Restored restored = index.restore(slab.pageBytes(), slab.pageCount());
        slab.restore(restored.usedPages());
        int dropped = restored.dropped();
        for (final RamEntry entry : restored.entries())
        {
            final ContentKey key = ContentKeyParser.parse(entry.path) instanceof ContentKey parsed ? parsed : null;
            if (key == null || byId.containsKey(entry.id) ||
                !policy.admit(entry.id, footprint(entry.pages.length), ContentClass.of(key), ContentHints.trackId(key),
                    ContentHints.position(key), this::onEvicted))
            {
                dropped++;
                index.remove(entry.path);
                release(entry);
                continue;
            }
            resident.put(entry.path, entry);
            byId.put(entry.id, entry);
            usedBytes += entry.length;
        }
        corrupt.increment(dropped);
        if (!restored.entries().isEmpty() || dropped > 0)
        {
            LOG.info("RAM tier restored {} objects ({} MiB){}", resident.size(), usedBytes >> 20,
                dropped == 0 ? "" : "; dropped " + dropped + " damaged or unplaceable index entries");
        }
    }

    /**
     * Look an object up; the policy learns of the hit or the miss.
     *
     * @param key   the parsed request.
     * @param nowMs current time, for freshness.
     * @return a hit holding a reference (release it after writing), or null on a miss.
     */
    public RamHit acquire(final ContentKey key, final long nowMs)
    {
        final String path = key.path();
        final RamEntry entry;
        synchronized (this)
        {
            final RamEntry found = resident.get(path);
            if (found == null || !found.isFresh(nowMs) || !found.retain())
            {
                misses.increment();
                policy.onMiss(ContentHints.objectId(path), ContentClass.of(key), ContentHints.trackId(key),
                    ContentHints.position(key));
                return null;
            }
            policy.onHit(found.id);
            found.hits++;
            entry = found;
        }
        return verified(entry, path);
    }

    /**
     * Look up an expired object to serve because the origin cannot answer (stale-if-error). Expired objects stay
     * in the tier until evicted for exactly this; they are never served while the origin answers.
     *
     * @param path             request path.
     * @param nowMs            current time.
     * @param defaultStaleMs   window past expiry when the object's Cache-Control names none.
     * @return a hit, or null when there is no copy or it is too old (or its Cache-Control forbids it).
     */
    public RamHit acquireStale(final String path, final long nowMs, final long defaultStaleMs)
    {
        final RamEntry entry;
        synchronized (this)
        {
            final RamEntry found = resident.get(path);
            if (found == null ||
                nowMs >= found.expiresAtMs + Freshness.staleIfErrorMillis(found.cacheControl, defaultStaleMs) ||
                !found.retain())
            {
                return null;
            }
            entry = found;
        }
        final RamHit hit = verified(entry, path);
        if (hit != null)
        {
            staleServed.increment();
        }
        return hit;
    }

    /**
     * Keep an object from being evicted (placement: the control plane wants it here).
     *
     * @param path request path.
     * @return false when the object is not in the tier.
     */
    public synchronized boolean pin(final String path)
    {
        final RamEntry entry = resident.get(path);
        return entry != null && policy.pin(entry.id);
    }

    /**
     * Let a pinned object be evicted again.
     *
     * @param path request path.
     */
    public synchronized void unpin(final String path)
    {
        final RamEntry entry = resident.get(path);
        if (entry != null)
        {
            policy.unpin(entry.id);
        }
    }

    private RamHit verified(final RamEntry entry, final String path)
    {
        if (!entry.verified)
        {
            if (slab.crc32c(entry.pages, entry.length) != entry.crc32c)
            {
                LOG.warn("RAM tier: {} failed its checksum after restart; dropped, will be filled again", path);
                corrupt.increment();
                remove(path);
                release(entry);
                misses.increment();
                return null;
            }
            entry.verified = true;
        }
        hits.increment();
        return new RamHit(this, entry);
    }

    /**
     * Keep a filled object if the policy admits it, evicting the policy's victims to make room.
     *
     * @param key   the parsed request.
     * @param head  the origin head (only 200 responses with a length are stored).
     * @param body  the complete body; read, not consumed.
     * @param nowMs current time.
     * @return true when stored.
     */
    public boolean store(final ContentKey key, final FillHead head, final ByteBuf body, final long nowMs)
    {
        final long ttl = Freshness.ttlMillis(head.headers().get(HttpHeaderNames.CACHE_CONTROL), key.kind());
        if (head.status() != 200 || ttl <= 0 || body.readableBytes() != head.contentLength())
        {
            return false;
        }
        return store(key, ResponseMeta.of(head, nowMs, ttl), body);
    }

    /**
     * Keep an object that another tier holds (promotion from SSD), with its original fill time and freshness, if
     * the policy admits it.
     *
     * @param key  the parsed request.
     * @param meta status, headers, fill time and expiry.
     * @param body the complete body; read, not consumed.
     * @return true when stored.
     */
    public boolean store(final ContentKey key, final ResponseMeta meta, final ByteBuf body)
    {
        final String path = key.path();
        final int length = body.readableBytes();
        if (meta.status() != 200 || length > maxObjectBytes)
        {
            return false;
        }
        final long id = ContentHints.objectId(path);
        final int pageCount = (length + slab.pageBytes() - 1) / slab.pageBytes();
        final int[] pages;
        synchronized (this)
        {
            // One store of a path at a time: a second one (a fill and a promotion finishing together) would be admitted
            // again as "already resident", get pages of its own, and leave the first one's pages unreachable.
            if (storing.contains(id))
            {
                return false;
            }
            final RamEntry previous = byId.get(id);
            if (previous != null)
            {
                removeLocked(previous);
            }
            if (!policy.admit(id, footprint(pageCount), ContentClass.of(key), ContentHints.trackId(key),
                ContentHints.position(key), this::onEvicted))
            {
                return false;
            }
            pages = slab.allocate(pageCount);
            if (pages == null)
            {
                // The policy made room, but evicted objects are still being sent: their pages come back on release.
                policy.remove(id);
                return false;
            }
            storing.add(id);
        }
        slab.write(pages, body);
        final RamEntry entry = new RamEntry(id, path, pages, length, meta.status(), meta.contentType(), meta.etag(),
            meta.cacheControl(), meta.lastModified(), meta.storedAtMs(), meta.expiresAtMs(), slab.crc32c(pages, length),
            true);
        synchronized (this)
        {
            if (!storing.remove(id))
            {
                // The policy evicted it while its bytes were copied in (onEvicted): it is not resident, so neither
                // is the entry; its pages go back at once (no hit can hold them yet).
                slab.free(pages);
                return false;
            }
            index.put(entry);
            resident.put(path, entry);
            byId.put(id, entry);
            usedBytes += length;
        }
        stores.increment();
        return true;
    }

    /**
     * Drop an object (invalidation, placement release).
     *
     * @param path request path.
     */
    public synchronized void remove(final String path)
    {
        final RamEntry entry = resident.get(path);
        if (entry != null)
        {
            removeLocked(entry);
        }
    }

    private long footprint(final int pageCount)
    {
        return (long)pageCount * slab.pageBytes();
    }

    /**
     * Send objects evicted after a hit to another tier (the SSD); null stops it.
     *
     * @param demotion receives copies of evicted objects.
     */
    public void demoteTo(final RamDemotion demotion)
    {
        this.demotion = demotion;
    }

    /** Victim callback from the policy, under this tier's monitor. */
    private void onEvicted(final long id, final long sizeBytes)
    {
        final RamEntry victim = byId.remove(id);
        if (victim == null)
        {
            // Admitted but still being copied in: its store finds it gone and frees the pages.
            storing.remove(id);
        }
        else
        {
            final RamDemotion target = demotion;
            if (target != null && victim.hits > 0 && victim.verified &&
                target.wants(victim.path, victim.length, victim.expiresAtMs))
            {
                final ByteBuf copy = PooledByteBufAllocator.DEFAULT.directBuffer(victim.length);
                slab.read(victim.pages, victim.length, copy);
                target.demote(victim.path, new ResponseMeta(victim.status, victim.contentType, victim.etag,
                    victim.cacheControl, victim.lastModified, victim.storedAtMs, victim.expiresAtMs), copy);
            }
            resident.remove(victim.path, victim);
            unindexLocked(victim);
            evictions.increment();
        }
    }

    private void removeLocked(final RamEntry entry)
    {
        if (resident.remove(entry.path, entry))
        {
            byId.remove(entry.id);
            policy.remove(entry.id);
            unindexLocked(entry);
        }
    }

    private void unindexLocked(final RamEntry entry)
    {
        index.remove(entry.path);
        usedBytes -= entry.length;
        if (entry.release())
        {
            slab.free(entry.pages);
        }
    }

    synchronized void release(final RamEntry entry)
    {
        if (entry.release())
        {
            slab.free(entry.pages);
        }
    }

    PageSlab slab()
    {
        return slab;
    }

    /**
     * @return payload bytes of the objects held.
     */
    public synchronized long usedBytes()
    {
        return usedBytes;
    }

    /**
     * @return objects held.
     */
    public synchronized int entries()
    {
        return resident.size();
    }

    @Override
    public synchronized void close()
    {
        index.close();
        slab.close();
    }
}
