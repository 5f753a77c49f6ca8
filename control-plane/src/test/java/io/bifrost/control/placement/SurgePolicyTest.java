package io.bifrost.control.placement;

import io.bifrost.protocol.sbe.PlacementAction;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SurgePolicyTest
{
    private static final long NOW = 1_800_000_000_000L;
    private static final long SEGMENT = 2L << 20;

    private final List<EdgeState> edges = PlacementPlannerTest.edges();
    private final PlacementPlanner planner = PlacementPlanner.of(new PlacementPlanner.Context()
        .policy(SurgePolicy.NAME).viewersPerEdge(500).prefixSegments(5).aheadSegments(10));

    @Test
    void shouldPinTheFirstSegmentsOfASurgingTitleMinutesAfterItStarts()
    {
        // 10 minutes old, 150 views in the last 5 minutes after 10 before: 1800/h now, under 200 in the last hour.
        final RegionalDemand viral = new RegionalDemand(
            "vod/viral", "eu", false, 0.2, 160, 0, 150, 10, 900, 0, 299, 3, SEGMENT);
        final PlacementPlan plan = planner.plan(new PlacementInput(NOW, List.of(viral), edges), List.of());

        // 900 viewers x growth min(151/11, 4) = 3600 predicted -> 8 edges wanted, the region has 4.
        final List<PlacementDecision> eu = plan.decisions().stream().filter(d -> d.targetEdgeId().startsWith("eu"))
            .toList();
        assertThat(eu).hasSize(4).allSatisfy(d ->
        {
            assertThat(d.action()).isEqualTo(PlacementAction.PIN);
            assertThat(d.fromMsn()).isZero();
            assertThat(d.toMsn()).isEqualTo(13);
        });
        assertThat(plan.replicaSets()).singleElement().satisfies(r ->
        {
            assertThat(r.temperature()).isEqualTo(Temperature.HOT);
            assertThat(r.edgeIds()).hasSize(4);
        });
    }

    @Test
    void shouldPrefetchASurgingTitlesPrefixOntoOneEdgeOfEveryOtherRegion()
    {
        final RegionalDemand viral = new RegionalDemand(
            "vod/viral", "eu", false, 0.2, 160, 0, 150, 10, 900, 0, 299, 3, SEGMENT);
        final PlacementInput input = new PlacementInput(NOW, List.of(viral), edges);
        final PlacementPlan plan = planner.plan(input, List.of());

        final List<PlacementDecision> elsewhere = plan.decisions().stream()
            .filter(d -> !d.targetEdgeId().startsWith("eu")).toList();
        assertThat(elsewhere).extracting(PlacementDecision::targetEdgeId).containsExactlyInAnyOrder(
            input.rankedEdges("vod/viral", "us", 1).getFirst(), input.rankedEdges("vod/viral", "ap", 1).getFirst());
        assertThat(elsewhere).allSatisfy(d ->
        {
            assertThat(d.action()).isEqualTo(PlacementAction.PREFETCH);
            assertThat(d.toMsn()).isEqualTo(4);
        });
    }

    @Test
    void shouldGiveHotContentOnlyTheReplicasItsViewersNeed()
    {
        // Steady hot title: 2400 views/h, 700 viewers -> ceil(700 / 500) = 2 edges, not all 4.
        final RegionalDemand hot = new RegionalDemand(
            "vod/hot", "us", false, 24, 2400, 2300, 200, 200, 700, 0, 599, 40, SEGMENT);
        final PlacementInput input = new PlacementInput(NOW, List.of(hot), edges);
        final PlacementPlan plan = planner.plan(input, List.of());

        assertThat(plan.replicaSets()).singleElement().satisfies(r ->
            assertThat(r.edgeIds()).isEqualTo(input.rankedEdges("vod/hot", "us", 2)));
        assertThat(plan.decisions()).hasSize(2).allSatisfy(d ->
        {
            assertThat(d.fromMsn()).isZero();
            assertThat(d.toMsn()).isEqualTo(50);
        });
    }

    @Test
    void shouldPrefetchOnlyThePrefixOfWarmTitlesOntoOneEdge()
    {
        final RegionalDemand warm = new RegionalDemand(
            "vod/warm", "ap", false, 24, 300, 280, 25, 25, 60, 0, 599, 200, SEGMENT);
        final PlacementPlan plan = planner.plan(new PlacementInput(NOW, List.of(warm), edges), List.of());

        assertThat(plan.decisions()).singleElement().satisfies(d ->
        {
            assertThat(d.action()).isEqualTo(PlacementAction.PREFETCH);
            assertThat(d.fromMsn()).isZero();
            assertThat(d.toMsn()).isEqualTo(4);
        });
    }

    @Test
    void shouldPinAHotLiveWindowAndPrefetchNoLiveSegments()
    {
        final RegionalDemand live = new RegionalDemand(
            "live/st_1", "eu", true, 1, 5000, 4000, 400, 400, 1200, 1000, 1005, 1005, SEGMENT);
        final PlacementPlan plan = planner.plan(new PlacementInput(NOW, List.of(live), edges), List.of());

        assertThat(plan.decisions()).hasSize(3).allSatisfy(d ->
        {
            assertThat(d.action()).isEqualTo(PlacementAction.PIN);
            assertThat(d.fromMsn()).isEqualTo(-1);
            assertThat(d.toMsn()).isEqualTo(-1);
        });
    }

    @Test
    void shouldSteerColdContentToOneEdgeAndPlaceNothing()
    {
        final RegionalDemand cold = new RegionalDemand(
            "vod/cold", "eu", false, 500, 3, 4, 0, 1, 1, 0, 99, 10, SEGMENT);
        final PlacementPlan plan = planner.plan(new PlacementInput(NOW, List.of(cold), edges), List.of());

        assertThat(plan.decisions()).isEmpty();
        assertThat(plan.replicaSets()).singleElement().satisfies(r -> assertThat(r.edgeIds()).hasSize(1));
    }

    @Test
    void shouldNotTakeNoiseInASteadyTitlesShortWindowForASurge()
    {
        // Twice the views of the previous 5 minutes, but the hour is flat: warm, one edge, prefix only, no pin.
        final RegionalDemand steady = new RegionalDemand(
            "vod/steady", "eu", false, 24, 300, 290, 24, 10, 80, 0, 599, 30, SEGMENT);
        final PlacementPlan plan = planner.plan(new PlacementInput(NOW, List.of(steady), edges), List.of());

        assertThat(plan.decisions()).singleElement().satisfies(d ->
        {
            assertThat(d.action()).isEqualTo(PlacementAction.PREFETCH);
            assertThat(d.targetEdgeId()).startsWith("eu");
            assertThat(d.toMsn()).isEqualTo(4);
        });
    }

    @Test
    void shouldPinWholeWatchedTitlesOnTheirEdgeWhenHeadPinningIsOn()
    {
        final PlacementPlanner headPinning = PlacementPlanner.of(new PlacementPlanner.Context()
            .policy(SurgePolicy.NAME).pinHeadMinViews(3));
        final RegionalDemand tail = new RegionalDemand(
            "vod/tail", "us", false, 400, 5, 5, 0, 1, 2, 0, 399, 12, SEGMENT);
        final RegionalDemand rare = new RegionalDemand(
            "vod/rare", "us", false, 400, 2, 1, 0, 0, 1, 0, 399, 2, SEGMENT);
        final PlacementInput input = new PlacementInput(NOW, List.of(tail, rare), edges);

        final PlacementPlan plan = headPinning.plan(input, List.of());

        assertThat(plan.decisions()).singleElement().satisfies(d ->
        {
            assertThat(d.action()).isEqualTo(PlacementAction.PIN);
            assertThat(d.contentId()).isEqualTo("vod/tail");
            assertThat(d.targetEdgeId()).isEqualTo(input.rankedEdges("vod/tail", "us", 1).getFirst());
            assertThat(d.fromMsn()).isZero();
            assertThat(d.toMsn()).isEqualTo(399);
        });
        assertThat(planner.plan(input, List.of()).decisions()).isEmpty();
    }
}
