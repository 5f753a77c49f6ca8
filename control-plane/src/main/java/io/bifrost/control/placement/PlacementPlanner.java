package io.bifrost.control.placement;

import io.bifrost.protocol.sbe.PlacementAction;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link PlacementPolicy} once per round and turns its proposal into commands.
 * <ol>
 *   <li>The policy proposes placements (edge, content, segment range, pin or not, score) and replica sets.</li>
 *   <li>Proposals for the same edge and content are merged (union of ranges, pinned if either is, highest score).</li>
 *   <li>Highest score first, each placement is kept if it fits its edge's budget: {@code maxPlacementFraction} of
 *   the edge's capacity, so that placement never crowds out what edges fill on demand. The rest are dropped and
 *   counted.</li>
 *   <li>The kept placements are compared with what edges hold: a placement already covered by a holding that does
 *   not expire within {@code renewBeforeMs} needs nothing; otherwise it becomes a PREFETCH (or a PIN, which edges
 *   prefetch and keep) with a priority from its score; a pinned holding no longer wanted becomes a RELEASE.</li>
 * </ol>
 * Pure: no I/O, no clock (the round's time is in the input). Confined to one thread (the control plane's placement
 * loop); the policy is called on that thread.
 */
public final class PlacementPlanner
{
    private static final Comparator<Placement> BY_SCORE = Comparator.comparingDouble(Placement::score).reversed()
        .thenComparing(Placement::edgeId).thenComparing(Placement::contentId);

    private final Context context;
    private final PlacementPolicy policy;

    /**
     * @param context settings; {@link Context#conclude()} is called here.
     * @param policy  the policy to run.
     */
    public PlacementPlanner(final Context context, final PlacementPolicy policy)
    {
        this.context = context.conclude();
        this.policy = policy;
    }

    /**
     * @param context settings; {@link Context#conclude()} is called here.
     * @return a planner running the policy named by {@link Context#policy()}.
     */
    public static PlacementPlanner of(final Context context)
    {
        context.conclude();
        return new PlacementPlanner(context, policy(context));
    }

    /**
     * @param context concluded settings.
     * @return the policy {@link Context#policy()} names.
     */
    public static PlacementPolicy policy(final Context context)
    {
        return switch (context.policy())
        {
            case SeedPolicy.NAME -> new SeedPolicy(context);
            case SurgePolicy.NAME -> new SurgePolicy(context);
            default -> throw new IllegalArgumentException("control.placement.policy must be seed or surge, got " +
                context.policy());
        };
    }

    /**
     * @return the policy this planner runs.
     */
    public PlacementPolicy policy()
    {
        return policy;
    }

    /**
     * @return the settings.
     */
    public Context context()
    {
        return context;
    }

    /**
     * @param input    this round's demand and healthy edges.
     * @param holdings what edges are known to hold because of earlier rounds (e.g. {@link PlacementLedger#holdings}).
     * @return the commands, the kept placements and the replica sets of this round.
     */
    public PlacementPlan plan(final PlacementInput input, final Collection<Holding> holdings)
    {
        final PlacementProposal proposal = new PlacementProposal();
        policy.propose(input, proposal);

        final Map<String, EdgeState> edges = new HashMap<>();
        for (final EdgeState edge : input.edges())
        {
            edges.put(edge.edgeId(), edge);
        }
        final List<Placement> merged = new ArrayList<>(merge(proposal.placements()).values());
        merged.sort(BY_SCORE);

        final Map<String, Long> spent = new HashMap<>();
        final List<Placement> kept = new ArrayList<>();
        int dropped = 0;
        for (final Placement placement : merged)
        {
            final EdgeState edge = edges.get(placement.edgeId());
            if (edge == null)
            {
                dropped++;
                continue;
            }
            final long budget = (long)(edge.capacityBytes() * context.maxPlacementFraction());
            final long used = spent.getOrDefault(edge.edgeId(), 0L);
            if (used + placement.bytes() > budget)
            {
                dropped++;
                continue;
            }
            spent.put(edge.edgeId(), used + placement.bytes());
            kept.add(placement);
        }

        final Map<String, Holding> held = new HashMap<>();
        for (final Holding holding : holdings)
        {
            held.merge(key(holding.edgeId(), holding.contentId()), holding,
                (a, b) -> a.pinned() || !b.pinned() ? a : b);
        }
        final long now = input.nowMs();
        final List<PlacementDecision> decisions = new ArrayList<>();
        final Set<String> wanted = new HashSet<>();
        for (final Placement placement : kept)
        {
            final String key = key(placement.edgeId(), placement.contentId());
            wanted.add(key);
            final Holding holding = held.get(key);
            final boolean fresh = holding != null &&
                (holding.expiresAtMs() == 0 || holding.expiresAtMs() > now + context.renewBeforeMs());
            if (fresh && holding.covers(placement.fromMsn(), placement.toMsn()) && (holding.pinned() || !placement.pin()))
            {
                continue;
            }
            final PlacementAction action = placement.pin() ? PlacementAction.PIN : PlacementAction.PREFETCH;
            final long expiresAt = now + (placement.pin() ? context.pinTtlMs() : context.commandTtlMs());
            decisions.add(new PlacementDecision(
                action, placement.edgeId(), placement.contentId(), "", placement.fromMsn(), placement.toMsn(),
                priority(placement.score()), expiresAt));
        }
        for (final Holding holding : held.values())
        {
            if (holding.pinned() && !wanted.contains(key(holding.edgeId(), holding.contentId())) &&
                (holding.expiresAtMs() == 0 || holding.expiresAtMs() > now))
            {
                decisions.add(new PlacementDecision(
                    PlacementAction.RELEASE, holding.edgeId(), holding.contentId(), "", holding.fromMsn(),
                    holding.toMsn(), 0, now + context.commandTtlMs()));
            }
        }
        decisions.sort(Comparator.comparing((PlacementDecision d) -> d.action() == PlacementAction.RELEASE)
            .thenComparing(Comparator.comparingInt(PlacementDecision::priority).reversed())
            .thenComparing(PlacementDecision::targetEdgeId).thenComparing(PlacementDecision::contentId));
        return new PlacementPlan(decisions, kept, proposal.replicaSets(), dropped);
    }

