package io.bifrost.control.steer;

import io.bifrost.control.edges.EdgeRegistry;
import io.bifrost.control.edges.EdgeSnapshot;
import io.bifrost.control.edges.EdgeStatus;
import io.bifrost.control.placement.RendezvousHash;
import io.bifrost.control.placement.Temperature;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Picks the edge a viewer plays a content from.
 *
 * <ol>
 *   <li>Candidates: edges that serve viewers ({@link EdgeStatus#UP}, else {@link EdgeStatus#DEGRADED} when the pool
 *       has no UP edge; never DRAINING or DOWN) in the viewer's region; when the region has none, every region's.</li>
 *   <li>Replicas: the candidates ranked by rendezvous hashing of the content id ({@link RendezvousHash}, the same
 *       ranking placement uses, so viewers land where the content was prefetched); a cold content gets 1 replica, a
 *       warm one {@code max(2, n/3)}, a hot one every candidate ({@link ViewRate}).</li>
 *   <li>Load shedding: an edge at or above the overload threshold (CPU or egress vs capacity, from its heartbeat)
 *       is skipped and the next edge in the ranking takes its place; when every candidate is overloaded the least
 *       loaded one is chosen.</li>
 *   <li>Among the replicas, one viewer always gets the same edge: a second rendezvous ranking keyed by content and
 *       client (its address), so a content's viewers spread over its replicas and a viewer's requests stay on one
 *       cache.</li>
 * </ol>
 * Stateless apart from what it reads; thread-safe.
 */
public final class EdgeSteering
{
    /** Default overload threshold: 85 % CPU or egress. */
    public static final double DEFAULT_OVERLOAD = 0.85;
    /** Default egress capacity of one edge: 10 Gbit/s. */
    public static final long DEFAULT_EGRESS_CAPACITY_BPS = 10_000_000_000L;

    private final EdgeRegistry registry;
    private final ViewRate viewRate;
    private final long egressCapacityBitsPerSecond;
    private final double overloadThreshold;

    /**
     * @param registry                    the edges.
     * @param viewRate                    content temperature.
     * @param egressCapacityBitsPerSecond what one edge can send (positive).
     * @param overloadThreshold           load (0-1) at which an edge is skipped, in (0, 1].
     */
    public EdgeSteering(
        final EdgeRegistry registry, final ViewRate viewRate, final long egressCapacityBitsPerSecond,
        final double overloadThreshold)
    {
        if (egressCapacityBitsPerSecond <= 0 || !(overloadThreshold > 0 && overloadThreshold <= 1))
        {
            throw new IllegalArgumentException("steering: egress capacity must be positive and the overload threshold in " +
                "(0, 1], got " + egressCapacityBitsPerSecond + " and " + overloadThreshold);
        }
        this.registry = registry;
        this.viewRate = viewRate;
        this.egressCapacityBitsPerSecond = egressCapacityBitsPerSecond;
        this.overloadThreshold = overloadThreshold;
    }

    /**
     * @param contentId live/{id} or vod/{id}, already validated.
     * @param path      the path to play on the edge (starts with /), already validated.
     * @param region    the viewer's region, or null.
     * @param client    what keeps one viewer on one edge (its address), or null.
     * @param nowMs     the control plane's clock.
     * @return the decision, or null when no edge serves viewers at all.
     */
    public SteerDecision steer(
        final String contentId, final String path, final String region, final String client, final long nowMs)
    {
        final List<EdgeSnapshot> all = registry.edges();
        List<EdgeSnapshot> pool = usable(all, region);
        boolean fallback = false;
        if (pool.isEmpty() && region != null)
        {
            pool = usable(all, null);
            fallback = true;
        }
        if (pool.isEmpty())
        {
            return null;
        }
        final Temperature temperature = viewRate.temperature(contentId, fallback ? null : region, nowMs);
        final int replicaCount = switch (temperature)
        {
            case HOT -> pool.size();
            case WARM -> Math.min(pool.size(), Math.max(2, pool.size() / 3));
            case COLD -> 1;
        };
        final List<EdgeSnapshot> ranked = RendezvousHash.topK(contentId, pool, EdgeSnapshot::edgeId, pool.size());
        final List<EdgeSnapshot> replicas = new ArrayList<>(replicaCount);
        final List<String> shed = new ArrayList<>();
        for (final EdgeSnapshot edge : ranked)
        {
            if (replicas.size() == replicaCount)
            {
                break;
            }
            if (edge.load(egressCapacityBitsPerSecond) >= overloadThreshold)
            {
                shed.add(edge.edgeId());
            }
            else
            {
                replicas.add(edge);
            }
        }
        final EdgeSnapshot chosen;
        if (replicas.isEmpty())
        {
            EdgeSnapshot least = ranked.get(0);
            for (final EdgeSnapshot edge : ranked)
            {
                if (edge.load(egressCapacityBitsPerSecond) < least.load(egressCapacityBitsPerSecond))
                {
                    least = edge;
                }
            }
            chosen = least;
            replicas.add(least);
        }
        else if (replicas.size() == 1 || client == null)
        {
            chosen = replicas.get(0);
        }
        else
        {
            chosen = RendezvousHash.topK(contentId + '|' + client, replicas, EdgeSnapshot::edgeId, 1).get(0);
        }
        return new SteerDecision(contentId, region, chosen.edgeId(), chosen.region(), chosen.baseUrl() + path,
            temperature.name().toLowerCase(Locale.ROOT), replicas.stream().map(EdgeSnapshot::edgeId).toList(), fallback,
            shed);
    }

    private static List<EdgeSnapshot> usable(final List<EdgeSnapshot> all, final String region)
    {
        final List<EdgeSnapshot> up = new ArrayList<>();
        final List<EdgeSnapshot> degraded = new ArrayList<>();
        for (final EdgeSnapshot edge : all)
        {
            if (region != null && !region.equals(edge.region()))
            {
                continue;
            }
            if (edge.status() == EdgeStatus.UP)
            {
                up.add(edge);
            }
            else if (edge.status() == EdgeStatus.DEGRADED)
            {
                degraded.add(edge);
            }
        }
        return up.isEmpty() ? degraded : up;
    }
}
