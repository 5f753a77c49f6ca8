package io.bifrost.control.telemetry;

/**
 * The counters kept per bucket, as indexes into a bucket's slots. Every one is a sum of the edges' per-window deltas
 * (EdgeTelemetry contents), except {@link #VIEWER_MILLIS}: active viewers times the edge window's length in
 * milliseconds, so its sum over a window divided by the window's length is the mean number of viewers.
 */
final class Metric
{
    static final int REQUESTS = 0;
    static final int BYTES = 1;
    static final int RAM_HITS = 2;
    static final int SSD_HITS = 3;
    static final int MISSES = 4;
    static final int ERRORS = 5;
    static final int VIEWER_MILLIS = 6;
    static final int COUNT = 7;

    private Metric()
    {
    }
}