    /**
     * @param score a placement score.
     * @return a command priority: the score rounded, capped to 1,000,000, 0 for no score.
     */
    static int priority(final double score)
    {
        if (!(score > 0))
        {
            return 0;
        }
        return (int)Math.min(1_000_000, Math.round(score));
    }

    private static Map<String, Placement> merge(final List<Placement> placements)
    {
        final Map<String, Placement> merged = new LinkedHashMap<>();
        for (final Placement p : placements)
        {
            merged.merge(key(p.edgeId(), p.contentId()), p, (a, b) ->
            {
                final long from = Math.min(Holding.lower(a.fromMsn()), Holding.lower(b.fromMsn()));
                final long to = Math.max(Holding.upper(a.toMsn()), Holding.upper(b.toMsn()));
                return new Placement(
                    a.edgeId(), a.contentId(), from == Long.MIN_VALUE ? -1 : from, to == Long.MAX_VALUE ? -1 : to,
                    a.pin() || b.pin(), Math.max(a.score(), b.score()), Math.max(a.bytes(), b.bytes()));
            });
        }
        return merged;
    }

    static String key(final String edgeId, final String contentId)
    {
        return edgeId + '\n' + contentId;
    }

    /**
     * Placement settings. Mutable until {@link #conclude()}; not thread-safe. Keys are those of the control plane's
     * configuration ({@code control.placement.*}).
     */
    public static final class Context
    {
        /** Default planning interval. */
        public static final long DEFAULT_INTERVAL_MS = 60_000;

        private String policy = SurgePolicy.NAME;
        private long intervalMs = DEFAULT_INTERVAL_MS;
        private double hotScore = PopularityScore.SEED_HOT;
        private double warmScore = PopularityScore.SEED_WARM;
        private double decayHours = PopularityScore.SEED_DECAY_HOURS;
        private int warmReplicas = 2;
        private int viewersPerEdge = 500;
        private int prefixSegments = 5;
        private int aheadSegments = 10;
        private int recentWindowMinutes = 5;
        private double surgeGrowth = 2.0;
        private double pinHeadMinViews = 0;
        private double maxPlacementFraction = 0.5;
        private long pinTtlMs = 15 * 60_000L;
        private long commandTtlMs = 60_000L;
        private long renewBeforeMs = 60_000L;
        private PopularityScore popularity;

