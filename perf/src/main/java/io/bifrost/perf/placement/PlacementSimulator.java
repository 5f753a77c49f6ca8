package io.bifrost.perf.placement;

import io.bifrost.control.placement.EdgeState;
import io.bifrost.control.placement.PlacementDecision;
import io.bifrost.control.placement.PlacementInput;
import io.bifrost.control.placement.PlacementLedger;
import io.bifrost.control.placement.PlacementPlan;
import io.bifrost.control.placement.PlacementPlanner;
import io.bifrost.control.placement.RegionalDemand;
import io.bifrost.control.placement.RendezvousHash;
import io.bifrost.control.placement.ReplicaSet;
import io.bifrost.protocol.sbe.PlacementAction;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a {@link Workload} through 3+ regions of LRU edges under one {@link Strategy}, one tick per segment
 * duration.
 * <p>
 * Each tick: the sessions starting now are steered to an edge of their region; every active session reads its next
 * segment there (a miss fills it from the origin). Each simulated minute the strategy's control plane (if it has one)
 * aggregates what the edges saw into {@link RegionalDemand}s (views per minute kept for two hours, active viewers,
 * the furthest segment of viewers who started in the last ten minutes), runs the {@link PlacementPlanner} against its
 * {@link PlacementLedger}, applies the commands to the edges at once (PREFETCH fills missing segments from the
 * origin, PIN also keeps them, RELEASE unpins) and steers new sessions by the plan's replica sets.
 * <p>
 * Steering: {@link Strategy#FILL_RANDOM} sends a session to a pseudo-random edge of its region (what DNS or anycast
 * does without a control plane); the others to the replica set's edge for the session (rendezvous-best edge when the
 * content has none). An edge serving {@code sessionLimit} sessions is skipped for the next one in rendezvous order.
 * <p>
 * Fills (misses and prefetches) go through the run's {@link RegionalTier}: straight to the origin, through the
 * region's shield, or from the region's rendezvous owner of the content.
 */
final class PlacementSimulator
{
    /**
     * What decides where content goes and where viewers go.
     */
    enum Strategy
    {
        /** No control plane: any edge of the region, LRU fill on a miss. */
        FILL_RANDOM("fill only, any edge"),
        /** No placement, but content-affine steering (rendezvous-best edge of the region, spill on overload). */
        FILL_RENDEZVOUS("fill only, rendezvous steering"),
        /** The product brief's policy ({@code SeedPolicy}). */
        SEED("seed policy"),
        /** The surge-aware policy ({@code SurgePolicy}). */
        SURGE("surge policy"),
        /**
         * Not a strategy: unbounded edges with rendezvous steering, so only first requests miss; the least origin
         * egress any placement could reach while edges fill from the origin.
         */
        UNBOUNDED("bound: unbounded edges, rendezvous steering");

        final String label;

        Strategy(final String label)
        {
            this.label = label;
        }
    }

    /**
     * @param strategy the strategy.
     * @param tier     the regional tier the edges fill through.
     * @param shieldBytes each shield's capacity (0 without shields).
     * @param total    the whole run, warm-up included.
     * @param measured the measured period.
     * @param flash    the flash-crowd window, or null without one.
     * @param spills   sessions steered past a full edge.
     * @param viralReactionMinutes minutes from the viral title's first session to the first placement command for
     *                             it; -1 when none was sent.
     * @param insertedBytes every byte that entered an edge or a shield.
     */
    record Result(
        Strategy strategy, RegionalTier.Kind tier, long shieldBytes, PlacementMetrics total, PlacementMetrics measured,
        PlacementMetrics flash, long spills, double viralReactionMinutes, long insertedBytes)
    {
        /**
         * @return the strategy's label and the tier's.
         */
        String label()
        {
            return strategy.label + tier.suffix;
        }
    }

    private static final int RING_MINUTES = 130;
    private static final int RECENT_MINUTES = 5;

