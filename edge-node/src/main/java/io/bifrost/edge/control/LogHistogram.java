package io.bifrost.edge.control;

import java.util.Arrays;

/**
 * A small fixed-size histogram of non-negative values (latencies in microseconds, times in milliseconds) for the
 * per-content, per-window percentiles the edge sends in its telemetry.
 *
 * <p>Log-linear buckets, as HdrHistogram lays them out: values 0 to 7 have a bucket each; above that every power of
 * two is split into {@link #SUB_BUCKETS} equal buckets, so a bucket is at most 1/8 of its lower bound wide and a
 * percentile read as the bucket's midpoint is within about 6% of the true value. Values above
 * {@link Integer#MAX_VALUE} count in the last bucket. {@link #BUCKETS} int counters (under 1 KiB) per histogram,
 * whatever the traffic: recording is an index computation and an increment, no allocation.
 *
 * <p>Not thread-safe; {@link ContentTraffic} confines it under its lock.
 */
final class LogHistogram
{
    /** log2 of the buckets per power of two. */
    static final int SUB_BUCKET_BITS = 3;
    /** Buckets per power of two. */
    static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    /** Counters in one histogram: exact 0-7, then 8 per power of two up to 2^31. */
    static final int BUCKETS = SUB_BUCKETS + (Integer.SIZE - 1 - SUB_BUCKET_BITS) * SUB_BUCKETS;

    private final int[] counts = new int[BUCKETS];
    private long total;

    /**
     * @param value a non-negative value; negative values are ignored, values above {@link Integer#MAX_VALUE} clamp.
     */
    void record(final long value)
    {
        if (value < 0)
        {
            return;
        }
        final int index = index(Math.min(value, Integer.MAX_VALUE));
        if (counts[index] != Integer.MAX_VALUE)
        {
            counts[index]++;
            total++;
        }
    }

    /**
     * @return values recorded since the last {@link #reset()}.
     */
    long count()
    {
        return total;
    }

    /**
     * @param quantile between 0 and 1, e.g. 0.99.
     * @return the value at that quantile (the midpoint of its bucket, rounded), or 0 when nothing was recorded.
     */
    int valueAt(final double quantile)
    {
        if (total == 0)
        {
            return 0;
        }
        final long rank = Math.max(1, (long)Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return midpoint(i);
            }
        }
        return midpoint(BUCKETS - 1);
    }

    /**
     * Forget every value (start the next window).
     */
    void reset()
    {
        if (total != 0)
        {
            Arrays.fill(counts, 0);
            total = 0;
        }
    }

    static int index(final long value)
    {
        if (value < SUB_BUCKETS)
        {
            return (int)value;
        }
        final int exponent = 63 - Long.numberOfLeadingZeros(value);
        final int shift = exponent - SUB_BUCKET_BITS;
        final int sub = (int)(value >>> shift) - SUB_BUCKETS;
        return SUB_BUCKETS + shift * SUB_BUCKETS + sub;
    }

    static int midpoint(final int index)
    {
        if (index < SUB_BUCKETS)
        {
            return index;
        }
        final int shift = (index - SUB_BUCKETS) / SUB_BUCKETS;
        final long lower = (long)(SUB_BUCKETS + (index - SUB_BUCKETS) % SUB_BUCKETS) << shift;
        final long width = 1L << shift;
        return (int)Math.min(Integer.MAX_VALUE, lower + width / 2);
    }
}
