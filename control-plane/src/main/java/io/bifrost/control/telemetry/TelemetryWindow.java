package io.bifrost.control.telemetry;

import java.util.Locale;

/**
 * The time windows telemetry is aggregated into: the last minute in 1 s buckets, the last hour in 1 min buckets and
 * the last day in 1 h buckets. A window's sum covers its buckets that end after {@code now - length}, so it holds
 * between {@code length - bucket} and {@code length} of history (the current bucket is still filling).
 */
public enum TelemetryWindow
{
    /** The last 60 seconds, per second. */
    MINUTE(1_000L, 60),
    /** The last 60 minutes, per minute. */
    HOUR(60_000L, 60),
    /** The last 24 hours, per hour. */
    DAY(3_600_000L, 24);

    private final long bucketMs;
    private final int buckets;
    private final String label = name().toLowerCase(Locale.ROOT);

    TelemetryWindow(final long bucketMs, final int buckets)
    {
        this.bucketMs = bucketMs;
        this.buckets = buckets;
    }

    /**
     * @return the length of one bucket in milliseconds.
     */
    public long bucketMs()
    {
        return bucketMs;
    }

    /**
     * @return the number of buckets.
     */
    public int buckets()
    {
        return buckets;
    }

    /**
     * @return the window's length in milliseconds.
     */
    public long lengthMs()
    {
        return bucketMs * buckets;
    }

    /**
     * @return the API name: minute, hour or day.
     */
    public String label()
    {
        return label;
    }

    /**
     * @param label minute, hour or day (case-insensitive).
     * @return the window, or null when the label names none.
     */
    public static TelemetryWindow fromLabel(final String label)
    {
        if (label != null)
        {
            for (final TelemetryWindow window : values())
            {
                if (window.label.equalsIgnoreCase(label))
                {
                    return window;
                }
            }
        }
        return null;
    }
}
