package io.bifrost.control.edges;

import io.bifrost.control.placement.ContentAges;
import io.bifrost.control.placement.EdgeState;
import io.bifrost.control.placement.PlacementDecision;
import io.bifrost.control.placement.PlacementInput;
import io.bifrost.control.placement.PlacementLedger;
import io.bifrost.control.placement.PlacementPlan;
import io.bifrost.control.placement.PlacementPlanner;
import io.bifrost.control.placement.RegionalDemand;
import io.bifrost.control.steer.ViewRate;
import io.bifrost.control.telemetry.TelemetryAggregator;
import io.bifrost.control.telemetry.TelemetryWindow;
import io.bifrost.control.telemetry.TrafficStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The placement loop: every planning interval it turns what telemetry and the registry say into the planner's input
 * ({@link RegionalDemand} per tracked content and region, {@link EdgeState} per edge that serves viewers), runs the
 * {@link PlacementPlanner} against the {@link PlacementLedger} of what earlier commands put on edges, and sends the
 * decisions as PlacementCommand messages through the {@link PlacementPublisher}. Only commands a publication took are
 * entered in the ledger, so a round with no edge connected is simply planned again. An edge that went down or
 * restarted since the last round is forgotten by the ledger (its cache may be cold).
 *
 * <p>Telemetry to demand: views from viewer-time ({@link ViewRate}); age from {@link ContentAges} (a live stream's
 * live session, a VOD title's publication or first sighting; 0 without ages); segment size from bytes per request;
 * msn ranges unknown (VOD titles start at 0, live windows at -1 = "the window"; no last or furthest msn).
 *
 * <p>The loop runs on the control plane's Aeron agent thread beside the heartbeat reader, so it never waits for the
 * database: when a round is due it asks the content ages for what they lack ({@link ContentAges#prepare}, read on the
 * database thread) and goes on with its duty cycle; the round is planned as soon as the read is answered, or after
 * at most {@link #MAX_AGE_WAIT_MS} (half the interval if shorter), with the contents still unknown aging 0 and their
 * ages counting from a later round. Confined to its agent thread; closing the agent ({@link #onClose()}) closes the
 * content ages.
 */
public final class PlacementLoop implements Agent
{
    /** Contents considered per round (the most requested over the last hour). */
    static final int MAX_CONTENTS_PER_ROUND = 1000;
    /** Longest a due round waits for the content ages' database read before it plans without them. */
    public static final long MAX_AGE_WAIT_MS = 1_000;
    private static final long NOT_WAITING = Long.MIN_VALUE;

    private final EdgeRegistry registry;
    private final TelemetryAggregator telemetry;
    private final ViewRate viewRate;
    private final PlacementPlanner planner;
    private final PlacementLedger ledger;
    private final PlacementPublisher publisher;
    private final EpochClock clock;
    private final ContentAges ages;
    private final Map<String, Long> startTimes = new HashMap<>();
    private final Counter rounds;
    private final Counter unsent;
    private long nextRoundMs = Long.MIN_VALUE;
    private long ageWaitEndMs = NOT_WAITING;

    /**
     * A loop without content ages: every content ages 0 (the score without time decay).
     *
     * @param registry  the edges.
     * @param telemetry their traffic.
     * @param viewRate  views from viewer-time.
     * @param planner   the placement planner (its context gives the interval and TTLs).
     * @param publisher where commands go.
     * @param clock     the control plane's clock.
     * @param meters    where the loop's counters go.
     */
    public PlacementLoop(
        final EdgeRegistry registry,
        final TelemetryAggregator telemetry,
        final ViewRate viewRate,
        final PlacementPlanner planner,
        final PlacementPublisher publisher,
        final EpochClock clock,
        final MeterRegistry meters)
    {
        this(registry, telemetry, viewRate, planner, publisher, clock, meters, null);
    }

    /**
     * @param registry  the edges.
     * @param telemetry their traffic.
     * @param viewRate  views from viewer-time.
     * @param planner   the placement planner (its context gives the interval and TTLs).
     * @param publisher where commands go.
     * @param clock     the control plane's clock.
     * @param meters    where the loop's counters go.
     * @param ages      each content's age for the score's time decay (owned from now on: closed with the agent), or
     *                  null for age 0.
     */
    public PlacementLoop(
        final EdgeRegistry registry,
        final TelemetryAggregator telemetry,
        final ViewRate viewRate,
        final PlacementPlanner planner,
        final PlacementPublisher publisher,
        final EpochClock clock,
        final MeterRegistry meters,
        final ContentAges ages)
    {
        this.ages = ages;
        this.registry = registry;
        this.telemetry = telemetry;
        this.viewRate = viewRate;
        this.planner = planner;
        this.ledger = new PlacementLedger(planner.context().commandTtlMs());
        this.publisher = publisher;
        this.clock = clock;
        rounds = Counter.builder("bifrost.control.placement.rounds").description("placement rounds planned")
            .register(meters);
        unsent = Counter.builder("bifrost.control.placement.unsent")
            .description("placement decisions no publication took (planned again next round)").register(meters);
    }

    @Override
    public int doWork()
    {
        final long nowMs = clock.time();
        if (ageWaitEndMs != NOT_WAITING)
        {
            if (nowMs < ageWaitEndMs && ages.reading())
            {
                return 0;
            }
            ageWaitEndMs = NOT_WAITING;
            return 1 + round(nowMs);
        }
        if (nextRoundMs != Long.MIN_VALUE && nowMs < nextRoundMs)
        {
            return 0;
        }
        final long intervalMs = planner.context().intervalMs();
        nextRoundMs = nowMs + intervalMs;
        if (ages != null && registry.edges().stream().anyMatch(EdgeSnapshot::servesViewers))
        {
            final List<TrafficStats> contents = telemetry.top(TelemetryWindow.HOUR, MAX_CONTENTS_PER_ROUND, nowMs);
            if (!contents.isEmpty() && ages.prepare(contents.stream().map(TrafficStats::key).toList(), nowMs))
            {
                ageWaitEndMs = nowMs + Math.min(MAX_AGE_WAIT_MS, Math.max(1, intervalMs / 2));
                return 1;
            }
        }
        return round(nowMs);
    }

    /**
     * Plan and send one round now, with the content ages in memory (never waits for the database).
     *
     * @param nowMs the control plane's clock.
     * @return commands sent.
     */
    public int round(final long nowMs)
    {
        rounds.increment();
        final List<EdgeState> edges = new ArrayList<>();
        final Set<String> regions = new HashSet<>();
        for (final EdgeSnapshot edge : registry.edges())
        {
            final Long knownStart = startTimes.put(edge.edgeId(), edge.startTimeMs());
            if (!edge.servesViewers() || knownStart != null && knownStart != edge.startTimeMs())
            {
                ledger.forgetEdge(edge.edgeId());
            }
            if (edge.servesViewers())
            {
                edges.add(new EdgeState(edge.edgeId(), edge.region(), edge.ramCapacityBytes() + edge.ssdCapacityBytes(),
                    edge.ramUsedBytes() + edge.ssdUsedBytes()));
                regions.add(edge.region());
            }
        }
        if (edges.isEmpty())
        {
            return 0;
        }
        final int recent = planner.context().recentWindowMinutes();
        final List<RegionalDemand> demands = new ArrayList<>();
        final List<TrafficStats> contents = telemetry.top(TelemetryWindow.HOUR, MAX_CONTENTS_PER_ROUND, nowMs);
        final Map<String, Double> ageHours = ages == null || contents.isEmpty() ? Map.of() :
            ages.ageHours(contents.stream().map(TrafficStats::key).toList(), nowMs);
        for (final TrafficStats content : contents)
        {
            final String contentId = content.key();
            final double age = ageHours.getOrDefault(contentId, 0.0);
            final long segmentBytes = telemetry.bytesPerRequest(contentId, nowMs);
            for (final String region : telemetry.regionsOf(contentId))
            {
                if (!regions.contains(region))
                {
                    continue;
                }
                demands.add(new RegionalDemand(contentId, region, contentId.startsWith("live/"), age,
                    viewRate.viewsLastHour(contentId, region, nowMs), viewRate.viewsPreviousHour(contentId, region, nowMs),
                    viewRate.viewsOverMinutes(contentId, region, 0, recent, nowMs),
                    viewRate.viewsOverMinutes(contentId, region, recent, recent, nowMs),
                    (int)Math.min(Integer.MAX_VALUE, telemetry.viewersNow(contentId, region, nowMs)),
                    contentId.startsWith("live/") ? -1 : 0, -1, -1,
                    segmentBytes));
            }
        }
        final PlacementPlan plan = planner.plan(new PlacementInput(nowMs, demands, edges), ledger.holdings(nowMs));
        final List<PlacementDecision> sent = new ArrayList<>(plan.decisions().size());
        for (final PlacementDecision decision : plan.decisions())
        {
            final long id = publisher.send(decision.action(), decision.targetEdgeId(), decision.contentId(),
                decision.rendition(), decision.fromMsn(), decision.toMsn(), decision.priority(), decision.expiresAtMs());
            if (id > 0)
            {
                sent.add(decision);
            }
            else
            {
                unsent.increment();
            }
        }
        ledger.apply(sent, nowMs);
        return sent.size();
    }

    @Override
    public void onClose()
    {
        if (ages != null)
        {
            ages.close();
        }
    }

    @Override
    public String roleName()
    {
        return "control-placement";
    }
}
