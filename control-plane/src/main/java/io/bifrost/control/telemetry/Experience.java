package io.bifrost.control.telemetry;

/**
 * The experience counters kept per bucket beside the traffic ones ({@link Metric}), as indexes into a bucket's slots:
 * what viewers waited for and what the reference player reported. Percentiles from different edges and windows cannot
 * be added, so each is kept as a weighted sum (the edge's window percentile times its weight: requests for first byte,
 * misses for fills, beacons for startup) and read back as the weighted mean, an approximation that is exact when one
 * edge reports one window. QoE counts are plain sums of the edges' deltas.
 */
final class Experience
{
    static final int FIRST_BYTE_WEIGHT = 0;
    static final int FIRST_BYTE_P50 = 1;
    static final int FIRST_BYTE_P99 = 2;
    static final int FILL_WEIGHT = 3;
    static final int FILL_P50 = 4;
    static final int FILL_P99 = 5;
    static final int BEACONS = 6;
    static final int STARTUP_WEIGHT = 7;
    static final int STARTUP_P50 = 8;
    static final int REBUFFERS = 9;
    static final int REBUFFER_MILLIS = 10;
    static final int SWITCHES = 11;
    static final int PLAYED_MILLIS = 12;
    /** Mean bitrate (kb/s) times played milliseconds, so its sum over played milliseconds is the mean bitrate. */
    static final int KBPS_MILLIS = 13;
    static final int COUNT = 14;

    private Experience()
    {
    }
}
