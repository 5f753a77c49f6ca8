package io.bifrost.control.stream;

import java.util.Locale;

/**
 * Where a live stream is in its life: {@code created} (has a key, never published), {@code live} (an ingest node
 * reports a publisher), {@code offline} (was live, publisher gone; may go live again), {@code revoked} (deleted by an
 * operator: its key no longer authorizes and it never goes live again).
 */
public enum StreamStatus
{
    CREATED, LIVE, OFFLINE, REVOKED;

    /**
     * @return the lower-case name used in the API and the database.
     */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param label a lower-case name.
     * @return the status, or null when the label names none.
     */
    public static StreamStatus fromLabel(final String label)
    {
        for (final StreamStatus status : values())
        {
            if (status.label().equals(label))
            {
                return status;
            }
        }
        return null;
    }
}
