package io.bifrost.control.telemetry;

import java.util.Arrays;

/**
 * A count-min sketch (Cormode and Muthukrishnan): {@code depth} rows of {@code width} counters; a key adds to one
 * counter per row and its estimate is the smallest of them, never below the true count and above it by at most
 * {@code 2 N / width} with probability {@code 1 - 2^-depth} (N = total added). Used for the long tail of contents
 * that the aggregator does not track exactly. Not thread-safe.
 */
final class CountMinSketch
{
    private final int depth;
    private final int mask;
    private final long[] counters;

    /**
     * @param depth rows (independent hashes), 1 to 8.
     * @param width counters per row, a power of two.
     */
    CountMinSketch(final int depth, final int width)
    {
        if (depth < 1 || depth > 8 || Integer.bitCount(width) != 1)
        {
            throw new IllegalArgumentException("count-min sketch: depth 1-8 and a power-of-two width, got " + depth + "x" + width);
        }
        this.depth = depth;
        this.mask = width - 1;
        this.counters = new long[depth * width];
    }

    void add(final long keyHash, final long count)
    {
        for (int row = 0; row < depth; row++)
        {
            counters[row * (mask + 1) + index(keyHash, row)] += count;
        }
    }

    long estimate(final long keyHash)
    {
        long min = Long.MAX_VALUE;
        for (int row = 0; row < depth; row++)
        {
            min = Math.min(min, counters[row * (mask + 1) + index(keyHash, row)]);
        }
        return min;
    }

    void clear()
    {
        Arrays.fill(counters, 0L);
    }

    private int index(final long keyHash, final int row)
    {
        // Kirsch-Mitzenmacher: h1 + row * h2 gives independent-enough rows from one 64-bit hash.
        final int h1 = (int)keyHash;
        final int h2 = (int)(keyHash >>> 32) | 1;
        return (h1 + row * h2) & mask;
    }

    /**
     * @return a well-mixed 64-bit hash of a string (FNV-1a, then MurmurHash3's fmix64).
     */
    static long hash(final CharSequence key)
    {
        long h = 0xcbf29ce484222325L;
        for (int i = 0, n = key.length(); i < n; i++)
        {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
