package io.bifrost.perf.placement;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementSimulationTest
{
    @Test
    void shouldKeepEveryStrategysNumbersConsistent()
    {
        final Workload workload = new Workload(Scenario.small("flash", 11, true));

        final List<PlacementSimulator.Result> results = PlacementSimulation.runAll(workload, 1L << 30);

        assertThat(results).hasSize(PlacementSimulation.VARIANTS.size());
        for (final PlacementSimulator.Result result : results)
        {
            for (final PlacementMetrics m : List.of(result.total(), result.measured(), result.flash()))
            {
                assertThat(m.requests).isPositive();
                assertThat(m.objectHitRatio()).isBetween(0.0, 1.0);
                assertThat(m.byteHitRatio()).isBetween(0.0, 1.0);
                assertThat(m.hits).isLessThanOrEqualTo(m.requests);
                assertThat(m.wastedBytes).isBetween(0L, m.prefetchedBytes);
                assertThat(m.originEgressBytes()).isEqualTo(m.missBytes() + m.prefetchedBytes - m.tierHitBytes);
                assertThat(m.tierHitBytes).isBetween(0L, m.tierBytes);
                assertThat(m.tierBytes).isLessThanOrEqualTo(m.missBytes() + m.prefetchedBytes);
                assertThat(m.viralRequests).isPositive();
                if (result.tier() == RegionalTier.Kind.NONE)
                {
                    assertThat(m.tierBytes).isZero();
                }
                if (result.tier() == RegionalTier.Kind.SHIELD)
                {
                    // Every fill of an edge goes through its region's shield.
                    assertThat(m.tierBytes).isEqualTo(m.missBytes() + m.prefetchedBytes);
                }
            }
            // Every byte that entered an edge or a shield came from the origin or, for an edge, from the regional
            // tier (shield or peer): nothing else.
            assertThat(result.insertedBytes())
                .isEqualTo(result.total().originEgressBytes() + result.total().tierBytes);
            assertThat(result.total().requests).isGreaterThanOrEqualTo(result.measured().requests);
        }
        for (final PlacementSimulator.Result fillOnly : List.of(
            results.get(0), results.get(1), results.get(4), results.get(5), results.get(7), results.get(8)))
        {
            assertThat(fillOnly.total().prefetchedBytes).isZero();
            assertThat(fillOnly.total().commands).isZero();
            assertThat(fillOnly.viralReactionMinutes()).isEqualTo(-1);
        }
        for (final PlacementSimulator.Result placed : List.of(
            results.get(2), results.get(3), results.get(6), results.get(9)))
        {
            assertThat(placed.total().commands).isPositive();
            assertThat(placed.viralReactionMinutes()).isNotNegative();
        }
        // Same steering, bounded edges: every first request still misses, and more besides.
        assertThat(results.get(1).total().missBytes()).isGreaterThanOrEqualTo(results.get(4).total().missBytes());
        // The shield and peer fill only change where a fill comes from, never what the edges hold.
        assertThat(results.get(7).total().hits).isEqualTo(results.get(0).total().hits);
        assertThat(results.get(8).total().hits).isEqualTo(results.get(1).total().hits);
        // A shield can only take load off the origin.
        assertThat(results.get(7).total().originEgressBytes())
            .isLessThanOrEqualTo(results.get(0).total().originEgressBytes());
        // Every strategy replays the same viewers.
        assertThat(results).extracting(r -> r.total().requests).containsOnly(results.getFirst().total().requests);
    }

    @Test
    void shouldGiveTheSameNumbersForTheSameSeed()
    {
        final Scenario scenario = Scenario.small("flash", 5, true);

        final PlacementSimulator.Result first = PlacementSimulation.run(
            new Workload(scenario), PlacementSimulator.Strategy.SURGE);
        final PlacementSimulator.Result second = PlacementSimulation.run(
            new Workload(scenario), PlacementSimulator.Strategy.SURGE);

        assertThat(second.total()).usingRecursiveComparison().isEqualTo(first.total());
        assertThat(second.flash()).usingRecursiveComparison().isEqualTo(first.flash());
        assertThat(second.insertedBytes()).isEqualTo(first.insertedBytes());
        assertThat(second.viralReactionMinutes()).isEqualTo(first.viralReactionMinutes());
    }

    @Test
    void shouldReplayTheSameSteadyViewersWithAndWithoutTheFlashCrowd()
    {
        final Workload steady = new Workload(Scenario.small("steady", 3, false));
        final Workload flash = new Workload(Scenario.small("flash", 3, true));

        int j = 0;
        for (int i = 0; i < flash.sessionCount; i++)
        {
            if (flash.title[i] == flash.viralTitle)
            {
                continue;
            }
            assertThat(flash.startTick[i]).isEqualTo(steady.startTick[j]);
            assertThat(flash.title[i]).isEqualTo(steady.title[j]);
            assertThat(flash.watch[i]).isEqualTo(steady.watch[j]);
            j++;
        }
        assertThat(j).isEqualTo(steady.sessionCount).isPositive();
        assertThat(flash.sessionCount).isGreaterThan(steady.sessionCount);
        assertThat(steady.viralTitle).isEqualTo(-1);
    }

    @Test
    void shouldStartEverySessionAtTheFirstSegmentAndNeverPastTheTitlesEnd()
    {
        final Workload workload = new Workload(Scenario.small("flash", 9, true));

        for (int i = 0; i < workload.sessionCount; i++)
        {
            assertThat(workload.watch[i]).isBetween(1, workload.segments[workload.title[i]]);
        }
    }
}
