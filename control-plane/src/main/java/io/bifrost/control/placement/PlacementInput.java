package io.bifrost.control.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One planning round's view of the world: the demand per content and region, and the healthy edges. Precomputes what
 * every policy needs (edges per region in a stable order, regional engagement totals). Immutable after construction;
 * safe to share between threads.
 */
public final class PlacementInput
{
    private final long nowMs;
    private final List<RegionalDemand> demands;
    private final List<EdgeState> edges;
    private final Map<String, List<EdgeState>> edgesByRegion = new TreeMap<>();
    private final Map<String, long[]> edgeHashesByRegion = new HashMap<>();
    private final Map<String, Double> viewsByRegion = new HashMap<>();
    private final Map<String, Double> viewsByContent = new HashMap<>();
    private final double allViews;

    /**
     * @param nowMs   epoch millis of this round.
     * @param demands demand per content and region (at most one per pair).
     * @param edges   the healthy edges, each id once.
     */
    public PlacementInput(final long nowMs, final List<RegionalDemand> demands, final List<EdgeState> edges)
    {
        this.nowMs = nowMs;
        this.demands = List.copyOf(demands);
        this.edges = List.copyOf(edges);
        for (final EdgeState edge : this.edges)
        {
            edgesByRegion.computeIfAbsent(edge.region(), r -> new ArrayList<>()).add(edge);
        }
        for (final Map.Entry<String, List<EdgeState>> entry : edgesByRegion.entrySet())
        {
            final List<EdgeState> regional = entry.getValue();
            regional.sort(Comparator.comparing(EdgeState::edgeId));
            entry.setValue(List.copyOf(regional));
            final long[] hashes = new long[regional.size()];
            for (int i = 0; i < hashes.length; i++)
            {
                hashes[i] = RendezvousHash.hash(regional.get(i).edgeId());
            }
            edgeHashesByRegion.put(entry.getKey(), hashes);
        }
        double total = 0;
        for (final RegionalDemand demand : this.demands)
        {
            final double views = Math.max(0, demand.viewsLastHour());
            viewsByRegion.merge(demand.region(), views, Double::sum);
            viewsByContent.merge(demand.contentId(), views, Double::sum);
            total += views;
        }
        allViews = total;
    }

    /**
     * @return epoch millis of this round.
     */
    public long nowMs()
    {
        return nowMs;
    }

    /**
     * @return the demand records.
     */
    public List<RegionalDemand> demands()
    {
        return demands;
    }

    /**
     * @return the healthy edges.
     */
    public List<EdgeState> edges()
    {
        return edges;
    }

    /**
     * @return the regions that have a healthy edge, sorted.
     */
    public List<String> regions()
    {
        return List.copyOf(edgesByRegion.keySet());
    }

    /**
     * @param region a region.
     * @return its healthy edges sorted by id; empty when it has none.
     */
    public List<EdgeState> edgesIn(final String region)
    {
        return edgesByRegion.getOrDefault(region, List.of());
    }

    /**
     * @param contentId a content.
     * @param region    a region.
     * @param k         how many edges.
     * @return the ids of the region's {@code k} best edges for the content by rendezvous hashing, best first.
     */
    public List<String> rankedEdges(final String contentId, final String region, final int k)
    {
        final List<EdgeState> regional = edgesIn(region);
        final int wanted = Math.max(0, Math.min(k, regional.size()));
        final int[] chosen = new int[wanted];
        final int n = RendezvousHash.topK(
            RendezvousHash.hash(contentId), edgeHashesByRegion.getOrDefault(region, new long[0]), regional.size(),
            wanted, chosen);
        final List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            ids.add(regional.get(chosen[i]).edgeId());
        }
        return ids;
    }

    /**
     * @param demand a demand record of this round.
     * @return its regional engagement from this round's last-hour views
     * ({@link PopularityScore#regionalEngagement(double, double, double, double)}).
     */
    public double engagement(final RegionalDemand demand)
    {
        return PopularityScore.regionalEngagement(
            demand.viewsLastHour(), viewsByContent.getOrDefault(demand.contentId(), 0.0),
            viewsByRegion.getOrDefault(demand.region(), 0.0), allViews);
    }
}
