package io.bifrost.control.telemetry;

/**
 * The counters of one key (a content, an edge, a region, or a content in a region) in every {@link TelemetryWindow}:
 * one {@link TimeRing} per window, so about 1.2 KiB per key. Not thread-safe (confined by the aggregator's lock).
 */
final class WindowedCounters
{
    private final TimeRing minute = new TimeRing(TelemetryWindow.MINUTE);
    private final TimeRing hour = new TimeRing(TelemetryWindow.HOUR);
    private final TimeRing day = new TimeRing(TelemetryWindow.DAY);

    void add(final long nowMs, final long[] deltas)
    {
        minute.add(nowMs, deltas);
        hour.add(nowMs, deltas);
        day.add(nowMs, deltas);
    }

    long[] sum(final TelemetryWindow window, final long nowMs)
    {
        final long[] sums = new long[Metric.COUNT];
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
