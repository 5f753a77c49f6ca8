package io.bifrost.ingest.control;

import java.util.Locale;

/**
 * How one stream-key check ended; each value is a {@code bifrost.ingest.control.authorize{outcome}} counter.
 */
public enum AuthorizeOutcome
{
    /** The control plane accepted the key. */
    ALLOWED,
    /** The control plane refused the key (unknown, revoked, bad request). */
    REFUSED,
    /** The control plane refused the ingest node itself (401: token missing or wrong): a configuration error. */
    UNAUTHORIZED,
    /** The control plane did not answer in time, was unreachable, or answered with an error or garbage. */
    UNAVAILABLE,
    /** Answered from the short positive cache. */
    CACHED_ALLOWED,
    /** Answered from the short negative cache. */
    CACHED_REFUSED,
    /** Joined a check of the same key already on its way to the control plane (single flight). */
    SHARED;

    /**
     * @return the lower-case, dash-separated tag value.
     */
    public String tag()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
