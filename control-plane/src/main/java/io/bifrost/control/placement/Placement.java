package io.bifrost.control.placement;

import java.util.Objects;

/**
 * A policy's wish: this edge should hold this segment range of a content. The planner keeps the wishes that fit each
 * edge's placement budget, highest {@code score} first, and turns them into {@link PlacementDecision}s.
 *
 * @param edgeId    the edge.
 * @param contentId the content.
 * @param fromMsn   first segment, or -1 for the start (of the title or live window).
 * @param toMsn     last segment, or -1 for the end.
 * @param pin       true to keep it from eviction (PIN), false to prefetch only.
 * @param score     priority: higher is placed first and its command runs first.
 * @param bytes     estimated bytes the range takes on the edge.
 */
public record Placement(String edgeId, String contentId, long fromMsn, long toMsn, boolean pin, double score, long bytes)
{
    /**
     * Checks ids and size.
     */
    public Placement
    {
        Objects.requireNonNull(edgeId, "edgeId");
        Objects.requireNonNull(contentId, "contentId");
        if (bytes < 0)
        {
            throw new IllegalArgumentException("placement bytes must be 0 or more, got " + bytes);
        }
    }
}
