package io.bifrost.control.placement;

import io.bifrost.protocol.sbe.PlacementAction;

import java.util.Objects;

/**
 * One command for one edge, field for field what the control plane encodes as an SBE {@code PlacementCommand} (it
 * adds the {@code commandId}).
 *
 * @param action       PREFETCH, PIN or RELEASE.
 * @param targetEdgeId the edge that acts.
 * @param contentId    {@code live/{streamId}} or {@code vod/{videoId}}.
 * @param rendition    the rendition, or empty for every rendition.
 * @param fromMsn      first segment, or -1 for the start of the title or live window.
 * @param toMsn        last segment, or -1 for the end.
 * @param priority     higher runs first among an edge's queued prefetches.
 * @param expiresAtMs  epoch millis after which the command is void and a PIN lapses; 0 = never.
 */
public record PlacementDecision(
    PlacementAction action,
    String targetEdgeId,
    String contentId,
    String rendition,
    long fromMsn,
    long toMsn,
    int priority,
    long expiresAtMs)
{
    /**
     * Checks the non-null fields.
     */
    public PlacementDecision
    {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetEdgeId, "targetEdgeId");
        Objects.requireNonNull(contentId, "contentId");
        Objects.requireNonNull(rendition, "rendition");
    }
}