        /** {@code control.placement.policy}: {@code seed} (the product brief's rules) or {@code surge}. */
        public Context policy(final String policy) { this.policy = policy; return this; }
        public String policy() { return policy; }
        /** {@code control.placement.interval}: how often the planner runs, millis. */
        public Context intervalMs(final long intervalMs) { this.intervalMs = intervalMs; return this; }
        public long intervalMs() { return intervalMs; }
        /** {@code control.placement.hot-score}: score (views per hour after boosts) at or above which content is hot. */
        public Context hotScore(final double hotScore) { this.hotScore = hotScore; return this; }
        public double hotScore() { return hotScore; }
        /** {@code control.placement.warm-score}: score at or above which content is warm. */
        public Context warmScore(final double warmScore) { this.warmScore = warmScore; return this; }
        public double warmScore() { return warmScore; }
        /** {@code control.placement.decay-hours}: the time-decay constant of the score. */
        public Context decayHours(final double decayHours) { this.decayHours = decayHours; return this; }
        public double decayHours() { return decayHours; }
        /** {@code control.placement.warm-replicas}: edges per region a warm content is placed on (seed policy). */
        public Context warmReplicas(final int warmReplicas) { this.warmReplicas = warmReplicas; return this; }
        public int warmReplicas() { return warmReplicas; }
        /** {@code control.placement.viewers-per-edge}: concurrent viewers of one content one edge should serve (surge policy replica count). */
        public Context viewersPerEdge(final int viewersPerEdge) { this.viewersPerEdge = viewersPerEdge; return this; }
        public int viewersPerEdge() { return viewersPerEdge; }
        /** {@code control.placement.prefix-segments}: first segments of a VOD title prefetched when it is placed (surge policy). */
        public Context prefixSegments(final int prefixSegments) { this.prefixSegments = prefixSegments; return this; }
        public int prefixSegments() { return prefixSegments; }
        /** {@code control.placement.ahead-segments}: segments prefetched past the furthest one viewers fetch. */
        public Context aheadSegments(final int aheadSegments) { this.aheadSegments = aheadSegments; return this; }
        public int aheadSegments() { return aheadSegments; }
        /** {@code control.placement.recent-window}: minutes of the short window of {@link RegionalDemand#viewsRecent()}. */
        public Context recentWindowMinutes(final int minutes) { this.recentWindowMinutes = minutes; return this; }
        public int recentWindowMinutes() { return recentWindowMinutes; }
        /** {@code control.placement.surge-growth}: short-window growth at or above which a content is surging. */
        public Context surgeGrowth(final double surgeGrowth) { this.surgeGrowth = surgeGrowth; return this; }
        public double surgeGrowth() { return surgeGrowth; }
        /** {@code control.placement.pin-head-min-views}: surge policy pins whole VOD titles with at least this many views in the last hour on their rendezvous edge, most viewed first, within the budget; 0 = off. */
        public Context pinHeadMinViews(final double views) { this.pinHeadMinViews = views; return this; }
        public double pinHeadMinViews() { return pinHeadMinViews; }
        /** {@code control.placement.max-fraction}: share of an edge's capacity placement may fill (0, 1]. */
        public Context maxPlacementFraction(final double fraction) { this.maxPlacementFraction = fraction; return this; }
        public double maxPlacementFraction() { return maxPlacementFraction; }
        /** {@code control.placement.pin-ttl}: how long a PIN lasts unless renewed, millis. */
        public Context pinTtlMs(final long pinTtlMs) { this.pinTtlMs = pinTtlMs; return this; }
        public long pinTtlMs() { return pinTtlMs; }
        /** {@code control.placement.command-ttl}: how long a PREFETCH command stays valid, and how long an edge is assumed to keep what it prefetched, millis. */
        public Context commandTtlMs(final long commandTtlMs) { this.commandTtlMs = commandTtlMs; return this; }
        public long commandTtlMs() { return commandTtlMs; }
        /** {@code control.placement.renew-before}: a holding expiring within this many millis is renewed. */
        public Context renewBeforeMs(final long renewBeforeMs) { this.renewBeforeMs = renewBeforeMs; return this; }
        public long renewBeforeMs() { return renewBeforeMs; }

        /**
         * @return the score from the thresholds (after {@link #conclude()}).
         */
        public PopularityScore popularity()
        {
            return popularity;
        }

        /**
         * Validate and derive the {@link PopularityScore}.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad key.
         */
        public Context conclude()
        {
            if (!SeedPolicy.NAME.equals(policy) && !SurgePolicy.NAME.equals(policy))
            {
                throw new IllegalArgumentException("control.placement.policy must be seed or surge, got " + policy);
            }
            requirePositive("control.placement.interval", intervalMs);
            try
            {
                popularity = new PopularityScore(hotScore, warmScore, decayHours);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("control.placement.hot-score, warm-score, decay-hours: " +
                    ex.getMessage(), ex);
            }
            requirePositive("control.placement.warm-replicas", warmReplicas);
            requirePositive("control.placement.viewers-per-edge", viewersPerEdge);
            requirePositive("control.placement.prefix-segments", prefixSegments);
            if (aheadSegments < 0)
            {
                throw new IllegalArgumentException("control.placement.ahead-segments must be 0 or more, got " + aheadSegments);
            }
            requirePositive("control.placement.recent-window", recentWindowMinutes);
            if (!(surgeGrowth > 1))
            {
                throw new IllegalArgumentException("control.placement.surge-growth must be above 1, got " + surgeGrowth);
            }
            if (!(maxPlacementFraction > 0 && maxPlacementFraction <= 1))
            {
                throw new IllegalArgumentException("control.placement.max-fraction must be in (0, 1], got " + maxPlacementFraction);
            }
            requirePositive("control.placement.pin-ttl", pinTtlMs);
            requirePositive("control.placement.command-ttl", commandTtlMs);
            if (renewBeforeMs < 0)
            {
                throw new IllegalArgumentException("control.placement.renew-before must be 0 or more, got " + renewBeforeMs);
            }
            return this;
        }

        private static void requirePositive(final String key, final long value)
        {
            if (value <= 0)
            {
                throw new IllegalArgumentException(key + " must be positive, got " + value);
            }
        }
    }
}
