package io.bifrost.control.placement;

import io.bifrost.protocol.sbe.PlacementAction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementPlannerTest
{
    private static final long NOW = 1_800_000_000_000L;
    private static final long GIB = 1L << 30;
    private static final long SEGMENT = 2L << 20;

    private final List<EdgeState> edges = edges();

    @Test
    void shouldPinHotContentOnEveryEdgeOfItsRegionOnly()
    {
        final PlacementPlanner planner = seedPlanner();
        final PlacementPlan plan = planner.plan(input(vod("vod/hot", "eu", 1500, 1400, 99)), List.of());

        assertThat(plan.decisions()).extracting(PlacementDecision::targetEdgeId)
            .containsExactlyInAnyOrder("eu-1", "eu-2", "eu-3", "eu-4");
        assertThat(plan.decisions()).allSatisfy(d ->
        {
            assertThat(d.action()).isEqualTo(PlacementAction.PIN);
            assertThat(d.contentId()).isEqualTo("vod/hot");
            assertThat(d.fromMsn()).isZero();
            assertThat(d.toMsn()).isEqualTo(99);
            assertThat(d.expiresAtMs()).isEqualTo(NOW + planner.context().pinTtlMs());
            assertThat(d.priority()).isEqualTo(1500);
        });
        assertThat(plan.replicaSets()).singleElement().satisfies(r ->
        {
            assertThat(r.temperature()).isEqualTo(Temperature.HOT);
            assertThat(r.edgeIds()).hasSize(4);
        });
    }

    @Test
    void shouldPrefetchWarmContentOntoItsRendezvousSubset()
    {
        final PlacementPlan plan = seedPlanner().plan(input(vod("vod/warm", "us", 300, 300, 49)), List.of());
        final PlacementInput input = input(vod("vod/warm", "us", 300, 300, 49));

        assertThat(plan.decisions()).extracting(PlacementDecision::targetEdgeId)
            .containsExactlyElementsOf(input.rankedEdges("vod/warm", "us", 2).stream().sorted().toList());
        assertThat(plan.decisions()).extracting(PlacementDecision::action).containsOnly(PlacementAction.PREFETCH);
    }

    @Test
    void shouldLeaveColdContentToFillOnDemandButStillSteerIt()
    {
        final PlacementPlan plan = seedPlanner().plan(input(vod("vod/cold", "us", 20, 30, 49)), List.of());

        assertThat(plan.decisions()).isEmpty();
        assertThat(plan.replicaSets()).singleElement().satisfies(r ->
        {
            assertThat(r.temperature()).isEqualTo(Temperature.COLD);
            assertThat(r.edgeIds()).hasSize(1);
        });
    }

    @Test
    void shouldSendNothingForWhatEdgesAlreadyHold()
    {
        final PlacementPlanner planner = seedPlanner();
        final PlacementLedger ledger = new PlacementLedger(10 * 60_000L);
        final PlacementInput round = input(vod("vod/hot", "eu", 1500, 1400, 99));
        ledger.apply(planner.plan(round, ledger.holdings(NOW)).decisions(), NOW);

        final PlacementPlan again = planner.plan(round, ledger.holdings(NOW + 60_000));

        assertThat(again.decisions()).isEmpty();
        assertThat(again.placements()).hasSize(4);
    }

    @Test
    void shouldRenewAPinBeforeItLapses()
    {
        final PlacementPlanner planner = seedPlanner();
        final PlacementLedger ledger = new PlacementLedger(10 * 60_000L);
        final PlacementInput round = input(vod("vod/hot", "eu", 1500, 1400, 99));
        ledger.apply(planner.plan(round, List.of()).decisions(), NOW);
        final long nearExpiry = NOW + planner.context().pinTtlMs() - 30_000;

        final PlacementPlan renewal = planner.plan(
            new PlacementInput(nearExpiry, round.demands(), edges), ledger.holdings(nearExpiry));

        assertThat(renewal.decisions()).hasSize(4).extracting(PlacementDecision::action)
            .containsOnly(PlacementAction.PIN);
    }

    @Test
    void shouldReleaseAPinWhenContentCoolsDown()
    {
        final PlacementPlanner planner = seedPlanner();
        final PlacementLedger ledger = new PlacementLedger(10 * 60_000L);
        ledger.apply(planner.plan(input(vod("vod/hot", "eu", 1500, 1400, 99)), List.of()).decisions(), NOW);

        final PlacementPlan cooled = planner.plan(input(vod("vod/hot", "eu", 40, 1500, 99)), ledger.holdings(NOW));

        assertThat(cooled.decisions()).hasSize(4).allSatisfy(d ->
        {
            assertThat(d.action()).isEqualTo(PlacementAction.RELEASE);
            assertThat(d.contentId()).isEqualTo("vod/hot");
        });
        ledger.apply(cooled.decisions(), NOW);
        assertThat(ledger.holdings(NOW)).isEmpty();
    }

    @Test
    void shouldKeepTheHighestScoresWhenAnEdgeBudgetIsSpent()
    {
        // Each edge may fill half of 1 GiB with placements; each title is 200 segments x 2 MiB = 400 MiB.
        final List<EdgeState> small = new ArrayList<>();
        for (final EdgeState edge : edges)
        {
            small.add(new EdgeState(edge.edgeId(), edge.region(), GIB, 0));
        }
        final PlacementPlanner planner = seedPlanner();
        final PlacementPlan plan = planner.plan(new PlacementInput(NOW, List.of(
            vod("vod/a", "eu", 5000, 5000, 199), vod("vod/b", "eu", 3000, 3000, 199)), small), List.of());

        assertThat(plan.decisions()).hasSize(4).extracting(PlacementDecision::contentId).containsOnly("vod/a");
        assertThat(plan.droppedPlacements()).isEqualTo(4);
    }

    @Test
    void shouldOrderCommandsByPriorityWithReleasesLast()
    {
        final PlacementPlanner planner = seedPlanner();
        final List<Holding> held = List.of(new Holding("eu-1", "vod/old", 0, 9, true, NOW + 600_000));
        final PlacementPlan plan = planner.plan(input(
            vod("vod/a", "eu", 1200, 1200, 9), vod("vod/b", "eu", 5000, 5000, 9)), held);

        assertThat(plan.decisions().getFirst().contentId()).isEqualTo("vod/b");
        assertThat(plan.decisions().getLast().action()).isEqualTo(PlacementAction.RELEASE);
        assertThat(plan.decisions().getLast().contentId()).isEqualTo("vod/old");
    }

    @Test
    void shouldNameTheKeyOfEachBadSetting()
    {
        assertThatThrownBy(() -> new PlacementPlanner.Context().policy("lru").conclude())
            .hasMessageContaining("control.placement.policy");
        assertThatThrownBy(() -> new PlacementPlanner.Context().maxPlacementFraction(1.5).conclude())
            .hasMessageContaining("control.placement.max-fraction");
        assertThatThrownBy(() -> new PlacementPlanner.Context().warmScore(2000).conclude())
            .hasMessageContaining("control.placement");
        assertThatThrownBy(() -> new PlacementPlanner.Context().surgeGrowth(1).conclude())
            .hasMessageContaining("control.placement.surge-growth");
        assertThatThrownBy(() -> new PlacementPlanner.Context().viewersPerEdge(0).conclude())
            .hasMessageContaining("control.placement.viewers-per-edge");
        assertThat(PlacementPlanner.of(new PlacementPlanner.Context()).policy().name()).isEqualTo(SurgePolicy.NAME);
    }

    private static PlacementPlanner seedPlanner()
    {
        return PlacementPlanner.of(new PlacementPlanner.Context().policy(SeedPolicy.NAME));
    }

    private PlacementInput input(final RegionalDemand... demands)
    {
        return new PlacementInput(NOW, List.of(demands), edges);
    }

    static RegionalDemand vod(
        final String id, final String region, final double lastHour, final double previousHour, final long lastMsn)
    {
        return new RegionalDemand(
            id, region, false, 0, lastHour, previousHour, lastHour / 12, lastHour / 12, (int)(lastHour / 4), 0,
            lastMsn, -1, SEGMENT);
    }

    static List<EdgeState> edges()
    {
        final List<EdgeState> edges = new ArrayList<>();
        for (final String region : List.of("eu", "us", "ap"))
        {
            for (int i = 1; i <= 4; i++)
            {
                edges.add(new EdgeState(region + "-" + i, region, 100 * GIB, 10 * GIB));
            }
        }
        return edges;
    }
}
