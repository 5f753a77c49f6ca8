package io.bifrost.control.telemetry;

/**
 * The requests of every content, tracked or not, estimated per clock hour over the last day: a ring of 24 count-min
 * sketches ({@link CountMinSketch}, depth 4, width 4096: 128 KiB each), one per hour of the day window, a slot cleared
 * when its hour comes round again. What the {@link TelemetryAggregator} admits a surging content by and answers for
 * contents in the long tail.
 *
 * <p>Not thread-safe: confined by the aggregator's lock. Allocates only at construction.
 */
final class HourlySketches
{
    private static final int DEPTH = 4;
    private static final int WIDTH = 4096;
    private static final long HOUR_MS = TelemetryWindow.DAY.bucketMs();

    private final CountMinSketch[] sketches = new CountMinSketch[TelemetryWindow.DAY.buckets()];
    private final long[] hours = new long[TelemetryWindow.DAY.buckets()];

    HourlySketches()
    {
        for (int i = 0; i < sketches.length; i++)
        {
            sketches[i] = new CountMinSketch(DEPTH, WIDTH);
            hours[i] = Long.MIN_VALUE;
        }
    }

    /**
     * @param keyHash  {@link CountMinSketch#hash} of the content id.
     * @param requests requests to add in the current hour.
     * @param nowMs    the control plane's clock.
     */
    void add(final long keyHash, final long requests, final long nowMs)
    {
        final long hour = Math.floorDiv(nowMs, HOUR_MS);
        final int slot = (int)Math.floorMod(hour, (long)sketches.length);
        if (hours[slot] != hour)
        {
            sketches[slot].clear();
            hours[slot] = hour;
        }
        sketches[slot].add(keyHash, requests);
    }

    /**
     * @param keyHash {@link CountMinSketch#hash} of the content id.
     * @param nowMs   the control plane's clock.
     * @return the estimated requests in this clock hour and the previous one (never below the true count).
     */
    long requestsInTwoHours(final long keyHash, final long nowMs)
    {
        final long hour = Math.floorDiv(nowMs, HOUR_MS);
        long estimate = 0;
        for (long h = hour - 1; h <= hour; h++)
        {
            final int slot = (int)Math.floorMod(h, (long)sketches.length);
            if (hours[slot] == h)
            {
                estimate += sketches[slot].estimate(keyHash);
            }
        }
        return estimate;
    }
}
