package io.bifrost.transcoder.ladder;

import io.bifrost.transcoder.probe.FrameRate;
import io.bifrost.transcoder.probe.SourceInfo;
import io.bifrost.transcoder.probe.VideoStreamInfo;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The planner's promises for every source size the validator accepts: at least one rendition, even dimensions,
 * never larger than the source, aspect ratio kept (within the rounding of an even size), one shared GOP.
 */
class LadderPlannerPropertiesTest
{
    @Property(tries = 500)
    void everyPlanKeepsItsPromises(
        @ForAll @IntRange(min = 16, max = 8192) final int width,
        @ForAll @IntRange(min = 16, max = 8192) final int height,
        @ForAll @IntRange(min = 0, max = 3) final int quarterTurns,
        @ForAll @IntRange(min = 1, max = 240) final int fps)
    {
        final SourceInfo source = new SourceInfo("mov", 10, 10_000_000, new VideoStreamInfo("h264", width, height,
            quarterTurns * 90, "yuv420p", 8, FrameRate.of(fps), FrameRate.of(fps), -1), null);
        final LadderPlan plan = LadderPlanner.plan(source, LadderOptions.DEFAULTS);
        final int displayWidth = source.video().displayWidth();
        final int displayHeight = source.video().displayHeight();
        final List<VideoRendition> video = plan.video();

        assertThat(video).isNotEmpty();
        assertThat(new HashSet<>(video.stream().map(VideoRendition::name).toList())).hasSize(video.size());
        assertThat(video.stream().map(VideoRendition::gopFrames).distinct()).hasSize(1);
        for (final VideoRendition rendition : video)
        {
            assertThat(rendition.width() % 2).isZero();
            assertThat(rendition.height() % 2).isZero();
            assertThat(rendition.width()).isBetween(2, Math.max(2, displayWidth));
            assertThat(rendition.height()).isBetween(2, Math.max(2, displayHeight));
            assertThat(rendition.frameRate().toDouble()).isLessThanOrEqualTo(60.0);
            // aspect ratio kept: the even rounding moves each side by at most one pixel (two when clamped to 2)
            final double expectedHeight = (double)rendition.width() * displayHeight / displayWidth;
            assertThat(Math.abs(rendition.height() - expectedHeight))
                .isLessThanOrEqualTo(2.0 + 2.0 * displayHeight / displayWidth);
        }
    }
}
