package io.bifrost.control.placement;

import java.util.Objects;

/**
 * What an edge is known to hold of a content because of placement: a segment range, pinned or not, until a time.
 * Ranges use the PlacementCommand convention: -1 as {@code fromMsn} means from the start, as {@code toMsn} to the end.
 *
 * @param edgeId      the edge.
 * @param contentId   the content.
 * @param fromMsn     first segment held, or -1.
 * @param toMsn       last segment held, or -1.
 * @param pinned      true while it is exempt from eviction.
 * @param expiresAtMs epoch millis after which it is no longer assumed held (a pin lapses); 0 = never.
 */
public record Holding(String edgeId, String contentId, long fromMsn, long toMsn, boolean pinned, long expiresAtMs)
{
    /**
     * Checks the ids.
     */
    public Holding
    {
        Objects.requireNonNull(edgeId, "edgeId");
        Objects.requireNonNull(contentId, "contentId");
    }

    /**
     * @param from first segment wanted, or -1.
     * @param to   last segment wanted, or -1.
     * @return true when this holding covers that range.
     */
    public boolean covers(final long from, final long to)
    {
        return lower(fromMsn) <= lower(from) && upper(toMsn) >= upper(to);
    }

    static long lower(final long msn)
    {
        return msn < 0 ? Long.MIN_VALUE : msn;
    }

    static long upper(final long msn)
    {
        return msn < 0 ? Long.MAX_VALUE : msn;
    }
}
