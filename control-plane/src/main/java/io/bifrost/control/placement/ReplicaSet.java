package io.bifrost.control.placement;

import java.util.List;
import java.util.Objects;

/**
 * The edges of a region that should serve a content, best first (rendezvous order): what steering spreads that
 * content's viewers over, so that viewers land where placement put the content.
 *
 * @param contentId   the content.
 * @param region      the region.
 * @param temperature the content's temperature there.
 * @param edgeIds     the edges, best first; never empty.
 */
public record ReplicaSet(String contentId, String region, Temperature temperature, List<String> edgeIds)
{
    /**
     * Copies the list.
     */
    public ReplicaSet
    {
        Objects.requireNonNull(contentId, "contentId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(temperature, "temperature");
        edgeIds = List.copyOf(edgeIds);
        if (edgeIds.isEmpty())
        {
            throw new IllegalArgumentException("a replica set needs an edge");
        }
    }
}
