package io.bifrost.control.placement;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PopularityScoreTest
{
    private final PopularityScore seed = new PopularityScore();

    @Test
    void shouldApplyTheSeedFormula()
    {
        // 2000 views/h, one week old, engagement 0.9, growing 2x:
        // 2000 x e^-1 x (1 + 0.4 x 0.5) x 1.3
        final double expected = 2000 * Math.exp(-1) * 1.2 * 1.3;

        assertThat(seed.score(2000, 168, 0.9, 2.0)).isCloseTo(expected, within(1e-9));
        assertThat(seed.score(1000, 0, 0.5, 1.0)).isEqualTo(1000);
    }

    @Test
    void shouldBoostTrendingOnlyAboveOneAndAHalfTimesGrowth()
    {
        assertThat(seed.score(100, 0, 0.5, 1.5)).isEqualTo(100);
        assertThat(seed.score(100, 0, 0.5, 1.51)).isCloseTo(130, within(1e-9));
    }

    @Test
    void shouldClassifyAtTheSeedThresholds()
    {
        assertThat(seed.temperature(1000)).isEqualTo(Temperature.HOT);
        assertThat(seed.temperature(999.9)).isEqualTo(Temperature.WARM);
        assertThat(seed.temperature(100)).isEqualTo(Temperature.WARM);
        assertThat(seed.temperature(99.9)).isEqualTo(Temperature.COLD);
        assertThat(new PopularityScore(50, 5, 168).temperature(60)).isEqualTo(Temperature.HOT);
    }

    @Test
    void shouldTreatBadInputsAsNeutralInsteadOfPoisoningTheScore()
    {
        assertThat(seed.score(-5, 0, 0.5, 1)).isZero();
        assertThat(seed.score(100, -10, 0.5, 1)).isEqualTo(100);
        assertThat(seed.score(100, 0, Double.NaN, 1)).isEqualTo(100);
        assertThat(seed.score(100, 0, 7, 1)).isEqualTo(seed.score(100, 0, 1, 1));
    }

    @Test
    void shouldSmoothGrowthSoAFirstViewIsNotInfinite()
    {
        assertThat(PopularityScore.growth(0, 0)).isEqualTo(1);
        assertThat(PopularityScore.growth(9, 0)).isEqualTo(10);
        assertThat(PopularityScore.growth(199, 99)).isEqualTo(2);
    }

    @Test
    void shouldScoreRegionalEngagementHalfForAnAverageRegion()
    {
        // The region has 1/3 of all views and 1/3 of this content's views: neutral.
        assertThat(PopularityScore.regionalEngagement(100, 300, 1000, 3000)).isCloseTo(0.5, within(1e-9));
        // It has 1/3 of all views but all of this content's: affinity 3 -> 0.75.
        assertThat(PopularityScore.regionalEngagement(300, 300, 1000, 3000)).isCloseTo(0.75, within(1e-9));
        assertThat(PopularityScore.regionalEngagement(0, 300, 1000, 3000)).isZero();
        assertThat(PopularityScore.regionalEngagement(0, 0, 0, 0)).isEqualTo(0.5);
    }

    @Test
    void shouldRefuseThresholdsThatCannotClassify()
    {
        assertThatThrownBy(() -> new PopularityScore(10, 100, 168)).hasMessageContaining("warm");
        assertThatThrownBy(() -> new PopularityScore(100, 0, 168)).hasMessageContaining("warm");
        assertThatThrownBy(() -> new PopularityScore(1000, 100, 0)).hasMessageContaining("decay");
    }
}
