package io.bifrost.control.telemetry;

import java.util.Arrays;

/**
 * A ring of fixed-length time buckets, each holding {@code width} counters ({@link Metric} or {@link Experience}). A bucket is identified by its
 * absolute index ({@code timeMs / bucketMs}); each slot remembers which index it holds, so stale slots are recognised
 * (and reset on write) without a timer, and reads need no mutation. Samples older than the ring are dropped.
 * Not thread-safe: {@link TelemetryAggregator} confines it under its lock. Memory: {@code buckets * (1 + width)} longs.
 */
final class TimeRing
{
    private final long bucketMs;
    private final int buckets;
    private final long[] stamps;
    private final long[] values;
    private final int width;

    TimeRing(final TelemetryWindow window)
    {
        this(window, Metric.COUNT);
    }

    TimeRing(final TelemetryWindow window, final int width)
    {
        this.bucketMs = window.bucketMs();
        this.buckets = window.buckets();
        this.width = width;
        this.stamps = new long[buckets];
        this.values = new long[buckets * width];
        Arrays.fill(stamps, Long.MIN_VALUE);
    }

    void add(final long nowMs, final long[] deltas)
    {
        final long index = Math.floorDiv(nowMs, bucketMs);
        final int slot = (int)Math.floorMod(index, (long)buckets);
        if (stamps[slot] != index)
        {
            if (stamps[slot] > index)
            {
                return; // older than the ring
            }
            stamps[slot] = index;
            Arrays.fill(values, slot * width, (slot + 1) * width, 0L);
        }
        final int base = slot * width;
        for (int i = 0; i < width; i++)
        {
            values[base + i] += deltas[i];
        }
    }

    /**
     * Add the counters of the buckets within the ring's length ending at {@code nowMs} into {@code sums}.
     */
    void sum(final long nowMs, final long[] sums)
    {
        final long newest = Math.floorDiv(nowMs, bucketMs);
        final long oldest = newest - buckets + 1;
        for (int slot = 0; slot < buckets; slot++)
        {
            final long stamp = stamps[slot];
            if (stamp >= oldest && stamp <= newest)
            {
                final int base = slot * width;
                for (int i = 0; i < width; i++)
                {
                    sums[i] += values[base + i];
                }
            }
        }
    }

    /**
     * @return counter {@code metric} of the bucket {@code bucketsBack} before the one holding {@code nowMs} (0 = the
     *         current one), or 0 when that bucket holds nothing.
     */
    long valueIn(final long nowMs, final int bucketsBack, final int metric)
    {
        final long index = Math.floorDiv(nowMs, bucketMs) - bucketsBack;
        final int slot = (int)Math.floorMod(index, (long)buckets);
        return stamps[slot] == index ? values[slot * width + metric] : 0L;
    }

    /**
     * Add the counters of the bucket {@code bucketsBack} before the one holding {@code nowMs} (0 = the current one) into
     * {@code sums}.
     *
     * @return true when that bucket holds samples.
     */
    boolean addBucket(final long nowMs, final int bucketsBack, final long[] sums)
    {
        final long index = Math.floorDiv(nowMs, bucketMs) - bucketsBack;
        final int slot = (int)Math.floorMod(index, (long)buckets);
        if (stamps[slot] != index)
        {
            return false;
        }
        final int base = slot * width;
        for (int i = 0; i < width; i++)
        {
            sums[i] += values[base + i];
        }
        return true;
    }
}
