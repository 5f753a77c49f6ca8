package io.bifrost.control.placement;

import java.util.Objects;

/**
 * A healthy edge as placement sees it (from its heartbeats).
 *
 * @param edgeId        the edge's unique id.
 * @param region        its region.
 * @param capacityBytes its cache capacity (RAM + SSD tiers).
 * @param usedBytes     bytes it holds now.
 */
public record EdgeState(String edgeId, String region, long capacityBytes, long usedBytes)
{
    /**
     * @throws IllegalArgumentException on a negative capacity.
     */
    public EdgeState
    {
        Objects.requireNonNull(edgeId, "edgeId");
        Objects.requireNonNull(region, "region");
        if (capacityBytes < 0 || usedBytes < 0)
        {
            throw new IllegalArgumentException("edge " + edgeId + " capacity and use must be 0 or more");
        }
    }
}
