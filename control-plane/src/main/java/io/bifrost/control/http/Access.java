package io.bifrost.control.http;

/**
 * Who may call a route. Checked by {@link AccessGuard} before the route's handler runs.
 */
public enum Access
{
    /** Anyone: health, readiness and metrics. */
    OPEN,
    /** Operators: {@code Authorization: Bearer <control.admin-token>}, or loopback callers when no admin token is set. */
    OPERATOR,
    /** Ingest nodes: {@code Authorization: Bearer <control.ingest-token>}, or loopback callers when none is set. */
    INTERNAL
}
