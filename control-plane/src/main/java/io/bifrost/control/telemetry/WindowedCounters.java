package io.bifrost.control.telemetry;

/**
 * The counters of one key (a content, an edge, a region, or a content in a region) in every {@link TelemetryWindow}:
 * one {@link TimeRing} per window, 144 buckets in all, so {@code 144 * (1 + width) * 8} bytes per key (about 9 KiB for
 * the traffic {@link Metric}s, 17 KiB for the {@link Experience} ones). Not thread-safe (confined by the aggregator's
 * lock).
 */
final class WindowedCounters
{
    private final int width;
    private final TimeRing minute;
    private final TimeRing hour;
    private final TimeRing day;

    WindowedCounters()
    {
        this(Metric.COUNT);
    }

    /**
     * @param width counters per bucket: {@link Metric#COUNT} or {@link Experience#COUNT}.
     */
    WindowedCounters(final int width)
    {
        this.width = width;
        minute = new TimeRing(TelemetryWindow.MINUTE, width);
        hour = new TimeRing(TelemetryWindow.HOUR, width);
        day = new TimeRing(TelemetryWindow.DAY, width);
    }

    void add(final long nowMs, final long[] deltas)
    {
        minute.add(nowMs, deltas);
        hour.add(nowMs, deltas);
        day.add(nowMs, deltas);
    }

    long[] sum(final TelemetryWindow window, final long nowMs)
    {
        final long[] sums = new long[width];
        ring(window).sum(nowMs, sums);
        return sums;
    }

    long requests(final TelemetryWindow window, final long nowMs)
    {
        final long[] sums = new long[Metric.COUNT];
        ring(window).sum(nowMs, sums);
        return sums[Metric.REQUESTS];
    }

    /**
     * @return requests in the hour bucket {@code hoursBack} before the current one (0 = this hour so far).
     */
    long requestsInHour(final long nowMs, final int hoursBack)
    {
        return day.valueIn(nowMs, hoursBack, Metric.REQUESTS);
    }

    /**
     * @return viewer-milliseconds in the hour bucket {@code hoursBack} before the current one.
     */
    long viewerMillisInHour(final long nowMs, final int hoursBack)
    {
        return day.valueIn(nowMs, hoursBack, Metric.VIEWER_MILLIS);
    }

    /**
     * @return viewer-milliseconds in the minute bucket {@code minutesBack} before the current one.
     */
    long viewerMillisInMinute(final long nowMs, final int minutesBack)
    {
        return hour.valueIn(nowMs, minutesBack, Metric.VIEWER_MILLIS);
    }

    /**
     * Add the counters of the minute {@code minutesBack} before the current one (the hour window's bucket) into
     * {@code sums}.
     *
     * @return true when that minute holds samples.
     */
    boolean addMinute(final long nowMs, final int minutesBack, final long[] sums)
    {
        return hour.addBucket(nowMs, minutesBack, sums);
    }

    private TimeRing ring(final TelemetryWindow window)
    {
        return switch (window)
        {
            case MINUTE -> minute;
            case HOUR -> hour;
            case DAY -> day;
        };
    }
}
