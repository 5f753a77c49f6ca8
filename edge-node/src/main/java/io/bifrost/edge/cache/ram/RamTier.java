package io.bifrost.edge.cache.ram;

import io.bifrost.edge.fill.FillHead;
import io.bifrost.protocol.naming.ContentKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import net.openhft.chronicle.map.ChronicleMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The edge's RAM tier: object bytes in a memory-mapped {@link PageSlab}, indexed by request path in a persisted
 * Chronicle Map, so a restarted edge comes back warm. Hits are served from the mapping without a copy into the Java
 * heap ({@link RamHit}); a reference count per entry keeps pages alive while a viewer's write is in flight.
 *
 * <p>Eviction is least-recently-used over whole objects (an access-ordered index on the heap mirrors the Chronicle
 * index); pinned objects (placement) are skipped. Freshness comes from the origin's Cache-Control ({@link Freshness});
 * an expired object is a miss, but stays until evicted so it can be served stale while the origin is down. After a restart each object is checked against its CRC32C on its first hit, so bytes that did not reach
 * the page cache before a crash are never served.
 *
 * <p>Thread-safe: index and allocation are guarded by this object's monitor; page copies and checksums run outside it.
 */
public final class RamTier implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RamTier.class);
    /** Average key length used to size the Chronicle index. */
    private static final int AVERAGE_KEY_CHARS = 48;
    /** Average persisted entry size (fixed fields, one or two page runs, header strings). */
    private static final int AVERAGE_VALUE_BYTES = 256;

    private final PageSlab slab;
    private final ChronicleMap<CharSequence, byte[]> index;
    private final LinkedHashMap<String, RamEntry> resident = new LinkedHashMap<>(1024, 0.75f, true);
    private final long maxObjectBytes;
    private long usedBytes;
    private final Counter hits;
    private final Counter misses;
    private final Counter stores;
    private final Counter evictions;
    private final Counter corrupt;
    private final Counter staleServed;
    private final java.util.Set<String> pinned = new java.util.HashSet<>();

    private RamTier(
        final PageSlab slab, final ChronicleMap<CharSequence, byte[]> index, final long maxObjectBytes, final MeterRegistry registry)
    {
        this.slab = slab;
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
     * @param registry       where tier meters are registered.
     * @return the tier, warm with what a previous run left.
     */
    public static RamTier open(
        final Path dir, final long capacityBytes, final int pageBytes, final long maxObjectBytes, final MeterRegistry registry)
    {
        try
        {
            Files.createDirectories(dir);
            final PageSlab slab = new PageSlab(dir.resolve("ram.slab"), capacityBytes, pageBytes);
            final ChronicleMap<CharSequence, byte[]> index = ChronicleMap.of(CharSequence.class, byte[].class)
                .name("bifrost-edge-ram-index")
                .entries(Math.max(1024, Math.min(slab.pageCount(), 1 << 22)))
                .averageKeySize(AVERAGE_KEY_CHARS)
                .averageValueSize(AVERAGE_VALUE_BYTES)
                .maxBloatFactor(4.0)
                .createPersistedTo(dir.resolve("ram.index").toFile());
            final RamTier tier = new RamTier(slab, index, maxObjectBytes, registry);
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
        final BitSet used = new BitSet(slab.pageCount());
        final List<RamEntry> loaded = new ArrayList<>();
        final List<String> dropped = new ArrayList<>();
        index.forEach((key, value) ->
        {
            final String path = key.toString();
            final RamEntry entry = RamIndexCodec.decode(path, value, slab.pageBytes());
            if (entry == null || !claim(entry.pages, used))
            {
                dropped.add(path);
                return;
            }
            loaded.add(entry);
        });
        dropped.forEach(index::remove);
        loaded.sort(Comparator.comparingLong(e -> e.storedAtMs));
        for (final RamEntry entry : loaded)
        {
            resident.put(entry.path, entry);
            usedBytes += entry.length;
        }
        slab.restore(used);
        corrupt.increment(dropped.size());
        if (!loaded.isEmpty() || !dropped.isEmpty())
        {
            LOG.info("RAM tier restored {} objects ({} MiB){}", loaded.size(), usedBytes >> 20,
                dropped.isEmpty() ? "" : "; dropped " + dropped.size() + " damaged index entries");
        }
    }

    private boolean claim(final int[] pages, final BitSet used)
    {
        for (final int page : pages)
        {
            if (page >= slab.pageCount() || used.get(page))
            {
                return false;
            }
        }
        for (final int page : pages)
        {
            used.set(page);
        }
        return true;
    }

    /**
     * Look an object up.
     *
     * @param path  request path.
     * @param nowMs current time, for freshness.
     * @return a hit holding a reference (release it after writing), or null on a miss.
     */
    public RamHit acquire(final String path, final long nowMs)
    {
        final RamEntry entry;
        synchronized (this)
        {
            final RamEntry found = resident.get(path);
            if (found == null || !found.isFresh(nowMs) || !found.retain())
            {
                misses.increment();
                return null;
            }
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
        if (entry == null)
        {
            return false;
        }
        pinned.add(path);
        return true;
    }

    /**
     * Let a pinned object be evicted again.
     *
     * @param path request path.
     */
    public synchronized void unpin(final String path)
    {
        pinned.remove(path);
    }

    private RamHit verified(final RamEntry entry, final String path)
    {
        if (!entry.verified)
        {
            if (checksum(entry) != entry.crc32c)
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
     * Keep a filled object, evicting least-recently-used objects to make room.
     *
     * @param path  request path.
     * @param kind  what the object is (freshness defaults).
     * @param head  the origin head (only 200 responses with a length are stored).
     * @param body  the complete body; read, not consumed.
     * @param nowMs current time.
     * @return true when stored.
     */
    public boolean store(final String path, final ContentKind kind, final FillHead head, final ByteBuf body, final long nowMs)
    {
        final String cacheControl = head.headers().get(HttpHeaderNames.CACHE_CONTROL);
        final long ttl = Freshness.ttlMillis(cacheControl, kind);
        final int length = body.readableBytes();
        if (head.status() != 200 || ttl <= 0 || length > maxObjectBytes || length != head.contentLength())
        {
            return false;
        }
        final int pageCount = (length + slab.pageBytes() - 1) / slab.pageBytes();
        final int[] pages;
        synchronized (this)
        {
            final RamEntry previous = resident.get(path);
            if (previous != null)
            {
                removeLocked(previous);
            }
            if (!makeRoomLocked(pageCount))
            {
                return false;
            }
            pages = slab.allocate(pageCount);
        }
        slab.write(pages, body);
        final CRC32C crc = new CRC32C();
        for (final ByteBuffer nio : body.nioBuffers())
        {
            crc.update(nio);
        }
        final RamEntry entry = new RamEntry(path, pages, length, head.status(),
            head.headers().get(HttpHeaderNames.CONTENT_TYPE), head.headers().get(HttpHeaderNames.ETAG), cacheControl,
            head.headers().get(HttpHeaderNames.LAST_MODIFIED), nowMs, nowMs + ttl, (int)crc.getValue(), true);
        synchronized (this)
        {
            final RamEntry racing = resident.get(path);
            if (racing != null)
            {
                removeLocked(racing);
            }
            index.put(path, RamIndexCodec.encode(entry));
            resident.put(path, entry);
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

    private boolean makeRoomLocked(final int pagesNeeded)
    {
        if (pagesNeeded > slab.pageCount())
        {
            return false;
        }
        long reclaimable = slab.freePageCount();
        for (final RamEntry entry : resident.values())
        {
            if (reclaimable >= pagesNeeded)
            {
                break;
            }
            if (!pinned.contains(entry.path))
            {
                reclaimable += entry.pages.length;
            }
        }
        if (reclaimable < pagesNeeded)
        {
            return false;
        }
        final Iterator<RamEntry> eldest = resident.values().iterator();
        while (slab.freePageCount() < pagesNeeded && eldest.hasNext())
        {
            final RamEntry victim = eldest.next();
            if (pinned.contains(victim.path))
            {
                continue;
            }
            eldest.remove();
            unindexLocked(victim);
            evictions.increment();
        }
        return slab.freePageCount() >= pagesNeeded;
    }

    private void removeLocked(final RamEntry entry)
    {
        if (resident.remove(entry.path, entry))
        {
            pinned.remove(entry.path);
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

    private int checksum(final RamEntry entry)
    {
        final CRC32C crc = new CRC32C();
        int remaining = entry.length;
        for (final int page : entry.pages)
        {
            final int n = Math.min(slab.pageBytes(), remaining);
            crc.update(slab.slice(page, n));
            remaining -= n;
        }
        return (int)crc.getValue();
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
