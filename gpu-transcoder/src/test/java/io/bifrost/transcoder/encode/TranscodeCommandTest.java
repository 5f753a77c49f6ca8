package io.bifrost.transcoder.encode;

import io.bifrost.transcoder.ladder.LadderOptions;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.LadderPlanner;
import io.bifrost.transcoder.ladder.VideoCodec;
import io.bifrost.transcoder.probe.AudioStreamInfo;
import io.bifrost.transcoder.probe.FrameRate;
import io.bifrost.transcoder.probe.SourceInfo;
import io.bifrost.transcoder.probe.VideoStreamInfo;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TranscodeCommandTest
{
    private static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    private static final Path SOURCE = Path.of("/data/uploads/abc.mov");

    private static LadderPlan plan(final boolean audio, final LadderOptions options)
    {
        final SourceInfo source = new SourceInfo("mov", 6, 1_000_000,
            new VideoStreamInfo("h264", 640, 360, 0, "yuv420p10le", 10, FrameRate.of(25), FrameRate.of(25), 150),
            audio ? new AudioStreamInfo("aac", 1, 44100) : null);
        return LadderPlanner.plan(source, options);
    }

    /** The arguments that belong to the output whose last argument is {@code target}. */
    private static List<String> outputArgs(final List<String> args, final String target)
    {
        final int end = args.indexOf(target);
        assertThat(end).as("output %s", target).isPositive();
        int start = end - 1;
        while (start > 0 && !args.get(start).equals("-map"))
        {
            start--;
        }
        return args.subList(start, end + 1);
    }

    private static String valueAfter(final List<String> args, final String option)
    {
        final int i = args.indexOf(option);
        assertThat(i).as("option %s in %s", option, args).isNotNegative();
        return args.get(i + 1);
    }

    @Test
    void shouldDecodeOnceAndSplitIntoOneScaledEightBitBranchPerRendition()
    {
        final List<String> args = TranscodeCommand.build(FFMPEG, SOURCE, plan(true, LadderOptions.DEFAULTS));

        assertThat(Collections.frequency(args, "-i")).isEqualTo(1);
        assertThat(valueAfter(args, "-i")).isEqualTo("file:/data/uploads/abc.mov");
        assertThat(valueAfter(args, "-filter_complex")).isEqualTo(
            "[0:v:0]fps=25,split=2[s0][s1]" +
            ";[s0]scale=w=426:h=240:flags=bicubic,setsar=1,format=yuv420p[v0]" +
            ";[s1]scale=w=640:h=360:flags=bicubic,setsar=1,format=yuv420p[v1]");
        assertThat(valueAfter(args, "-progress")).isEqualTo("pipe:1");
        assertThat(args).contains("-nostdin");
    }

    @Test
    void shouldEncodeEachRenditionWithClosedGopsAlignedToTheSegment()
    {
        final List<String> args = TranscodeCommand.build(FFMPEG, SOURCE, plan(true, LadderOptions.DEFAULTS));
        final List<String> low = outputArgs(args, "240p/index.m3u8");

        assertThat(valueAfter(low, "-map")).isEqualTo("[v0]");
        assertThat(valueAfter(low, "-c:v")).isEqualTo("libx264");
        assertThat(valueAfter(low, "-profile:v")).isEqualTo("high");
        assertThat(valueAfter(low, "-preset")).isEqualTo("veryfast");
        assertThat(valueAfter(low, "-b:v")).isEqualTo("500000");
        assertThat(valueAfter(low, "-maxrate")).isEqualTo("750000");
        assertThat(valueAfter(low, "-bufsize")).isEqualTo("1000000");
        assertThat(valueAfter(low, "-g")).isEqualTo("100");
        assertThat(valueAfter(low, "-keyint_min")).isEqualTo("100");
        assertThat(valueAfter(low, "-sc_threshold")).isEqualTo("0");
        assertThat(valueAfter(low, "-flags")).isEqualTo("+cgop");
        assertThat(valueAfter(low, "-force_key_frames")).isEqualTo("expr:gte(t,n_forced*4)");
        assertThat(low).contains("-an");
    }

    @Test
    void shouldWriteCmafHlsWithSegmentsNumberedFromZeroInTheRenditionFolder()
    {
        final List<String> args = TranscodeCommand.build(FFMPEG, SOURCE,
            plan(true, LadderOptions.DEFAULTS.withSegmentSeconds(6)));
        final List<String> high = outputArgs(args, "360p/index.m3u8");

        assertThat(valueAfter(high, "-f")).isEqualTo("hls");
        assertThat(valueAfter(high, "-hls_segment_type")).isEqualTo("fmp4");
        assertThat(valueAfter(high, "-hls_fmp4_init_filename")).isEqualTo("init.mp4");
        assertThat(valueAfter(high, "-hls_segment_filename")).isEqualTo("360p/%d.m4s");
        assertThat(valueAfter(high, "-hls_playlist_type")).isEqualTo("vod");
        assertThat(valueAfter(high, "-hls_time")).isEqualTo("6");
        assertThat(valueAfter(high, "-start_number")).isEqualTo("0");
        assertThat(valueAfter(high, "-g")).isEqualTo("150");
    }

    @Test
    void shouldWriteAudioAsItsOwnAacRendition()
    {
        final List<String> args = TranscodeCommand.build(FFMPEG, SOURCE, plan(true, LadderOptions.DEFAULTS));
        final List<String> audio = outputArgs(args, "audio/index.m3u8");

        assertThat(valueAfter(audio, "-map")).isEqualTo("0:a:0");
        assertThat(valueAfter(audio, "-c:a")).isEqualTo("aac");
        assertThat(valueAfter(audio, "-b:a")).isEqualTo("128000");
        assertThat(valueAfter(audio, "-ar")).isEqualTo("48000");
        assertThat(valueAfter(audio, "-ac")).isEqualTo("2");
        assertThat(audio).contains("-vn");
    }

    @Test
    void shouldMapNoAudioForASilentSource()
    {
        final List<String> args = TranscodeCommand.build(FFMPEG, SOURCE, plan(false, LadderOptions.DEFAULTS));

        assertThat(args).doesNotContain("0:a:0", "audio/index.m3u8", "-c:a");
    }

    @Test
    void shouldAddVp9OutputsWithOpusAudioWhenAsked()
    {
        final List<String> args = TranscodeCommand.build(FFMPEG, SOURCE,
            plan(true, LadderOptions.DEFAULTS.withExtraCodecs(Set.of(VideoCodec.VP9))));
        final List<String> vp9 = outputArgs(args, "360p-vp9/index.m3u8");
        final List<String> opus = outputArgs(args, "audio-opus/index.m3u8");

        assertThat(valueAfter(args, "-filter_complex")).contains("split=4");
        assertThat(valueAfter(vp9, "-map")).isEqualTo("[v3]");
        assertThat(valueAfter(vp9, "-c:v")).isEqualTo("libvpx-vp9");
        assertThat(valueAfter(vp9, "-force_key_frames")).isEqualTo("expr:gte(t,n_forced*4)");
        assertThat(valueAfter(opus, "-c:a")).isEqualTo("libopus");
        final List<String> outputs = new ArrayList<>();
        for (final String arg : args)
        {
            if (arg.endsWith("/index.m3u8"))
            {
                outputs.add(arg);
            }
        }
        assertThat(outputs).containsExactly("240p/index.m3u8", "360p/index.m3u8", "240p-vp9/index.m3u8",
            "360p-vp9/index.m3u8", "audio/index.m3u8", "audio-opus/index.m3u8");
    }

    @Test
    void shouldTagHevcForApplePlayersAndTurnOffScenecut()
    {
        final List<String> args = TranscodeCommand.build(FFMPEG, SOURCE,
            plan(false, LadderOptions.DEFAULTS.withExtraCodecs(Set.of(VideoCodec.HEVC))));
        final List<String> hevc = outputArgs(args, "240p-hevc/index.m3u8");

        assertThat(valueAfter(hevc, "-c:v")).isEqualTo("libx265");
        assertThat(valueAfter(hevc, "-tag:v")).isEqualTo("hvc1");
        assertThat(valueAfter(hevc, "-x265-params")).contains("keyint=100", "min-keyint=100", "scenecut=0",
            "open-gop=0");
    }

    @Test
    void shouldEncodeH264AndHevcWithNvencAndIdrAtEverySegmentBoundaryWhenNvencIsChosen()
    {
        final LadderPlan plan = plan(true, LadderOptions.DEFAULTS.withExtraCodecs(Set.of(VideoCodec.HEVC, VideoCodec.VP9)));
        final List<String> args = TranscodeCommand.build(FFMPEG, SOURCE, plan, EncoderFamily.NVENC);
        final List<String> h264 = outputArgs(args, "360p/index.m3u8");
        final List<String> hevc = outputArgs(args, "360p-hevc/index.m3u8");

        assertThat(valueAfter(h264, "-c:v")).isEqualTo("h264_nvenc");
        assertThat(valueAfter(h264, "-rc")).isEqualTo("vbr");
        assertThat(valueAfter(h264, "-b:v")).isEqualTo("1000000");
        assertThat(valueAfter(h264, "-maxrate")).isEqualTo("1500000");
        assertThat(valueAfter(h264, "-g")).isEqualTo("100");
        assertThat(valueAfter(h264, "-forced-idr")).isEqualTo("1");
        assertThat(valueAfter(h264, "-force_key_frames")).isEqualTo("expr:gte(t,n_forced*4)");
        assertThat(valueAfter(hevc, "-c:v")).isEqualTo("hevc_nvenc");
        assertThat(valueAfter(hevc, "-tag:v")).isEqualTo("hvc1");
        assertThat(valueAfter(outputArgs(args, "360p-vp9/index.m3u8"), "-c:v")).isEqualTo("libvpx-vp9");
        assertThat(valueAfter(args, "-filter_complex")).as("scaling is unchanged")
            .isEqualTo(TranscodeCommand.filterGraph(plan));
    }

    @Test
    void shouldBuildTheSameSoftwareCommandWhetherOrNotTheFamilyIsNamed()
    {
        final LadderPlan plan = plan(true, LadderOptions.DEFAULTS.withExtraCodecs(Set.of(VideoCodec.HEVC)));

        assertThat(TranscodeCommand.build(FFMPEG, SOURCE, plan, EncoderFamily.SOFTWARE))
            .isEqualTo(TranscodeCommand.build(FFMPEG, SOURCE, plan));
    }
}
