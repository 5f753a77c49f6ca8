package io.bifrost.perf.transcode;

import io.bifrost.transcoder.encode.TranscodeCommand;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.ladder.LadderOptions;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.VideoRendition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VariantRunnerTest
{
    private static final Path FFMPEG = Path.of("ffmpeg");
    private static final Path FFPROBE = Path.of("ffprobe");
    /** A 640x360 source plans two rungs (240p, 360p) and audio: enough to split, small enough for a unit test. */
    private static final LadderOptions OPTIONS = LadderOptions.DEFAULTS.withSegmentSeconds(2)
        .withX264Preset("ultrafast");

    @TempDir
    static Path dir;
    private static Path source;

    @BeforeAll
    static void generateSource() throws Exception
    {
        source = dir.resolve("source.mp4");
        final Process ffmpeg = new ProcessBuilder(FFMPEG.toString(), "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=sample_rate=48000",
            "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            source.toString()).inheritIO().start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).isZero();
    }

    @Test
    void shouldEncodeTheSameFinishedLadderEveryWay() throws Exception
    {
        final VariantRunner runner = new VariantRunner(FFMPEG, FFPROBE, source, OPTIONS);
        assertThat(runner.plan().video()).extracting(VideoRendition::name).containsExactly("240p", "360p");

        for (final LadderVariant variant : LadderVariant.values())
        {
            final Path out = Files.createDirectories(dir.resolve(variant.name()));

            final Measurement measurement = runner.run(variant, out);

            assertThat(measurement.processes()).as(variant.name())
                .isEqualTo(variant == LadderVariant.BIFROST || variant == LadderVariant.HAND_WRITTEN ? 1 : 3);
            assertThat(measurement.wallNanos()).isPositive();
            assertThat(measurement.outputBytes()).isPositive();
            for (final String rendition : List.of("240p", "360p", "audio"))
            {
                assertThat(out.resolve(rendition).resolve(TranscodeCommand.MEDIA_PLAYLIST)).as(variant.name())
                    .content().contains("#EXT-X-ENDLIST", "#EXTINF:");
            }
        }
        assertThat(dir.resolve(LadderVariant.HAND_WRITTEN.name()).resolve(BaselineCommands.HAND_WRITTEN_MASTER))
            .content().contains("RESOLUTION=426x240", "RESOLUTION=640x360", "TYPE=AUDIO");
    }

    @Test
    void shouldGiveEveryBaselineTheBitratesAndGopOfBifrostsPlan() throws Exception
    {
        final LadderPlan plan = new VariantRunner(FFMPEG, FFPROBE, source, OPTIONS).plan();
        final String gop = Integer.toString(plan.video().get(0).gopFrames());

        final List<List<String>> perRendition = BaselineCommands.perRendition(FFMPEG, source, plan);
        final List<String> handWritten = BaselineCommands.handWritten(FFMPEG, source, plan);

        assertThat(perRendition).hasSize(3);
        for (int i = 0; i < plan.video().size(); i++)
        {
            final VideoRendition rendition = plan.video().get(i);
            assertThat(String.join(" ", perRendition.get(i))).contains(
                "-b:v " + rendition.bitrateBps(), "-maxrate " + rendition.maxrateBps(), "-g " + gop,
                "-preset ultrafast", "scale=w=" + rendition.width() + ":h=" + rendition.height(),
                rendition.name() + "/index.m3u8");
            assertThat(String.join(" ", handWritten)).contains("-b:v:" + i + " " + rendition.bitrateBps(),
                "scale=" + rendition.width() + ":" + rendition.height());
        }
        assertThat(String.join(" ", perRendition.get(2))).contains("-c:a aac", "-b:a 128000", "-ar 48000",
            "audio/index.m3u8");
        assertThat(String.join(" ", handWritten)).contains("-g " + gop, "-keyint_min " + gop, "-preset ultrafast",
            "-hls_time 2", "-b:a 128000", "v:0,agroup:aud,name:240p v:1,agroup:aud,name:360p a:0,agroup:aud,name:audio");
    }

    @Test
    void shouldReportAFailedProcessWithItsExitAndStderr() throws Exception
    {
        final Path spoiled = Files.copy(source, dir.resolve("spoiled.mp4"));
        final VariantRunner runner = new VariantRunner(FFMPEG, FFPROBE, spoiled, OPTIONS);
        final VariantRunner missingFfmpeg = new VariantRunner(dir.resolve("no-such-ffmpeg"), FFPROBE, source,
            OPTIONS);
        Files.writeString(spoiled, "not a video any more");

        assertThatThrownBy(() -> missingFfmpeg.run(LadderVariant.PER_RENDITION_PARALLEL,
            Files.createDirectories(dir.resolve("missing"))))
            .isInstanceOf(TranscodeException.class).hasMessageContaining("cannot start")
            .hasMessageContaining("no-such-ffmpeg");
        assertThatThrownBy(() -> runner.run(LadderVariant.HAND_WRITTEN,
            Files.createDirectories(dir.resolve("spoiled-hand-written"))))
            .isInstanceOf(TranscodeException.class).hasMessageContaining("ffmpeg #0 exited with")
            .hasMessageContaining("spoiled.mp4");
        assertThatThrownBy(() -> runner.run(LadderVariant.BIFROST,
            Files.createDirectories(dir.resolve("spoiled-bifrost"))))
            .isInstanceOf(TranscodeException.class).hasMessageContaining("the origin refuses the source");
    }

    @Test
    void shouldPrintMediansAndRatiosToBifrost() throws Exception
    {
        final LadderPlan plan = new VariantRunner(FFMPEG, FFPROBE, source, OPTIONS).plan();
        final ComparisonReport report = new ComparisonReport();
        report.add(LadderVariant.BIFROST, new Measurement(seconds(2), seconds(4), 1, 1 << 20));
        report.add(LadderVariant.BIFROST, new Measurement(seconds(4), seconds(6), 1, 1 << 20));
        report.add(LadderVariant.BIFROST, new Measurement(seconds(3), seconds(5), 1, 1 << 20));
        report.add(LadderVariant.PER_RENDITION_SEQUENTIAL, new Measurement(seconds(9), seconds(10), 3, 1 << 20));
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        report.print(plan, ComparisonSettings.parse("--seconds", "6", "--rounds", "3"), "Machine: test.",
            new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains(
            "| Bifrost: one ffmpeg, one decode (gpu-transcoder) | 1 | 3.00 (2.00-4.00) | 5.00 (4.00-6.00) | 2.00 | " +
                "1.00 | 1.00 | 1.0 |",
            "| one ffmpeg per rendition, sequential | 3 | 9.00 (9.00-9.00) | 10.00 (10.00-10.00) | 0.67 | 3.00 | " +
                "2.00 | 1.0 |",
            "240p 426x240 500k", "audio aac 128k 48000 Hz");
    }

    private static long seconds(final long value)
    {
        return TimeUnit.SECONDS.toNanos(value);
    }
}
