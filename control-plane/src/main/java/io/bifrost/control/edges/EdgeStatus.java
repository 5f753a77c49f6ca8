package io.bifrost.control.edges;

import java.util.Locale;

/**
 * An edge's status in the registry: its own reported health while it heartbeats, {@link #DOWN} once its heartbeats
 * stop for longer than the heartbeat timeout.
 */
public enum EdgeStatus
{
    /** Heartbeating and healthy: steered to. */
    UP,
    /** Heartbeating, shutting down: never steered to. */
    DRAINING,
    /** Heartbeating but impaired: steered to only when no UP edge can take the viewer. */
    DEGRADED,
    /** No heartbeat within the timeout: never steered to, no placement. */
    DOWN;

    private final String label = name().toLowerCase(Locale.ROOT);

    /**
     * @return the lower-case API name.
     */
    public String label()
    {
        return label;
    }
}
