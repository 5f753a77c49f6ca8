package io.bifrost.perf.live;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds, pre-sized (no allocation while recording), summarised as percentiles.
 * Recording is single-threaded unless the caller synchronizes.
 */
final class LatencySamples
{
    private final long[] samples;
    private int count;

    LatencySamples(final int capacity)
    {
        samples = new long[capacity];
    }

    void record(final long nanos)
    {
        if (count < samples.length)
        {
            samples[count++] = nanos;
        }
    }

    int count()
    {
        return count;
    }

    /**
     * @return "n=.. p50=.. p99=.. max=.." in microseconds.
     */
    String summary()
    {
        if (count == 0)
        {
            return "n=0";
        }
        final long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return String.format("n=%d p50=%.0f us p99=%.0f us p99.9=%.0f us max=%.0f us", count,
            percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.99) / 1e3, percentile(sorted, 0.999) / 1e3,
            sorted[count - 1] / 1e3);
    }

    private static double percentile(final long[] sorted, final double q)
    {
        return sorted[Math.min(sorted.length - 1, (int)Math.ceil(q * sorted.length) - 1)];
    }
}
