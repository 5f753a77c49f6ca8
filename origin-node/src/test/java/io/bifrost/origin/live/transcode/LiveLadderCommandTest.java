package io.bifrost.origin.live.transcode;

import io.bifrost.ingest.rtmp.flv.VideoCodec;
import io.bifrost.origin.live.ingest.LiveIngestContext;
import io.bifrost.origin.live.ingest.LiveSource;
import io.bifrost.origin.live.ingest.RecordingLiveStreams;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.LadderRung;
import io.bifrost.transcoder.ladder.VideoRendition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ladder a live source gets and the ffmpeg command line that encodes it.
 */
class LiveLadderCommandTest
{
    @TempDir
    Path work;

    private LiveIngestContext context()
    {
        return new LiveIngestContext().liveStreams(new RecordingLiveStreams()).workDir(work).conclude();
    }

    private static LiveSource source(final int width, final int height, final double fps, final boolean audio)
    {
        return new LiveSource(VideoCodec.AVC, false, null, width, height, fps, audio, audio ? 10 : -1, null, 0, 0);
    }

    @Test
    void shouldNeverPlanARungAboveTheSource()
    {
        final LadderPlan plan = LiveTranscoder.plan(context(), source(1920, 1080, 30, true));
        assertThat(plan.video()).extracting(VideoRendition::name)
            .containsExactly("240p", "360p", "480p", "720p", "1080p");
        assertThat(LiveTranscoder.plan(context(), source(640, 360, 30, true)).video())
            .extracting(VideoRendition::name).containsExactly("240p", "360p");
        final LadderPlan tiny = LiveTranscoder.plan(context(), source(320, 180, 30, false));
        assertThat(tiny.video()).singleElement().satisfies(rendition ->
        {
            assertThat(rendition.width()).isEqualTo(320);
            assertThat(rendition.height()).isEqualTo(180);
        });
        assertThat(LiveTranscoder.plan(context().rungs(List.of(LadderRung.P360, LadderRung.P720)).conclude(),
            source(1920, 1080, 30, true)).video()).extracting(VideoRendition::name).containsExactly("360p", "720p");
    }

    @Test
    void shouldForceKeyframesOnTheSegmentGridAndCutOneFragmentPerPart()
    {
        final LiveIngestContext context = context().partTargetMs(400).segmentSeconds(4).keyframeSeconds(4)
            .x264Preset("superfast").conclude();
        final LadderPlan plan = LiveTranscoder.plan(context, source(1280, 720, 60, true));
        final List<Path> outputs = plan.video().stream().map(rendition -> work.resolve(rendition.name())).toList();
        final List<String> args = new LiveLadderCommand(Path.of("ffmpeg"), plan, outputs, work.resolve("audio"),
            context.x264Preset(), context.partTargetMs(), false, 128_000, context.segmentSeconds(),
            context.keyframesPerSegment()).arguments();

        assertThat(args).containsSequence("-f", "flv", "-i", "pipe:0");
        assertThat(String.join(" ", args)).contains("[0:v]split=4[s0][s1][s2][s3];[s0]scale=426:240,setsar=1[v0]")
            .contains("[s3]scale=1280:720,setsar=1[v3]");
        assertThat(args.stream().filter("expr:gte(t,n_forced*4)"::equals)).hasSize(4);
        assertThat(args.stream().filter("superfast"::equals)).hasSize(4);
        assertThat(args.stream().filter("zerolatency"::equals)).hasSize(4);
        assertThat(args.stream().filter("400000"::equals)).as("frag_duration per output").hasSize(5);
        assertThat(args.stream().filter(LiveLadderCommand.MOVFLAGS::equals)).hasSize(5);
        assertThat(args).containsSequence("-map", "0:a:0", "-vn", "-c:a", "aac", "-b:a", "128000", "-ar", "48000");
        assertThat(args.get(args.size() - 1)).isEqualTo(work.resolve("audio").toString());
    }

    @Test
    void shouldCapTheFrameRateOfAFastSource()
    {
        final LadderPlan plan = LiveTranscoder.plan(context(), source(1280, 720, 120, false));
        final List<String> args = new LiveLadderCommand(Path.of("ffmpeg"), plan,
            plan.video().stream().map(rendition -> work.resolve(rendition.name())).toList(), null, "veryfast", 333,
            true, 128_000, 2, 2).arguments();
        assertThat(String.join(" ", args)).contains("[0:v]fps=60,split=4").doesNotContain("0:a");
    }

