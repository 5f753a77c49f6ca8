package io.bifrost.edge.control;

import io.bifrost.protocol.sbe.PlacementAction;

/**
 * One decoded PlacementCommand this edge accepted (meant for it, not expired, not seen before).
 *
 * @param commandId   the control plane's command id.
 * @param action      prefetch, pin or release.
 * @param contentId   live/{id} or vod/{id}.
 * @param rendition   a rendition, or empty for every rendition.
 * @param fromMsn     first segment msn, -1 from the start.
 * @param toMsn       last segment msn, -1 to the end.
 * @param priority    higher runs first.
 * @param expiresAtMs epoch millis after which the command is void; 0 never.
 */
public record PlacementOrder(
    long commandId,
    PlacementAction action,
    String contentId,
    String rendition,
    long fromMsn,
    long toMsn,
    int priority,
    long expiresAtMs)
{
}
