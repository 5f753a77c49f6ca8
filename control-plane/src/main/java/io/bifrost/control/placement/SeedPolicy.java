package io.bifrost.control.placement;

import java.util.List;

/**
 * The product brief's placement, as written: score each content per region with {@link PopularityScore} over the
 * last hour; {@link Temperature#HOT} pins the whole content (title or live window) on every edge of the region,
 * {@link Temperature#WARM} prefetches it whole onto {@code warmReplicas} edges chosen by rendezvous hashing,
 * {@link Temperature#COLD} places nothing (edges fill on demand) and steers to the region's rendezvous-best edge.
 * Live and VOD are treated alike. Kept as the baseline the better policy is measured against. Stateless.
 */
public final class SeedPolicy implements PlacementPolicy
{
    /** Name in configuration and reports. */
    public static final String NAME = "seed";

    private final PlacementPlanner.Context context;

    /**
     * @param context concluded settings.
     */
    public SeedPolicy(final PlacementPlanner.Context context)
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
        for (final RegionalDemand d : input.demands())
        {
            final int regionEdges = input.edgesIn(d.region()).size();
            if (regionEdges == 0)
            {
                continue;
            }
            final double growth = PopularityScore.growth(d.viewsLastHour(), d.viewsPreviousHour());
            final double score = popularity.score(d.viewsLastHour(), d.ageHours(), input.engagement(d), growth);
            final Temperature temperature = popularity.temperature(score);
            final int replicas = switch (temperature)
            {
                case HOT -> regionEdges;
                case WARM -> Math.min(context.warmReplicas(), regionEdges);
                case COLD -> 1;
            };
            final List<String> edges = input.rankedEdges(d.contentId(), d.region(), replicas);
            out.replicas(new ReplicaSet(d.contentId(), d.region(), temperature, edges));
            if (temperature == Temperature.COLD)
            {
                continue;
            }
            final boolean whole = d.live() || d.lastMsn() < 0;
            final long from = whole ? -1 : d.firstMsn();
            final long to = whole ? -1 : d.lastMsn();
            final long bytes = d.segmentCount() * d.segmentBytes();
            for (final String edge : edges)
            {
                out.place(new Placement(edge, d.contentId(), from, to, temperature == Temperature.HOT, score, bytes));
            }
        }
    }
}
