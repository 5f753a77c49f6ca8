package io.bifrost.control.placement;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Placement that reacts to a flash crowd within minutes and copies content only where viewers will fetch it.
 * <ul>
 *   <li><b>Current rate, not last hour.</b> The score's views per hour are the larger of the last hour's views and the
 *   short window's rate ({@code viewsRecent} scaled to an hour), and growth is the larger of the hourly and the
 *   short-window growth, so a title going viral is hot minutes after it starts, not an hour later.</li>
 *   <li><b>Surge.</b> Short-window growth at or above {@code surgeGrowth}, confirmed by an hourly growth above the
 *   trending 1.5 (so that noise in a steady title's five-minute count is not a surge), with a rate at or above the
 *   warm threshold:
 *   the title's first segments are pinned at once on the edges that will serve it in that region, and prefetched onto
 *   the rendezvous-best edge of every other region (viral titles spread between regions), before viewers there ask.</li>
 *   <li><b>Replicas by load.</b> A hot or surging content gets as many edges as its viewers need
 *   ({@code ceil(predicted viewers / viewersPerEdge)}, predicted from the short-window growth), best first by
 *   rendezvous hashing, not every edge: each extra replica costs the origin a full copy of what viewers watch. Warm
 *   and cold content get one edge per region, so the region's edges act as one cache partitioned by content instead
 *   of each holding the same popular titles.</li>
 *   <li><b>VOD: the part viewers will watch.</b> Most sessions stop early, so VOD placements cover the first
 *   {@code prefixSegments} plus {@code aheadSegments} past the furthest segment viewers fetch, never the whole title.
 *   Warm content gets its prefix only.</li>
 *   <li><b>Live: the window.</b> Edges receive a live window over Aeron anyway; placement pins it on the hot stream's
 *   replicas so the RAM tier keeps it, and prefetches nothing.</li>
 *   <li><b>Head pinning (experimental, off by default).</b> With {@code pinHeadMinViews} above 0, every other VOD
 *   title with at least that many views in the last hour is pinned whole on its rendezvous edge, most viewed first,
 *   within the budget: a frequency-ranked half of the cache that LRU scans cannot flush. In the placement simulation
 *   (3 views) it raised the hit ratio by about 4.6 points but the prefetches and the pin/release churn at the
 *   ranking's edge cost more origin bytes than the hits saved (+1.7 % egress); at 6 views +1 point and -0.9 %
 *   egress; at 20 views no change. Too small and too sensitive to the threshold to be on by default.</li>
 * </ul>
 * Stateless: everything it needs is in the round's input.
 */
public final class SurgePolicy implements PlacementPolicy
{
    /** Name in configuration and reports. */
    public static final String NAME = "surge";

    private static final double MAX_PREDICTED_GROWTH = 4;
    private static final double OTHER_REGION_SCORE_FACTOR = 0.5;

    private final PlacementPlanner.Context context;

    /**
     * @param context concluded settings.
     */
    public SurgePolicy(final PlacementPlanner.Context context)
    {
        this.context = context;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public void propose(final PlacementInput input, final PlacementProposal out)
    {
        final PopularityScore popularity = context.popularity();
        final double perHour = 60.0 / context.recentWindowMinutes();
        final Map<String, RegionalDemand> surging = new HashMap<>();
        final Map<String, Double> surgeScores = new HashMap<>();
        final Set<String> servedRegions = new HashSet<>();
        for (final RegionalDemand d : input.demands())
        {
            final int regionEdges = input.edgesIn(d.region()).size();
            if (regionEdges == 0)
            {
                continue;
            }
            final double rate = d.viewsRecent() * perHour;
            final double recentGrowth = PopularityScore.growth(d.viewsRecent(), d.viewsRecentBefore());
            final double hourGrowth = PopularityScore.growth(d.viewsLastHour(), d.viewsPreviousHour());
            final double growth = Math.max(hourGrowth, recentGrowth);
            final double score = popularity.score(
                Math.max(d.viewsLastHour(), rate), d.ageHours(), input.engagement(d), growth);
            final Temperature temperature = popularity.temperature(score);
            final boolean surge = recentGrowth >= context.surgeGrowth() && hourGrowth > PopularityScore.TRENDING_GROWTH &&
                rate >= popularity.warmScore();

            int replicas = 1;
            if (temperature == Temperature.HOT || surge)
            {
                final double predicted = d.activeViewers() * (surge ? Math.min(recentGrowth, MAX_PREDICTED_GROWTH) : 1);
                replicas = (int)Math.clamp((long)Math.ceil(predicted / context.viewersPerEdge()), 1, regionEdges);
            }
            final List<String> edges = input.rankedEdges(d.contentId(), d.region(), replicas);
            out.replicas(new ReplicaSet(
                d.contentId(), d.region(), surge ? Temperature.HOT : temperature, edges));
            if (surge)
            {
                surging.putIfAbsent(d.contentId(), d);
                surgeScores.merge(d.contentId(), score, Math::max);
            }
            if (temperature == Temperature.HOT || surge)
            {
                servedRegions.add(d.contentId() + '\n' + d.region());
            }
            final boolean hot = temperature == Temperature.HOT || surge;
            if (!hot && !d.live() && context.pinHeadMinViews() > 0 && d.viewsLastHour() >= context.pinHeadMinViews() &&
                d.lastMsn() >= 0)
            {
                final long bytes = d.segmentCount() * d.segmentBytes();
                out.place(new Placement(edges.getFirst(), d.contentId(), d.firstMsn(), d.lastMsn(), true,
                    d.viewsLastHour(), bytes));
                continue;
            }
            if (temperature == Temperature.COLD && !surge)
            {
                continue;
            }
            if (d.live())
            {
                if (temperature == Temperature.HOT || surge)
                {
                    final long bytes = d.segmentCount() * d.segmentBytes();
                    for (final String edge : edges)
                    {
                        out.place(new Placement(edge, d.contentId(), -1, -1, true, score, bytes));
                    }
                }
                continue;
            }
            final long to = vodEnd(d, hot);
            final long bytes = Math.max(0, to - d.firstMsn() + 1) * d.segmentBytes();
            for (final String edge : edges)
            {
                out.place(new Placement(edge, d.contentId(), d.firstMsn(), to, hot, score, bytes));
            }
        }
        for (final Map.Entry<String, RegionalDemand> entry : surging.entrySet())
        {
            final RegionalDemand d = entry.getValue();
            if (d.live())
            {
                continue;
            }
            final long to = prefixEnd(d);
            final long bytes = Math.max(0, to - d.firstMsn() + 1) * d.segmentBytes();
            final double score = surgeScores.get(entry.getKey()) * OTHER_REGION_SCORE_FACTOR;
            for (final String region : input.regions())
            {
                if (servedRegions.contains(d.contentId() + '\n' + region))
                {
                    continue;
                }
                for (final String edge : input.rankedEdges(d.contentId(), region, 1))
                {
                    out.place(new Placement(edge, d.contentId(), d.firstMsn(), to, false, score, bytes));
                }
            }
        }
    }

    private long vodEnd(final RegionalDemand d, final boolean hot)
    {
        final long prefixEnd = prefixEnd(d);
        if (!hot || d.furthestMsn() < 0)
        {
            return prefixEnd;
        }
        final long ahead = Math.max(prefixEnd, d.furthestMsn() + context.aheadSegments());
        return d.lastMsn() >= 0 ? Math.min(d.lastMsn(), ahead) : ahead;
    }

    private long prefixEnd(final RegionalDemand d)
    {
        final long end = d.firstMsn() + context.prefixSegments() - 1;
        return d.lastMsn() >= 0 ? Math.min(d.lastMsn(), end) : end;
    }
}
