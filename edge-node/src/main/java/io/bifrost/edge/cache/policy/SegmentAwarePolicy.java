package io.bifrost.edge.cache.policy;

import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * A byte-aware policy for a video edge that treats live media, VOD media and manifests by what predicts their next
 * request, rather than by recency or frequency of the object alone.
 * <p>
 * <b>Live media</b> (parts and segments) is always admitted, into a live queue: a new part is wanted by every viewer of
 * the stream within seconds, so frequency admission (TinyLFU) would refuse exactly what is about to be hot. The policy
 * follows the newest position requested on each live track (in parts); a part is stale once it is
 * {@code livePartWindow} parts behind that head, a segment once it is {@code liveSegmentWindow} segments behind, and
 * stale objects are evicted before anything else. A manifest with a position hint is taken for a versioned live
 * playlist (the tier passes its version, e.g. its newest part's position), goes into the same queue and is stale once a
 * newer version of its track was requested. In-window live objects leave in LRU order (a hit moves one to the head),
 * and only while live media holds more than {@code liveMaxFraction} of the capacity or nothing else is left.
 * <p>
 * <b>VOD segments, manifests and init segments</b> share a main region evicted by sampling (as in Redis and
 * hyperbolic caching): {@code sampleSize} random resident objects are scored and the lowest score leaves. The score is
 * expected requests weighed by size, {@code expected / sizeKiB^sizeExponent} (exponent 1: per byte, best for the object
 * hit ratio; 0: per object, best for the byte hit ratio):
 * <ul>
 *   <li>a manifest or init segment expects its own decayed request count;</li>
 *   <li>a VOD segment expects the larger of its own decayed count and a model,
 *   {@code trackHeat(track) * share(msn)}: the title rendition's decayed request count ({@link TrackHeat}) times the
 *   fraction of all VOD requests that go to that position ({@link PositionHistogram}, which learns abandonment). A new
 *   segment of a hot title is thereby worth keeping before it has been asked for twice, and late segments of titles
 *   most viewers abandon early are worth less;</li>
 *   <li>plus, for a VOD segment, the viewers known to be walking towards it: a request for {@code msn} of a track
 *   adds one pending request to a resident {@code msn + 1}, a hit on it consumes one, and pending requests decay
 *   like counts (abandonment).</li>
 * </ul>
 * A VOD segment that does not fit in the free bytes is admitted only when its model score is at least that of the
 * victim a sample would evict (or stale or surplus live media would make room), so cold titles' one-hit segments do
 * not flush the cache. Counts halve every epoch, {@code epochPerEntry} requests per resident object (at least 1024),
 * as TinyLFU resets its sketch: history spans a few cache turnovers, so new titles overtake fading ones.
 * <p>
 * Cost: O(1) per hit and miss (a few hash probes), O(sampleSize) per eviction; nothing is allocated once the tables
 * have grown. Deterministic: the sampler is a seeded xorshift. Single-threaded (see {@link CachePolicy}); the live
 * head and manifest version tables keep one entry per live track seen.
 */
public final class SegmentAwarePolicy extends BytePolicy
{
    /**
     * Default number of resident objects scored per eviction.
     */
    public static final int DEFAULT_SAMPLE_SIZE = 16;

    private static final int STALE_SCAN = 8;
    private static final long MIN_EPOCH_REQUESTS = 1024;
    private static final float NEW_OBJECT_HEAT = 1;

    private final EntryQueue live;
    private final Long2LongHashMap liveHeads = new Long2LongHashMap(-1);
    private final Long2LongHashMap manifestVersions = new Long2LongHashMap(-1);
    private final Long2LongHashMap segmentIndex = new Long2LongHashMap(EntryTable.NONE);
    private final TrackHeat trackHeat = new TrackHeat(1 << 16);
    private final PositionHistogram positions = new PositionHistogram();
    private final long liveMaxBytes;
    private final int liveSegmentWindow;
    private final int livePartWindow;
    private final double sizeExponent;
    private final int sampleSize;
    private final int epochPerEntry;
    private int[] mainSlots = new int[1024];
    private int mainCount;
    private long ticksInEpoch;
    private int epoch;
    private long rngState = 0x2545F4914F6CDD1DL;
    private int admissionVictim = EntryTable.NONE;

    /**
     * A policy with the defaults: live window 8 segments and 4 parts (LL-HLS part hold-back of 3 parts, plus one),
     * live media down to half the capacity when other content competes, score per fourth root of size (tuned on the
     * perf traces to win on both object and byte hit ratio), 16 samples, counts halving
     * every 2 requests per resident object.
     *
     * @param capacityBytes the most bytes resident objects may occupy.
     */
    public SegmentAwarePolicy(final long capacityBytes)
    {
        this(capacityBytes, 8, 4, 0.5, 0.25, DEFAULT_SAMPLE_SIZE, 2);
    }

    /**
     * @param capacityBytes     the most bytes resident objects may occupy.
     * @param liveSegmentWindow live segments this many msn behind the track's newest are stale.
     * @param livePartWindow    live parts this many parts behind the track's newest part are stale.
     * @param liveMaxFraction   share of the capacity live media keeps when other content competes, in (0, 1].
     * @param sizeExponent      score divisor exponent on size: 0 ranks by requests (byte hit ratio), 1 by requests
     *                          per byte (object hit ratio).
     * @param sampleSize        resident objects scored per eviction, at least 1.
     * @param epochPerEntry     counts halve every {@code epochPerEntry} requests per resident object, at least 1.
     */
    public SegmentAwarePolicy(
        final long capacityBytes,
        final int liveSegmentWindow,
        final int livePartWindow,
        final double liveMaxFraction,
        final double sizeExponent,
        final int sampleSize,
        final int epochPerEntry)
    {
        super(capacityBytes);
        if (liveSegmentWindow < 1 || livePartWindow < 1 || !(liveMaxFraction > 0 && liveMaxFraction <= 1) ||
            !(sizeExponent >= 0 && sizeExponent <= 2) || sampleSize < 1 || epochPerEntry < 1)
        {
            throw new IllegalArgumentException("bad SegmentAwarePolicy parameters");
        }
        this.live = new EntryQueue(table, 1);
        this.liveSegmentWindow = liveSegmentWindow;
        this.livePartWindow = livePartWindow;
        this.liveMaxBytes = (long)(capacityBytes * liveMaxFraction);
        this.sizeExponent = sizeExponent;
        this.sampleSize = sampleSize;
        this.epochPerEntry = epochPerEntry;
    }

    /**
     * @return bytes held by unpinned live media.
     */
    public long liveBytes()
    {
        return live.bytes();
    }

    public void onMiss(final long key, final ContentClass contentClass, final long trackId, final long position)
    {
        record(contentClass, trackId, position);
    }

    protected void onResidentHit(final int slot, final boolean pinned)
    {
        final ContentClass contentClass = table.contentClass(slot);
        record(contentClass, table.tracks[slot], table.positions[slot]);
        if (!pinned && live.holds(slot))
        {
            live.moveToHead(slot);
        }
        refresh(slot, epoch());
        table.heat[slot] += 1;
        table.pending[slot] = Math.max(0, table.pending[slot] - 1);
    }

    protected boolean shouldAdmit(
        final long key, final long sizeBytes, final ContentClass contentClass, final long trackId, final long position)
    {
        if (ContentClass.VOD_SEGMENT != contentClass || 0 == mainCount ||
            EntryTable.NONE != staleLive() || live.bytes() > liveMaxBytes)
        {
            return true;
        }
        final int epoch = epoch();
        final float candidate = (float)(model(trackId, position, epoch) * costOf(sizeBytes));
        final int victim = sampleVictim();
        final boolean admitted = candidate >= score(victim, epoch);
        admissionVictim = admitted ? victim : EntryTable.NONE;
        return admitted;
    }

    protected boolean evictOne(final VictimSink sink)
    {
        final int stale = staleLive();
        if (EntryTable.NONE != stale)
        {
            evictSlot(stale, sink);
        }
        else if (!live.isEmpty() && (live.bytes() > liveMaxBytes || 0 == mainCount))
        {
            evictSlot(live.tail(), sink);
        }
        else if (mainCount > 0)
        {
            final int victim = EntryTable.NONE != admissionVictim && EntryTable.NONE != table.aux[admissionVictim] ?
                admissionVictim : sampleVictim();
            admissionVictim = EntryTable.NONE;
            evictSlot(victim, sink);
        }
        else
        {
            return false;
        }
        return true;
    }

    protected void attach(final int slot, final boolean admitted)
    {
        final ContentClass contentClass = table.contentClass(slot);
        if (admitted)
        {
            table.cost[slot] = (float)costOf(table.sizes[slot]);
            table.stamp[slot] = epoch();
            table.heat[slot] = ContentClass.VOD_SEGMENT == contentClass ? 0 : NEW_OBJECT_HEAT;
            if (ContentClass.VOD_SEGMENT == contentClass)
            {
                segmentIndex.put(segmentKey(table.tracks[slot], table.positions[slot]), slot);
            }
        }
        if (contentClass.isLiveMedia() || isVersionedManifest(contentClass, table.positions[slot]))
        {
            live.pushHead(slot);
        }
        else
        {
            if (mainCount == mainSlots.length)
            {
                mainSlots = Arrays.copyOf(mainSlots, mainCount * 2);
            }
            table.aux[slot] = mainCount;
            mainSlots[mainCount++] = slot;
        }
    }

    protected void detach(final int slot)
    {
        if (live.holds(slot))
        {
            live.unlink(slot);
        }
        else
        {
            final int index = table.aux[slot];
            final int last = mainSlots[--mainCount];
            mainSlots[index] = last;
            table.aux[last] = index;
            table.aux[slot] = EntryTable.NONE;
        }
    }

    protected void onForget(final int slot)
    {
        if (ContentClass.VOD_SEGMENT == table.contentClass(slot))
        {
            final long segmentKey = segmentKey(table.tracks[slot], table.positions[slot]);
            if (segmentIndex.get(segmentKey) == slot)
            {
                segmentIndex.remove(segmentKey);
            }
        }
    }

    private void record(final ContentClass contentClass, final long trackId, final long position)
    {
        if (++ticksInEpoch >= Math.max(MIN_EPOCH_REQUESTS, (long)epochPerEntry * table.count()))
        {
            ticksInEpoch = 0;
            epoch++;
        }
        final int epoch = this.epoch;
        if (contentClass.isLiveMedia())
        {
            final long head = ContentClass.LIVE_PART == contentClass ?
                position : position * ContentHints.PARTS_PER_SEGMENT;
            if (head > liveHeads.get(trackId))
            {
                liveHeads.put(trackId, head);
            }
            return;
        }
        if (isVersionedManifest(contentClass, position))
        {
            if (position > manifestVersions.get(trackId))
            {
                manifestVersions.put(trackId, position);
            }
            return;
        }
        trackHeat.add(trackId, epoch, 1);
        if (ContentClass.VOD_SEGMENT == contentClass)
        {
            positions.add(position, epoch);
            final int next = (int)segmentIndex.get(segmentKey(trackId, position + 1));
            if (EntryTable.NONE != next)
            {
                refresh(next, epoch);
                table.pending[next] += 1;
            }
        }
    }

    private int epoch()
    {
        return epoch;
    }

    private void refresh(final int slot, final int epoch)
    {
        final int from = table.stamp[slot];
        if (from != epoch)
        {
            table.heat[slot] = TrackHeat.decay(table.heat[slot], from, epoch);
            table.pending[slot] = TrackHeat.decay(table.pending[slot], from, epoch);
            table.stamp[slot] = epoch;
        }
    }

    private double model(final long trackId, final long position, final int epoch)
    {
        return trackHeat.get(trackId, epoch) * positions.share(position, epoch);
    }

    private double costOf(final long sizeBytes)
    {
        return Math.pow(Math.max(1.0, sizeBytes / 1024.0), -sizeExponent);
    }

    private float score(final int slot, final int epoch)
    {
        refresh(slot, epoch);
        double expected = table.heat[slot];
        if (ContentClass.VOD_SEGMENT == table.contentClass(slot))
        {
            expected = Math.max(expected, model(table.tracks[slot], table.positions[slot], epoch)) +
                table.pending[slot];
        }
        return (float)(expected * table.cost[slot]);
    }

    private int sampleVictim()
    {
        final int epoch = epoch();
        int victim = EntryTable.NONE;
        float lowest = Float.MAX_VALUE;
        if (mainCount <= sampleSize)
        {
            for (int i = 0; i < mainCount; i++)
            {
                final float score = score(mainSlots[i], epoch);
                if (score < lowest)
                {
                    lowest = score;
                    victim = mainSlots[i];
                }
            }
            return victim;
        }
        for (int i = 0; i < sampleSize; i++)
        {
            final int slot = mainSlots[(int)((nextRandom() >>> 33) % mainCount)];
            final float score = score(slot, epoch);
            if (score < lowest)
            {
                lowest = score;
                victim = slot;
            }
        }
        return victim;
    }

    private int staleLive()
    {
        int slot = live.tail();
        for (int i = 0; i < STALE_SCAN && EntryTable.NONE != slot; i++)
        {
            if (isStale(slot))
            {
                return slot;
            }
            slot = live.newer(slot);
        }
        return EntryTable.NONE;
    }

    private boolean isStale(final int slot)
    {
        final ContentClass contentClass = table.contentClass(slot);
        final long position = table.positions[slot];
        if (ContentClass.PLAYLIST == contentClass)
        {
            return position < manifestVersions.get(table.tracks[slot]);
        }
        final long head = liveHeads.get(table.tracks[slot]);
        return ContentClass.LIVE_PART == contentClass ?
            position <= head - livePartWindow :
            position <= head / ContentHints.PARTS_PER_SEGMENT - liveSegmentWindow;
    }

    private static boolean isVersionedManifest(final ContentClass contentClass, final long position)
    {
        return ContentClass.PLAYLIST == contentClass && position >= 0;
    }

    private long nextRandom()
    {
        long x = rngState;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        rngState = x;
        return x;
    }

    private static long segmentKey(final long trackId, final long msn)
    {
        return Long.rotateLeft(trackId * 0x9E3779B97F4A7C15L, 23) ^ (msn * 0xC2B2AE3D27D4EB4FL);
    }
}
