package io.bifrost.edge.cache.ssd;

import io.bifrost.edge.cache.ResponseMeta;
import io.bifrost.edge.cache.policy.CachePolicy;
import io.bifrost.edge.cache.policy.ContentClass;
import io.bifrost.edge.cache.policy.ContentHints;
import io.bifrost.edge.cache.ram.Freshness;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import org.agrona.collections.Long2LongHashMap;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The edge's SSD tier: objects in RocksDB ({@link SsdStore}: bodies in blob files, each checked against its CRC32C
 * on every read) with the response metadata, so an SSD hit answers exactly as a RAM hit. A start-up reads the
 * metadata keys back and rebuilds the index and the byte accounting; damaged entries are deleted and counted. A body
 * that fails its checksum on a read is deleted, counted, and is a miss (the origin fills it again).
 *
 * <p>Heap: the in-memory index is only object id to length (a primitive map), the headers stay on disk and are read
 * with the body, so the heap grows by about 100 bytes per object with the policy's bookkeeping, whatever the objects'
 * sizes (1 TB of 1 MiB segments: about 100 MiB).
 *
 * <p>Bounded in body bytes by a {@link CachePolicy} (victims are deleted in the same batch as the write that needed
 * the room). In front of the policy, {@link SsdAdmission} keeps one-hit wonders out: a fill is written from its
 * second sighting on, a RAM eviction when the object was hit in RAM. Only media with at least {@code minTtlMs} of
 * freshness left is kept, never playlists (live ones change every part; VOD ones are small and stay in RAM).
 *
 * <p>Stale-if-error, as in the RAM tier: an expired entry is a miss, but stays on the SSD while its RFC 5861
 * {@code stale-if-error} window lasts (from its Cache-Control, else the edge's default), so {@link #lookupStale} can
 * stand it in when every origin fails; looked up past that window it is deleted.
 *
 * <p>Not thread-safe: every call comes from the tier ring's thread ({@code TierRing}); meters may read it from any
 * thread.
 */
public final class SsdTier implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SsdTier.class);
    /** Average object size assumed to size the admission sketch. */
    private static final long TYPICAL_OBJECT_BYTES = 256 * 1024;

    private final SsdStore store;
    private final CachePolicy policy;
    private final SsdAdmission admission;
    private final long capacityBytes;
    private final long minTtlMs;
    private final long staleIfErrorDefaultMs;
    /** Object id to body length, for what is on the SSD. */
    private final Long2LongHashMap lengths = new Long2LongHashMap(-1);
    private volatile long usedBytes;
    private volatile int entries;
    private final Counter hits;
    private final Counter misses;
    private final Counter stores;
    private final Counter evictions;
    private final Counter rejected;
    private final Counter corrupt;
    private final Counter staleServed;

    private SsdTier(
        final SsdStore store,
        final long capacityBytes,
        final CachePolicy policy,
        final long minTtlMs,
        final long staleIfErrorDefaultMs,
        final MeterRegistry registry)
    {
        this.store = store;
        this.capacityBytes = capacityBytes;
        this.policy = policy;
        this.minTtlMs = minTtlMs;
        this.staleIfErrorDefaultMs = staleIfErrorDefaultMs;
        this.admission = new SsdAdmission(capacityBytes / TYPICAL_OBJECT_BYTES);
        hits = Counter.builder("bifrost.edge.cache.hits").tag("tier", "ssd").register(registry);
        misses = Counter.builder("bifrost.edge.cache.misses").tag("tier", "ssd").register(registry);
        stores = Counter.builder("bifrost.edge.cache.stores").tag("tier", "ssd").register(registry);
        evictions = Counter.builder("bifrost.edge.cache.evictions").tag("tier", "ssd").register(registry);
        rejected = Counter.builder("bifrost.edge.cache.admission.rejected").tag("tier", "ssd")
            .description("objects offered to the tier and not written (one-hit wonders, short-lived, or refused by the policy)")
            .register(registry);
        corrupt = Counter.builder("bifrost.edge.cache.corrupt").tag("tier", "ssd")
            .description("entries dropped because their bytes or metadata did not check out").register(registry);
        staleServed = Counter.builder("bifrost.edge.cache.stale.served").tag("tier", "ssd")
            .description("expired objects served because the origin could not answer (stale-if-error)").register(registry);
        Gauge.builder("bifrost.edge.cache.used.bytes", this, SsdTier::usedBytes).tag("tier", "ssd").register(registry);
        Gauge.builder("bifrost.edge.cache.capacity.bytes", this, SsdTier::capacityBytes).tag("tier", "ssd")
            .register(registry);
        Gauge.builder("bifrost.edge.cache.entries", this, SsdTier::entries).tag("tier", "ssd").register(registry);
        Gauge.builder("bifrost.edge.cache.disk.bytes", store, SsdStore::diskBytes).tag("tier", "ssd")
            .description("SST and blob files on disk, including garbage not collected yet").register(registry);
    }

    /**
     * Open (or create) the tier and rebuild its index from the metadata keys.
     *
     * @param dir           the RocksDB directory.
     * @param capacityBytes most body bytes kept.
     * @param policyFactory makes the eviction policy for a capacity in bytes.
     * @param minTtlMs              least freshness left for an object to be worth writing.
     * @param staleIfErrorDefaultMs how long past expiry an entry may stand in for a failing origin when its
     *                              Cache-Control names no {@code stale-if-error} (the edge's
     *                              {@code staleIfErrorDefault}); expired entries are kept that long.
     * @param registry              where the tier's meters are registered ({@code bifrost.edge.cache.*{tier=ssd}}).
     * @return the tier, holding what a previous run left.
     */
    public static SsdTier open(
        final Path dir,
        final long capacityBytes,
        final LongFunction<CachePolicy> policyFactory,
        final long minTtlMs,
        final long staleIfErrorDefaultMs,
        final MeterRegistry registry)
    {
        final SsdStore store = SsdStore.open(dir);
        try
        {
            final SsdTier tier = new SsdTier(store, capacityBytes, policyFactory.apply(capacityBytes), minTtlMs,
                staleIfErrorDefaultMs, registry);
            tier.restore();
            return tier;
        }
        catch (final RuntimeException | RocksDBException ex)
        {
            store.close();
            throw new IllegalStateException("cannot restore the SSD tier in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    private void restore() throws RocksDBException
    {
        final List<SsdEntry> found = new ArrayList<>();
        final List<byte[]> damaged = new ArrayList<>();
        store.scanMeta((rawKey, value) ->
        {
            final Long id = SsdStore.idOf(rawKey);
            final SsdEntry entry = id == null ? null : SsdEntryCodec.decode(id, value);
            if (entry == null || entry.length() < 1 || !(ContentKeyParser.parse(entry.path()) instanceof ContentKey))
            {
                damaged.add(rawKey);
                return;
            }
            found.add(entry);
        });
        found.sort(Comparator.comparingLong(e -> e.meta().storedAtMs()));
        store.begin();
        int unplaced = 0;
        for (final SsdEntry entry : found)
        {
            final ContentKey key = (ContentKey)ContentKeyParser.parse(entry.path());
            if (!policy.admit(entry.id(), entry.length(), ContentClass.of(key), ContentHints.trackId(key),
                ContentHints.position(key), this::onEvicted))
            {
                store.delete(entry.id());
                unplaced++;
                continue;
            }
            lengths.put(entry.id(), entry.length());
            usedBytes += entry.length();
        }
        for (final byte[] rawKey : damaged)
        {
            final Long id = SsdStore.idOf(rawKey);
            if (id != null)
            {
                store.delete(id);
            }
            else
            {
                store.deleteRaw(rawKey);
            }
        }
        store.commit();
        entries = lengths.size();
        corrupt.increment(damaged.size());
        if (!found.isEmpty() || !damaged.isEmpty())
        {
            LOG.info("SSD tier restored {} objects ({} MiB){}{}", entries, usedBytes >> 20,
                damaged.isEmpty() ? "" : "; dropped " + damaged.size() + " damaged entries",
                unplaced == 0 ? "" : "; " + unplaced + " beyond the capacity");
        }
    }

    /**
     * @param key         the object.
     * @param expiresAtMs end of its freshness.
     * @param nowMs       current time.
     * @return true when the tier would keep such an object (media, fresh for long enough), admission aside.
     */
    public boolean keeps(final ContentKey key, final long expiresAtMs, final long nowMs)
    {
        return !key.kind().isPlaylist() && expiresAtMs - nowMs >= minTtlMs;
    }

    /**
     * Look an object up, counting the sighting for admission.
     *
     * @param key   the parsed request.
     * @param nowMs current time.
     * @return the verified hit (the caller releases it), or null.
     * @throws RocksDBException when RocksDB cannot read (the caller treats it as a miss).
     */
    public SsdHit lookup(final ContentKey key, final long nowMs) throws RocksDBException
    {
        final String path = key.path();
        final long id = ContentHints.objectId(path);
        admission.record(id);
        final SsdEntry entry = lengths.containsKey(id) ? read(id) : null;
        if (entry != null && entry.path().equals(path) && entry.meta().isFresh(nowMs))
        {
            final ByteBuf body = store.read(id, entry.length());
            if (body != null)
            {
                policy.onHit(id);
                hits.increment();
                return new SsdHit(entry.meta(), body);
            }
            LOG.warn("SSD tier: {} is missing or failed its checksum; dropped, will be filled again", path);
            corrupt.increment();
            drop(id);
        }
        else if (entry != null && entry.path().equals(path) && !withinStaleWindow(entry.meta(), nowMs))
        {
            drop(id);
        }
        misses.increment();
        policy.onMiss(id, ContentClass.of(key), ContentHints.trackId(key), ContentHints.position(key));
        return null;
    }

    /**
     * Look up an expired object to serve because no origin can answer (RFC 5861 stale-if-error), within its window.
     * Not a sighting, hit or miss for admission and eviction: the request already counted as a miss.
     *
     * @param key   the parsed request.
     * @param nowMs current time.
     * @return the verified hit (the caller releases it; a copy that became fresh again meanwhile is returned too),
     * or null when there is no copy or it is past its window.
     * @throws RocksDBException when RocksDB cannot read (the caller treats it as no copy).
     */
    public SsdHit lookupStale(final ContentKey key, final long nowMs) throws RocksDBException
    {
        final String path = key.path();
        final long id = ContentHints.objectId(path);
        final SsdEntry entry = lengths.containsKey(id) ? read(id) : null;
        if (entry == null || !entry.path().equals(path) || !withinStaleWindow(entry.meta(), nowMs))
        {
            return null;
        }
        final ByteBuf body = store.read(id, entry.length());
        if (body == null)
        {
            LOG.warn("SSD tier: {} is missing or failed its checksum; dropped, will be filled again", path);
            corrupt.increment();
            drop(id);
            return null;
        }
        staleServed.increment();
        return new SsdHit(entry.meta(), body);
    }

    /**
     * @return true while an object may be served, fresh or as a stale stand-in for a failing origin.
     */
    private boolean withinStaleWindow(final ResponseMeta meta, final long nowMs)
    {
        return nowMs < meta.expiresAtMs() + Freshness.staleIfErrorMillis(meta.cacheControl(), staleIfErrorDefaultMs);
    }

    /**
     * @return the entry indexed under {@code id}, or null (dropped and counted) when its metadata is damaged.
     */
    private SsdEntry read(final long id) throws RocksDBException
    {
        final SsdEntry entry = SsdEntryCodec.decode(id, store.readMeta(id));
        if (entry == null || entry.length() != lengths.get(id))
        {
            LOG.warn("SSD tier: the metadata of object {} is missing or damaged; dropped", Long.toHexString(id));
            corrupt.increment();
            drop(id);
            return null;
        }
        return entry;
    }

    /**
     * Offer an object (a completed fill, or a RAM eviction); written when admission and the policy take it.
     *
     * @param key             the parsed request.
     * @param meta            status, headers, fill time and expiry.
     * @param body            the body; read, not consumed.
     * @param demotedAfterHit true for a RAM-tier eviction of an object that was hit there.
     * @param nowMs           current time.
     * @return true when the object is on the SSD after the call.
     * @throws RocksDBException when RocksDB cannot write (nothing was changed).
     */
    public boolean offer(
        final ContentKey key, final ResponseMeta meta, final ByteBuf body, final boolean demotedAfterHit, final long nowMs)
        throws RocksDBException
    {
        final String path = key.path();
        final int length = body.readableBytes();
        final long id = ContentHints.objectId(path);
        final long previousLength = lengths.get(id);
        if (previousLength == length)
        {
            final SsdEntry previous = read(id);
            if (previous != null && previous.path().equals(path) && previous.meta().equals(meta))
            {
                return true;
            }
        }
        if (meta.status() != 200 || length < 1 || path.length() > SsdStore.MAX_PATH_BYTES ||
            !keeps(key, meta.expiresAtMs(), nowMs) || !admission.admits(id, demotedAfterHit))
        {
            rejected.increment();
            return false;
        }
        store.begin();
        if (lengths.containsKey(id))
        {
            forget(id);
        }
        if (!policy.admit(id, length, ContentClass.of(key), ContentHints.trackId(key), ContentHints.position(key),
            this::onEvicted))
        {
            store.commit();
            rejected.increment();
            return false;
        }
        try
        {
            store.put(id, path, length, meta, body);
            store.commit();
        }
        catch (final RocksDBException ex)
        {
            // The victims' deletes were lost with the batch: their entries are gone from the index, so their keys
            // are orphans until the same paths are written again. Rare (a failing disk); logged by the ring.
            policy.remove(id);
            throw ex;
        }
        lengths.put(id, length);
        usedBytes += length;
        entries = lengths.size();
        stores.increment();
        return true;
    }

    /**
     * Drop an object (placement release, invalidation).
     *
     * @param path request path.
     * @throws RocksDBException when RocksDB cannot delete.
     */
    public void remove(final String path) throws RocksDBException
    {
        final long id = ContentHints.objectId(path);
        if (lengths.containsKey(id))
        {
            drop(id);
        }
    }

    /**
     * Keep an object from eviction (placement PIN); it stays pinned until {@link #unpin}, {@link #remove} or a failed
     * check drops it.
     *
     * @param path request path.
     * @return false when the object is not on the SSD.
     */
    public boolean pin(final String path)
    {
        final long id = ContentHints.objectId(path);
        return lengths.containsKey(id) && policy.pin(id);
    }

    /**
     * Let a pinned object be evicted again.
     *
     * @param path request path.
     */
    public void unpin(final String path)
    {
        policy.unpin(ContentHints.objectId(path));
    }

    /** Victim callback from the policy: the deletes join the batch being built. */
    private void onEvicted(final long id, final long sizeBytes)
    {
        if (lengths.containsKey(id))
        {
            forgetIndexed(id);
            evictions.increment();
        }
    }

    private void drop(final long id) throws RocksDBException
    {
        store.begin();
        forget(id);
        store.commit();
    }

    private void forget(final long id)
    {
        policy.remove(id);
        forgetIndexed(id);
    }

    private void forgetIndexed(final long id)
    {
        usedBytes -= lengths.remove(id);
        entries = lengths.size();
        try
        {
            store.delete(id);
        }
        catch (final RocksDBException ex)
        {
            throw new IllegalStateException("SSD tier: cannot batch the delete of object " + Long.toHexString(id), ex);
        }
    }

    /**
     * @return body bytes held.
     */
    public long usedBytes()
    {
        return usedBytes;
    }

    /**
     * @return the most body bytes kept.
     */
    public long capacityBytes()
    {
        return capacityBytes;
    }

    /**
     * @return objects held.
     */
    public int entries()
    {
        return entries;
    }

    /**
     * Flush to disk and close; the objects stay for the next start. Call after the ring has stopped.
     */
    @Override
    public void close()
    {
        store.close();
    }
}
