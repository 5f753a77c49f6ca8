package io.bifrost.transcoder.thumbnail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpriteVttWriterTest
{
    @Test
    void shouldWriteOneCuePerTileWithItsRectangle()
    {
        final ThumbnailPlan plan = ThumbnailPlan.of(5.0, new ThumbnailOptions(0.1, -1, 2, 2, 100, 160, 90, 3));

        assertThat(plan.tileCount()).isEqualTo(3);
        assertThat(plan.columns()).isEqualTo(2);
        assertThat(plan.rows()).isEqualTo(2);
        assertThat(SpriteVttWriter.write(plan, "sprite.jpg")).isEqualTo("""
            WEBVTT

            00:00:00.000 --> 00:00:02.000
            sprite.jpg#xywh=0,0,160,90

            00:00:02.000 --> 00:00:04.000
            sprite.jpg#xywh=160,0,160,90

            00:00:04.000 --> 00:00:05.000
            sprite.jpg#xywh=0,90,160,90
            """);
    }

    @Test
    void shouldFormatHoursInTimestamps()
    {
        assertThat(SpriteVttWriter.timestamp(3723.5)).isEqualTo("01:02:03.500");
    }

    @Test
    void planShouldPutThePosterAtTenPercentAndGrowTheIntervalForLongTitles()
    {
        final ThumbnailPlan plan = ThumbnailPlan.of(3600, ThumbnailOptions.DEFAULTS);

        assertThat(plan.posterAtSeconds()).isEqualTo(360.0);
        assertThat(plan.spriteIntervalSeconds()).isEqualTo(36);
        assertThat(plan.tileCount()).isEqualTo(100);
        assertThat(plan.columns()).isEqualTo(10);
        assertThat(plan.rows()).isEqualTo(10);
        assertThat(plan.previewStartSeconds()).isEqualTo(360.0);
        assertThat(plan.previewSeconds()).isEqualTo(3.0);
    }

    @Test
    void planShouldKeepPosterAndPreviewInsideShortTitles()
    {
        final ThumbnailPlan plan = ThumbnailPlan.of(2.0, ThumbnailOptions.DEFAULTS.withPosterAtSeconds(30));

        assertThat(plan.posterAtSeconds()).isEqualTo(1.9);
        assertThat(plan.previewStartSeconds()).isZero();
        assertThat(plan.previewSeconds()).isEqualTo(2.0);
        assertThat(plan.tileCount()).isEqualTo(1);
    }

    @Test
    void optionsShouldRefuseOddTiles()
    {
        assertThatThrownBy(() -> new ThumbnailOptions(0.1, -1, 2, 10, 100, 161, 90, 3))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
