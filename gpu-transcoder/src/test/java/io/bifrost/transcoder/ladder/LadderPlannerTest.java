package io.bifrost.transcoder.ladder;

import io.bifrost.transcoder.probe.AudioStreamInfo;
import io.bifrost.transcoder.probe.FrameRate;
import io.bifrost.transcoder.probe.SampleAspectRatio;
import io.bifrost.transcoder.probe.SourceInfo;
import io.bifrost.transcoder.probe.VideoStreamInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LadderPlannerTest
{
    private static SourceInfo source(final int width, final int height, final int rotation, final FrameRate rate,
        final boolean audio)
    {
        return new SourceInfo("mov", 60, 100_000_000,
            new VideoStreamInfo("h264", width, height, rotation, "yuv420p", 8, rate, rate, -1),
            audio ? new AudioStreamInfo("aac", 2, 44100) : null);
    }

    private static List<String> sizes(final LadderPlan plan)
    {
        return plan.video().stream().map(r -> r.name() + "=" + r.width() + "x" + r.height()).toList();
    }

    @Test
    void shouldPlanFiveRungsFor1080p()
    {
        final LadderPlan plan = LadderPlanner.plan(source(1920, 1080, 0, FrameRate.of(30), true),
            LadderOptions.DEFAULTS);

        assertThat(sizes(plan)).containsExactly("240p=426x240", "360p=640x360", "480p=854x480", "720p=1280x720",
            "1080p=1920x1080");
        assertThat(plan.video()).extracting(VideoRendition::bitrateBps)
            .containsExactly(500_000L, 1_000_000L, 2_500_000L, 5_000_000L, 8_000_000L);
        assertThat(plan.video()).allSatisfy(r -> assertThat(r.codec()).isEqualTo(VideoCodec.H264));
        assertThat(plan.audio()).extracting(AudioRendition::name).containsExactly("audio");
        assertThat(plan.audio().get(0).sampleRateHz()).isEqualTo(48_000);
        assertThat(plan.audio().get(0).channels()).isEqualTo(2);
        assertThat(plan.audio().get(0).bitrateBps()).isEqualTo(128_000);
    }

    @Test
    void shouldPlanFourRungsFor720p()
    {
        assertThat(sizes(LadderPlanner.plan(source(1280, 720, 0, FrameRate.of(30), true), LadderOptions.DEFAULTS)))
            .containsExactly("240p=426x240", "360p=640x360", "480p=854x480", "720p=1280x720");
    }

    @Test
    void shouldPlanEverySeedRungFor4k()
    {
        final LadderPlan plan = LadderPlanner.plan(source(3840, 2160, 0, FrameRate.of(30), true),
            LadderOptions.DEFAULTS);

        assertThat(sizes(plan)).hasSize(7).endsWith("1440p=2560x1440", "2160p=3840x2160");
        assertThat(plan.video().get(6).bitrateBps()).isEqualTo(25_000_000);
    }

    @Test
    void shouldPlanPortraitSourcesOnTheirOwnOrientation()
    {
        assertThat(sizes(LadderPlanner.plan(source(1080, 1920, 0, FrameRate.of(30), true), LadderOptions.DEFAULTS)))
            .containsExactly("240p=240x426", "360p=360x640", "480p=480x854", "720p=720x1280", "1080p=1080x1920");
    }

    @Test
    void shouldPlanRotatedSourcesOnDisplayOrientation()
    {
        // stored landscape 1920x1080 with a 90 degree display matrix: a phone video held upright
        assertThat(sizes(LadderPlanner.plan(source(1920, 1080, 90, FrameRate.of(30), true), LadderOptions.DEFAULTS)))
            .containsExactly("240p=240x426", "360p=360x640", "480p=480x854", "720p=720x1280", "1080p=1080x1920");
    }

    @Test
    void shouldNeverUpscaleAndKeepEvenDimensionsForOddSources()
    {
        final LadderPlan plan = LadderPlanner.plan(source(1279, 719, 0, FrameRate.of(30), true),
            LadderOptions.DEFAULTS);

        assertThat(sizes(plan)).containsExactly("240p=426x240", "360p=640x360", "480p=854x480");
        assertThat(plan.video()).allSatisfy(r ->
        {
            assertThat(r.width() % 2).isZero();
            assertThat(r.height() % 2).isZero();
            assertThat(r.width()).isLessThanOrEqualTo(1279);
            assertThat(r.height()).isLessThanOrEqualTo(719);
        });
    }

    @Test
    void shouldKeepAspectRatioOfWideSourcesInsideTheBox()
    {
        assertThat(sizes(LadderPlanner.plan(source(1920, 800, 0, FrameRate.of(24), true), LadderOptions.DEFAULTS)))
            .containsExactly("240p=426x178", "360p=640x266", "480p=854x356", "720p=1280x534");
    }

    @Test
    void shouldPlanAnamorphicSourcesAtTheirDisplayShape()
    {
        final SourceInfo pal = new SourceInfo("mpeg", 60, 100_000_000, new VideoStreamInfo("mpeg2video", 720, 576, 0,
            "yuv420p", 8, FrameRate.of(25), FrameRate.of(25), -1, new SampleAspectRatio(64, 45)), null);

        assertThat(sizes(LadderPlanner.plan(pal, LadderOptions.DEFAULTS)))
            .containsExactly("240p=426x240", "360p=640x360", "480p=854x480");
    }

    @Test
    void shouldKeepTheLowestRungAtSourceSizeForTinySources()
    {
        final LadderPlan plan = LadderPlanner.plan(source(321, 181, 0, FrameRate.of(25), true),
            LadderOptions.DEFAULTS);

        assertThat(sizes(plan)).containsExactly("240p=320x180");
    }

    @ParameterizedTest(name = "{0} fps source -> {1} fps, GOP {2}")
    @CsvSource({ "30, 30, 120", "60, 60, 240", "120, 60, 240", "24, 24, 96" })
    void shouldCapFrameRateAt60AndAlignTheGopToTheSegment(final int sourceFps, final int outputFps, final int gop)
    {
        final LadderPlan plan = LadderPlanner.plan(source(1280, 720, 0, FrameRate.of(sourceFps), true),
            LadderOptions.DEFAULTS);

        assertThat(plan.video()).allSatisfy(r ->
        {
            assertThat(r.frameRate()).isEqualTo(FrameRate.of(outputFps));
            assertThat(r.gopFrames()).isEqualTo(gop);
        });
    }

    @ParameterizedTest(name = "VFR avg {0}/{1} (r {2}) -> {3}/{4}")
    @CsvSource({ "1800, 89, 30, 24000, 1001", "2960, 100, 30, 30000, 1001", "5, 1, 30, 12, 1", "100, 1, 120, 60, 1",
        "2400, 100, 25, 24, 1" })
    void shouldRoundVariableFrameRatesUpToAStandardRate(final long avgNum, final long avgDen, final long base,
        final long outNum, final long outDen)
    {
        final SourceInfo vfr = new SourceInfo("mov", 60, 100_000_000, new VideoStreamInfo("h264", 1280, 720, 0,
            "yuv420p", 8, new FrameRate(avgNum, avgDen), FrameRate.of(base), -1), null);

        assertThat(vfr.video().isVariableFrameRate()).isTrue();
        assertThat(LadderPlanner.plan(vfr, LadderOptions.DEFAULTS).video().get(0).frameRate())
            .isEqualTo(new FrameRate(outNum, outDen));
    }

    @Test
    void shouldKeepNtscRatesExactAndRoundTheGop()
    {
        final LadderPlan plan = LadderPlanner.plan(source(1280, 720, 0, new FrameRate(30000, 1001), true),
            LadderOptions.DEFAULTS.withSegmentSeconds(2));

        assertThat(plan.video().get(0).frameRate()).isEqualTo(new FrameRate(30000, 1001));
        assertThat(plan.video().get(0).gopFrames()).isEqualTo(60);
        assertThat(plan.segmentSeconds()).isEqualTo(2);
    }

    @Test
    void shouldPlanNoAudioForASilentSource()
    {
        final LadderPlan plan = LadderPlanner.plan(source(640, 360, 0, FrameRate.of(25), false),
            LadderOptions.DEFAULTS);

        assertThat(plan.audio()).isEmpty();
        assertThat(sizes(plan)).containsExactly("240p=426x240", "360p=640x360");
    }

    @Test
    void shouldAddExtraCodecLaddersWithTheirOwnAudio()
    {
        final LadderPlan plan = LadderPlanner.plan(source(640, 360, 0, FrameRate.of(25), true),
            LadderOptions.DEFAULTS.withExtraCodecs(Set.of(VideoCodec.VP9)));

        assertThat(plan.video()).extracting(VideoRendition::name).containsExactly("240p", "360p", "240p-vp9",
            "360p-vp9");
        assertThat(plan.video().get(2).bitrateBps()).isEqualTo(325_000);
        assertThat(plan.audio()).extracting(AudioRendition::name).containsExactly("audio", "audio-opus");
    }

    @Test
    void shouldRefuseBadOptions()
    {
        assertThatThrownBy(() -> LadderOptions.DEFAULTS.withSegmentSeconds(1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 2 and 6");
        assertThatThrownBy(() -> LadderOptions.DEFAULTS.withSegmentSeconds(7))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LadderOptions.DEFAULTS.withX264Preset("turbo"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transcode.preset");
    }
}