    private final Workload w;
    private final Scenario s;
    private final Strategy strategy;
    private final PlacementPlanner planner;
    private final PlacementLedger ledger;
    private final int regions;
    private final EdgeCache[] edges;
    private final String[] edgeIds;
    private final int[] edgeRegion;
    private final int[][] regionEdges;
    private final long[][] regionEdgeHashes;
    private final Map<String, Integer> edgeIndex = new HashMap<>();
    private final long[] titleHash;
    private final int[] edgeSessions;
    private final int sessionLimit;
    private final PlacementMetrics total = new PlacementMetrics();
    private final PlacementMetrics measured = new PlacementMetrics();
    private final PlacementMetrics flash;
    private final int flashStart;
    private final int flashEnd;
    private final Long2ObjectHashMap<int[]> replicas = new Long2ObjectHashMap<>();
    private final RegionalTier tier;
    private final long shieldBytes;

    private final int[] viewsNow;
    private final int[] viewsRing;
    private final int[] lastHour;
    private final int[] previousHour;
    private final int[] recent;
    private final int[] recentBefore;
    private final int[] active;
    private final int[] furthest;

    private int activeCount;
    private int[] aTitle = new int[1 << 14];
    private int[] aRegion = new int[1 << 14];
    private int[] aEdge = new int[1 << 14];
    private int[] aPos = new int[1 << 14];
    private int[] aWatch = new int[1 << 14];
    private int[] aStart = new int[1 << 14];
    private long spills;
    private int tick;
    private int firstViralCommandTick = -1;

    PlacementSimulator(final Workload workload, final Strategy strategy, final PlacementPlanner.Context context)
    {
        this(workload, strategy, RegionalTier.Kind.NONE, 0, context);
    }

    PlacementSimulator(
        final Workload workload,
        final Strategy strategy,
        final RegionalTier.Kind tierKind,
        final long shieldBytes,
        final PlacementPlanner.Context context)
    {
        this.w = workload;
        this.s = workload.scenario;
        this.strategy = strategy;
        this.planner = switch (strategy)
        {
            case SEED, SURGE -> PlacementPlanner.of(context.policy(strategy == Strategy.SEED ? "seed" : "surge"));
            default -> null;
        };
        this.ledger = planner == null ? null : new PlacementLedger(planner.context().commandTtlMs());
        regions = s.regions().size();
        final int edgeCount = s.edgeCount();
        edges = new EdgeCache[edgeCount];
        edgeIds = new String[edgeCount];
        edgeRegion = new int[edgeCount];
        regionEdges = new int[regions][s.edgesPerRegion()];
        regionEdgeHashes = new long[regions][s.edgesPerRegion()];
        for (int r = 0, e = 0; r < regions; r++)
        {
            for (int i = 0; i < s.edgesPerRegion(); i++, e++)
            {
                edges[e] = new EdgeCache(
                    strategy == Strategy.UNBOUNDED ? Long.MAX_VALUE / 4 : s.edgeCapacityBytes(), this::onWaste);
                edgeIds[e] = s.regions().get(r) + "-edge-" + (i + 1);
                edgeRegion[e] = r;
                regionEdges[r][i] = e;
                regionEdgeHashes[r][i] = RendezvousHash.hash(edgeIds[e]);
                edgeIndex.put(edgeIds[e], e);
            }
        }
        titleHash = new long[w.titleCount];
        for (int t = 0; t < w.titleCount; t++)
        {
            titleHash[t] = RendezvousHash.hash(w.contentId(t));
        }
        edgeSessions = new int[edgeCount];
        this.shieldBytes = tierKind == RegionalTier.Kind.SHIELD ? shieldBytes : 0;
        tier = new RegionalTier(
            tierKind, this.shieldBytes, edges, regionEdges, regionEdgeHashes, titleHash, this::onWaste);
        sessionLimit = sessionLimit(workload);
        if (s.viral() != null)
        {
            flash = new PlacementMetrics();
            flashStart = (int)((s.warmupHours() + s.viral().startHour()) * s.ticksPerHour());
            flashEnd = flashStart + (int)(s.viral().windowHours() * s.ticksPerHour());
        }
        else
        {
            flash = null;
            flashStart = -1;
            flashEnd = -1;
        }
        final int pairs = w.titleCount * regions;
        viewsNow = new int[pairs];
        viewsRing = new int[pairs * RING_MINUTES];
        lastHour = new int[pairs];
        previousHour = new int[pairs];
        recent = new int[pairs];
        recentBefore = new int[pairs];
        active = new int[pairs];
        furthest = new int[pairs];
    }