    @Test
    void shouldForceAKeyframeEverySecondInTwoSecondSegmentsByDefault()
    {
        final LiveIngestContext context = context();
        assertThat(context.keyframeSeconds()).isEqualTo(1.0);
        assertThat(context.keyframesPerSegment()).isEqualTo(2);
        final LadderPlan plan = LiveTranscoder.plan(context, source(640, 360, 30, false));
        final List<String> args = new LiveLadderCommand(Path.of("ffmpeg"), plan,
            plan.video().stream().map(rendition -> work.resolve(rendition.name())).toList(), null, "veryfast",
            context.partTargetMs(), false, 128_000, context.segmentSeconds(), context.keyframesPerSegment())
            .arguments();
        assertThat(args.stream().filter("-force_key_frames"::equals)).hasSize(2);
        assertThat(args.stream().filter("expr:gte(t,n_forced*2/2)"::equals)).hasSize(2);
        assertThat(args).containsSequence("-g", Integer.toString(LiveLadderCommand.NO_NATURAL_KEYFRAMES),
            "-keyint_min", "1", "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*2/2)");
    }

    @Test
    void shouldPutEveryForcedKeyframeGridOnTheSegmentGrid()
    {
        assertThat(LiveLadderCommand.forceKeyFramesExpression(2, 1)).isEqualTo("expr:gte(t,n_forced*2)");
        assertThat(LiveLadderCommand.forceKeyFramesExpression(6, 4)).isEqualTo("expr:gte(t,n_forced*6/4)");
        // an interval given to the millisecond is the exact third of the segment
        final LiveIngestContext thirds = context().segmentSeconds(2).keyframeSeconds(0.6667).conclude();
        assertThat(thirds.keyframesPerSegment()).isEqualTo(3);
        assertThat(context().segmentSeconds(6).keyframeSeconds(1.5).conclude().keyframesPerSegment()).isEqualTo(4);
        assertThat(context().segmentSeconds(2).keyframeSeconds(2).conclude().keyframesPerSegment()).isEqualTo(1);
    }

    @Test
    void shouldForceAKeyframeEverySecondWhenSegmentsAreOneSecond()
    {
        final LiveIngestContext context = context().segmentSeconds(1).conclude();
        assertThat(context.keyframesPerSegment()).isEqualTo(1);
        final LadderPlan plan = LiveTranscoder.plan(context, source(640, 360, 30, false));
        final List<String> args = new LiveLadderCommand(Path.of("ffmpeg"), plan,
            plan.video().stream().map(rendition -> work.resolve(rendition.name())).toList(), null, "veryfast",
            context.partTargetMs(), false, 128_000, context.segmentSeconds(), context.keyframesPerSegment())
            .arguments();
        assertThat(args.stream().filter("expr:gte(t,n_forced*1)"::equals)).hasSize(2);
        assertThat(context().segmentSeconds(1).keyframeSeconds(0.5).conclude().keyframesPerSegment()).isEqualTo(2);
    }

    @Test
    void shouldRefuseALiveSegmentDurationOutsideOneToSixSeconds()
    {
        for (final int bad : new int[]{ -1, 0, 7, 60 })
        {
            assertThatThrownBy(() -> context().segmentSeconds(bad).keyframeSeconds(1).conclude())
                .as("segment duration %d", bad).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("origin.live-segment-seconds must be 1..6");
        }
        assertThatThrownBy(() -> context().segmentSeconds(1).keyframeSeconds(2).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("origin.live-keyframe-ms");
        assertThatThrownBy(() -> new LiveLadderCommand(Path.of("ffmpeg"),
            LiveTranscoder.plan(context(), source(640, 360, 30, false)), List.of(work.resolve("a")), null,
            "veryfast", 333, false, 128_000, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseAKeyframeIntervalThatDoesNotDivideTheSegment()
    {
        for (final double bad : new double[]{ 0, -1, Double.NaN, Double.POSITIVE_INFINITY, 2.5, 0.75, 0.6, 3 })
        {
            assertThatThrownBy(() -> context().segmentSeconds(2).keyframeSeconds(bad).conclude())
                .as("keyframe interval %s", bad).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("origin.live-keyframe-ms");
        }
        assertThatThrownBy(() -> new LiveLadderCommand(Path.of("ffmpeg"),
            LiveTranscoder.plan(context(), source(640, 360, 30, false)), List.of(work.resolve("a")), null,
            "veryfast", 333, false, 128_000, 2, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
