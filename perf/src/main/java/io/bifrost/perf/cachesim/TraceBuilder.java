package io.bifrost.perf.cachesim;

import io.bifrost.edge.cache.policy.ContentClass;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;

/**
 * Appends requests and produces a {@link Trace}. Object ids and track ids are packed from what a path names, so they
 * are exact (no hash collisions): {@code live(1) | title(21) | rendition(4) | kind(3) | position(35)} bits.
 */
final class TraceBuilder
{
    /**
     * Rendition number used for objects that have none (master playlist).
     */
    static final int NO_RENDITION = 15;

    static final int KIND_MASTER = 0;
    static final int KIND_MEDIA_PLAYLIST = 1;
    static final int KIND_INIT = 2;
    static final int KIND_SEGMENT = 3;
    static final int KIND_PART = 4;

    private final LongHashSet seen = new LongHashSet();
    private final int limit;
    private long[] keys = new long[1024];
    private int[] sizes = new int[1024];
    private byte[] classes = new byte[1024];
    private long[] tracks = new long[1024];
    private long[] positions = new long[1024];
    private int count;
    private long uniqueBytes;

    /**
     * @param limit the most requests to record; further requests are dropped.
     */
    TraceBuilder(final int limit)
    {
        this.limit = limit;
    }

    static long trackId(final boolean live, final int title, final int rendition)
    {
        return ((live ? 1L : 0L) << 25) | ((long)title << 4) | rendition;
    }

    static long key(final boolean live, final int title, final int rendition, final int kind, final long position)
    {
        return (trackId(live, title, rendition) << 38) | ((long)kind << 35) | (position & ((1L << 35) - 1));
    }

    boolean isFull()
    {
        return count >= limit;
    }

    int count()
    {
        return count;
    }

    void add(
        final boolean live,
        final int title,
        final int rendition,
        final int kind,
        final long position,
        final int sizeBytes,
        final ContentClass contentClass)
    {
        if (count >= limit)
        {
            return;
        }
        if (count == keys.length)
        {
            final int length = keys.length * 2;
            keys = Arrays.copyOf(keys, length);
            sizes = Arrays.copyOf(sizes, length);
            classes = Arrays.copyOf(classes, length);
            tracks = Arrays.copyOf(tracks, length);
            positions = Arrays.copyOf(positions, length);
        }
        final long key = key(live, title, rendition, kind, Math.max(0, position));
        keys[count] = key;
        sizes[count] = sizeBytes;
        classes[count] = (byte)contentClass.ordinal();
        tracks[count] = trackId(live, title, rendition);
        positions[count] = position;
        count++;
        if (seen.add(key))
        {
            uniqueBytes += sizeBytes;
        }
    }

    Trace build(final String name)
    {
        return new Trace(name, Arrays.copyOf(keys, count), Arrays.copyOf(sizes, count),
            Arrays.copyOf(classes, count), Arrays.copyOf(tracks, count), Arrays.copyOf(positions, count),
            uniqueBytes, seen.size());
    }

    /**
     * @return a size jittered deterministically per object, uniformly within +-30% of {@code baseBytes}.
     */
    static int jitter(final int baseBytes, final long key)
    {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        final double u = (h >>> 11) * 0x1.0p-53;
        return (int)Math.max(1, baseBytes * (0.7 + 0.6 * u));
    }
}
