package io.bifrost.control.steer;

import java.util.List;

/**
 * Where one viewer is sent ({@code data} of {@code GET /v1/steer}; snake_case on the wire).
 *
 * @param contentId   the content, live/{id} or vod/{id}.
 * @param region      the region asked for (null when none was given).
 * @param edgeId      the chosen edge.
 * @param edgeRegion  the chosen edge's region (differs from {@code region} when it had no usable edge).
 * @param url         the edge URL to play from.
 * @param temperature hot, warm or cold: how widely the content is spread.
 * @param replicas    the content's replica edges in the region, best first (the chosen one among them).
 * @param fallback    true when the region had no usable edge and another region's edge was chosen.
 * @param shed        edges skipped because they were overloaded.
 */
public record SteerDecision(
    String contentId,
    String region,
    String edgeId,
    String edgeRegion,
    String url,
    String temperature,
    List<String> replicas,
    boolean fallback,
    List<String> shed)
{
    public SteerDecision
    {
        replicas = List.copyOf(replicas);
        shed = List.copyOf(shed);
    }
}