    /**
     * Concurrent sessions one edge serves before steering spills to the next: 1.5 x the busiest region's steady peak
     * per edge (the flash crowd's viewers are not counted: edges are sized for a normal day).
     */
    static int sessionLimit(final Workload workload)
    {
        final Scenario scenario = workload.scenario;
        final int ticks = scenario.totalTicks();
        final int[][] delta = new int[scenario.regions().size()][ticks + 1];
        for (int i = 0; i < workload.sessionCount; i++)
        {
            if (workload.title[i] == workload.viralTitle)
            {
                continue;
            }
            delta[workload.region[i]][workload.startTick[i]]++;
            delta[workload.region[i]][Math.min(ticks, workload.startTick[i] + workload.watch[i])]--;
        }
        int peak = 1;
        for (final int[] d : delta)
        {
            int running = 0;
            for (int t = 0; t < ticks; t++)
            {
                running += d[t];
                peak = Math.max(peak, running);
            }
        }
        return (int)Math.ceil(1.5 * peak / scenario.edgesPerRegion());
    }

    int sessionLimit()
    {
        return sessionLimit;
    }

    Result run()
    {
        int nextSession = 0;
        final int ticks = s.totalTicks();
        final int perMinute = s.ticksPerMinute();
        for (tick = 0; tick < ticks; tick++)
        {
            while (nextSession < w.sessionCount && w.startTick[nextSession] == tick)
            {
                start(nextSession++);
            }
            readSegments();
            if ((tick + 1) % perMinute == 0)
            {
                endMinute((tick + 1) / perMinute);
            }
        }
        double reaction = -1;
        if (firstViralCommandTick >= 0)
        {
            int firstSession = 0;
            while (w.title[firstSession] != w.viralTitle)
            {
                firstSession++;
            }
            reaction = (double)(firstViralCommandTick - w.startTick[firstSession]) / s.ticksPerMinute();
        }
        long inserted = tier.shieldInsertedBytes();
        for (final EdgeCache edge : edges)
        {
            inserted += edge.insertedBytes();
        }
        return new Result(strategy, tier.kind(), shieldBytes, total, measured, flash, spills, reaction, inserted);
    }

    private void start(final int session)
    {
        final int r = w.region[session];
        final int t = w.title[session];
        final int edge = steer(t, r, w.hash[session]);
        if (activeCount == aTitle.length)
        {
            final int size = activeCount * 2;
            aTitle = Arrays.copyOf(aTitle, size);
            aRegion = Arrays.copyOf(aRegion, size);
            aEdge = Arrays.copyOf(aEdge, size);
            aPos = Arrays.copyOf(aPos, size);
            aWatch = Arrays.copyOf(aWatch, size);
            aStart = Arrays.copyOf(aStart, size);
        }
        aTitle[activeCount] = t;
        aRegion[activeCount] = r;
        aEdge[activeCount] = edge;
        aPos[activeCount] = 0;
        aWatch[activeCount] = w.watch[session];
        aStart[activeCount] = tick;
        activeCount++;
        edgeSessions[edge]++;
        viewsNow[t * regions + r]++;
        active[t * regions + r]++;
    }

    private int steer(final int t, final int r, final long sessionHash)
    {
        final int[] candidates;
        if (strategy == Strategy.FILL_RANDOM)
        {
            candidates = regionEdges[r];
        }
        else
        {
            final int[] set = replicas.get(((long)t << 8) | r);
            candidates = set != null ? set :
                new int[] {regionEdges[r][RendezvousHash.best(titleHash[t], regionEdgeHashes[r], s.edgesPerRegion())]};
        }
        final int first = (int)Math.floorMod(sessionHash, (long)candidates.length);
        for (int i = 0; i < candidates.length; i++)
        {
            final int edge = candidates[(first + i) % candidates.length];
            if (edgeSessions[edge] < sessionLimit)
            {
                return edge;
            }
        }
        final int n = s.edgesPerRegion();
        final int[] ranked = new int[n];
        RendezvousHash.topK(titleHash[t], regionEdgeHashes[r], n, n, ranked);
        for (final int i : ranked)
        {
            if (edgeSessions[regionEdges[r][i]] < sessionLimit)
            {
                spills++;
                return regionEdges[r][i];
            }
        }
        return candidates[first];
    }

