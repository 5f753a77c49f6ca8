package io.bifrost.edge.ring;

import io.bifrost.edge.cache.CacheTierName;

/**
 * Receives one event per viewer request, on the access ring's thread (the telemetry publisher will be one). Must not
 * block for long: while it runs, events queue in the ring and are dropped when it is full.
 */
@FunctionalInterface
public interface AccessObserver
{
    /** Observes nothing. */
    AccessObserver NONE = (path, bytes, outcome, tier) -> { };

    /**
     * @param path    request path (query stripped); null for requests that named no content.
     * @param bytes   body bytes sent.
     * @param outcome how the request ended ({@code bifrost.edge.requests{outcome}} names).
     * @param tier    where the body came from.
     */
    void onAccess(String path, long bytes, String outcome, CacheTierName tier);

    /**
     * The same event with the request's time to first byte; observers that need no latency keep the default.
     *
     * @param path           request path (query stripped); null for requests that named no content.
     * @param bytes          body bytes sent.
     * @param outcome        how the request ended.
     * @param tier           where the body came from.
     * @param firstByteNanos from the request head to the response head handed to the connection, nanoseconds; -1 when
     *                       not measured (a request the live window may have held for a part yet to come).
     */
    default void onAccess(
        final String path, final long bytes, final String outcome, final CacheTierName tier, final long firstByteNanos)
    {
        onAccess(path, bytes, outcome, tier);
    }
}
