package io.bifrost.transcoder.thumbnail;

import io.bifrost.transcoder.probe.FrameRate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ThumbnailPlanTest
{
    @ParameterizedTest(name = "{0} s -> {1} tiles")
    @CsvSource({
        "10.0, 5",
        "10.0004, 5",
        "10.0006, 6",
        "7.3, 4",
        "6.023, 4",
        "1.5, 1",
        "0.04, 1"})
    void shouldPlanOneTilePerStartedIntervalOfTheDurationInWholeMilliseconds(final double seconds, final int tiles)
    {
        final ThumbnailPlan plan = ThumbnailPlan.of(seconds, ThumbnailOptions.DEFAULTS);

        assertThat(plan.tileCount()).isEqualTo(tiles);
        assertThat(plan.cueStartSeconds(0)).isZero();
        for (int k = 1; k < tiles; k++)
        {
            assertThat(plan.cueStartSeconds(k)).as("no gap before tile %d", k).isEqualTo(plan.cueEndSeconds(k - 1));
        }
        assertThat(plan.cueEndSeconds(tiles - 1)).isEqualTo(seconds);
        assertThat(SpriteVttWriter.timestamp(plan.cueEndSeconds(tiles - 1)))
            .as("the last cue is not empty at WebVTT's resolution")
            .isNotEqualTo(SpriteVttWriter.timestamp(plan.cueStartSeconds(tiles - 1)));
    }

    @Test
    void shouldTakeTheLastFrameOfEachIntervalAndPassTheEndForThePartialOne()
    {
        final ThumbnailPlan plan = ThumbnailPlan.of(7.3, ThumbnailOptions.DEFAULTS);

        // 25 fps: frames 0..182 (7.28 s); the last tile's frame 199 is past the end, so it shows frame 182
        assertThat(plan.tileFrame(0, FrameRate.of(25))).isEqualTo(49);
        assertThat(plan.tileFrame(2, FrameRate.of(25))).isEqualTo(149);
        assertThat(plan.tileFrame(3, FrameRate.of(25))).isEqualTo(199);
        assertThat(plan.posterFrame(FrameRate.of(25))).isEqualTo(19);
        assertThat(plan.spritePadSeconds()).isEqualTo(8);
    }

    @Test
    void shouldLayTilesOutRowByRow()
    {
        final ThumbnailPlan plan = ThumbnailPlan.of(7.3, new ThumbnailOptions(0.1, -1, 1, 3, 100, 160, 90, 3));

        assertThat(plan.tileCount()).isEqualTo(8);
        assertThat(plan.rows()).isEqualTo(3);
        assertThat(plan.tileX(4)).isEqualTo(160);
        assertThat(plan.tileY(4)).isEqualTo(90);
        assertThat(plan.tileX(7)).isEqualTo(160);
        assertThat(plan.tileY(7)).isEqualTo(180);
    }
}