    private void readSegments()
    {
        final boolean inMeasured = tick >= s.warmupTicks();
        final boolean inFlash = tick >= flashStart && tick < flashEnd;
        int i = 0;
        while (i < activeCount)
        {
            final int t = aTitle[i];
            final int pos = aPos[i];
            final long bytes = w.segmentBytes[t];
            final long key = w.key(t, pos);
            final boolean hit = edges[aEdge[i]].read(key, bytes, tick);
            long tierBytes = 0;
            long tierHitBytes = 0;
            if (!hit)
            {
                tier.fill(aRegion[i], aEdge[i], t, key, bytes, tick);
                tierBytes = tier.lastTierBytes();
                tierHitBytes = tier.lastTierHitBytes();
            }
            count(total, t, hit, bytes, tierBytes, tierHitBytes);
            if (inMeasured)
            {
                count(measured, t, hit, bytes, tierBytes, tierHitBytes);
            }
            if (inFlash)
            {
                count(flash, t, hit, bytes, tierBytes, tierHitBytes);
            }
            if (pos + 1 >= aWatch[i])
            {
                edgeSessions[aEdge[i]]--;
                active[t * regions + aRegion[i]]--;
                activeCount--;
                aTitle[i] = aTitle[activeCount];
                aRegion[i] = aRegion[activeCount];
                aEdge[i] = aEdge[activeCount];
                aPos[i] = aPos[activeCount];
                aWatch[i] = aWatch[activeCount];
                aStart[i] = aStart[activeCount];
            }
            else
            {
                aPos[i] = pos + 1;
                i++;
            }
        }
    }

    private void count(
        final PlacementMetrics metrics,
        final int t,
        final boolean hit,
        final long bytes,
        final long tierBytes,
        final long tierHitBytes)
    {
        metrics.onRequest(hit, bytes);
        metrics.onTier(tierBytes, tierHitBytes);
        if (t == w.viralTitle)
        {
            metrics.viralRequests++;
            if (hit)
            {
                metrics.viralHits++;
            }
            else
            {
                metrics.viralMissBytes += bytes;
                metrics.viralTierHitBytes += tierHitBytes;
            }
        }
    }

    private void endMinute(final int minute)
    {
        final int slot = minute % RING_MINUTES;
        final int slot5 = Math.floorMod(minute - RECENT_MINUTES, RING_MINUTES);
        final int slot10 = Math.floorMod(minute - 2 * RECENT_MINUTES, RING_MINUTES);
        final int slot60 = Math.floorMod(minute - 60, RING_MINUTES);
        final int slot120 = Math.floorMod(minute - 120, RING_MINUTES);
        for (int p = 0; p < viewsNow.length; p++)
        {
            final int base = p * RING_MINUTES;
            final int now = viewsNow[p];
            final int v5 = viewsRing[base + slot5];
            final int v60 = viewsRing[base + slot60];
            recent[p] += now - v5;
            recentBefore[p] += v5 - viewsRing[base + slot10];
            lastHour[p] += now - v60;
            previousHour[p] += v60 - viewsRing[base + slot120];
            viewsRing[base + slot] = now;
            viewsNow[p] = 0;
        }
        if (planner != null)
        {
            plan();
        }
    }

    private void plan()
    {
        final int recentCohort = tick - 10 * s.ticksPerMinute();
        Arrays.fill(furthest, -1);
        for (int i = 0; i < activeCount; i++)
        {
            if (aStart[i] >= recentCohort)
            {
                final int p = aTitle[i] * regions + aRegion[i];
                furthest[p] = Math.max(furthest[p], aPos[i]);
            }
        }
        final double hoursNow = (double)(tick + 1) / s.ticksPerHour();
        final List<RegionalDemand> demands = new ArrayList<>();
        for (int t = 0; t < w.titleCount; t++)
        {
            for (int r = 0; r < regions; r++)
            {
                final int p = t * regions + r;
                if (lastHour[p] < 3 && recent[p] < 2)
                {
                    continue;
                }
                demands.add(new RegionalDemand(
                    w.contentId(t), s.regions().get(r), false, w.ageHoursAtStart[t] + hoursNow,
                    lastHour[p], previousHour[p], recent[p], recentBefore[p], active[p], 0, w.segments[t] - 1,
                    furthest[p], w.segmentBytes[t]));
            }
        }
        final List<EdgeState> states = new ArrayList<>(edges.length);
        for (int e = 0; e < edges.length; e++)
        {
            states.add(new EdgeState(
                edgeIds[e], s.regions().get(edgeRegion[e]), edges[e].capacityBytes(), edges[e].usedBytes()));
        }
        final long nowMs = (tick + 1L) * s.segmentSeconds() * 1000;
        final PlacementPlan plan = planner.plan(new PlacementInput(nowMs, demands, states), ledger.holdings(nowMs));
        ledger.apply(plan.decisions(), nowMs);
        for (final PlacementDecision decision : plan.decisions())
        {
            apply(decision);
        }
        replicas.clear();
        for (final ReplicaSet set : plan.replicaSets())
        {
            final int t = Integer.parseInt(set.contentId(), 5, set.contentId().length(), 10);
            final int r = s.regions().indexOf(set.region());
            final int[] ids = new int[set.edgeIds().size()];
            for (int i = 0; i < ids.length; i++)
            {
                ids[i] = edgeIndex.get(set.edgeIds().get(i));
            }
            replicas.put(((long)t << 8) | r, ids);
        }
    }

    private void apply(final PlacementDecision d)
    {
        final int t = Integer.parseInt(d.contentId(), 5, d.contentId().length(), 10);
        final int e = edgeIndex.get(d.targetEdgeId());
        final EdgeCache edge = edges[e];
        final int from = d.fromMsn() < 0 ? 0 : (int)Math.min(d.fromMsn(), w.segments[t] - 1);
        final int to = d.toMsn() < 0 ? w.segments[t] - 1 : (int)Math.min(d.toMsn(), w.segments[t] - 1);
        final long pinUntilTick = d.expiresAtMs() / (s.segmentSeconds() * 1000L);
        long fetched = 0;
        long tierBytes = 0;
        long tierHitBytes = 0;
        for (int pos = from; pos <= to; pos++)
        {
            final long key = w.key(t, pos);
            if (d.action() == PlacementAction.RELEASE)
            {
                edge.unpin(key);
                continue;
            }
            final long bytes = edge.prefetch(key, w.segmentBytes[t], tick);
            if (bytes > 0)
            {
                tier.fill(edgeRegion[e], e, t, key, bytes, tick);
                tierBytes += tier.lastTierBytes();
                tierHitBytes += tier.lastTierHitBytes();
            }
            fetched += bytes;
            if (d.action() == PlacementAction.PIN)
            {
                edge.pin(key, pinUntilTick);
            }
        }
        if (t == w.viralTitle && firstViralCommandTick < 0)
        {
            firstViralCommandTick = tick;
        }
        onPrefetch(total, t, fetched, tierBytes, tierHitBytes);
        if (tick >= s.warmupTicks())
        {
            onPrefetch(measured, t, fetched, tierBytes, tierHitBytes);
        }
        if (tick >= flashStart && tick < flashEnd)
        {
            onPrefetch(flash, t, fetched, tierBytes, tierHitBytes);
        }
    }

    private void onPrefetch(
        final PlacementMetrics metrics, final int t, final long fetched, final long tierBytes, final long tierHitBytes)
    {
        metrics.prefetchedBytes += fetched;
        metrics.commands++;
        metrics.onTier(tierBytes, tierHitBytes);
        if (t == w.viralTitle)
        {
            metrics.viralPrefetchedBytes += fetched;
            metrics.viralTierHitBytes += tierHitBytes;
        }
    }

    private void onWaste(final long prefetchedAt, final long bytes)
    {
        total.wastedBytes += bytes;
        if (prefetchedAt >= s.warmupTicks())
        {
            measured.wastedBytes += bytes;
        }
        if (prefetchedAt >= flashStart && prefetchedAt < flashEnd)
        {
            flash.wastedBytes += bytes;
        }
    }
}
