package io.bifrost.perf.transcode;

import io.bifrost.origin.live.transcode.LiveScaling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveScalingComparisonTest
{
    @TempDir
    Path work;

    @Test
    void shouldDefaultToFour720pStreamsOfTenSecondsThreeRoundsOnTheCpuReference()
    {
        final LiveScalingSettings settings = LiveScalingSettings.parse();

        assertThat(settings.streams()).isEqualTo(4);
        assertThat(settings.seconds()).isEqualTo(10);
        assertThat(settings.size()).isEqualTo("1280x720");
        assertThat(settings.rounds()).isEqualTo(3);
        assertThat(settings.preset()).isEqualTo("veryfast");
        assertThat(settings.scaler()).isEqualTo(LiveScalingSettings.Scaler.CPU);
        assertThat(settings.ffmpeg()).isEqualTo(Path.of("/usr/bin/ffmpeg"));
        assertThat(settings.workDir()).isNull();
        assertThat(settings.streamSeconds()).isEqualTo(40);
    }

    @Test
    void shouldAcceptSpaceAndEqualsForms()
    {
        final LiveScalingSettings settings = LiveScalingSettings.parse("--streams", "2", "--seconds=4",
            "--size", "640x360", "--rounds=1", "--preset", "ultrafast", "--scaler=CUDA", "--ffmpeg", "/opt/ffmpeg",
            "--work-dir=/tmp/x");

        assertThat(settings.streams()).isEqualTo(2);
        assertThat(settings.seconds()).isEqualTo(4);
        assertThat(settings.width()).isEqualTo(640);
        assertThat(settings.height()).isEqualTo(360);
        assertThat(settings.rounds()).isEqualTo(1);
        assertThat(settings.preset()).isEqualTo("ultrafast");
        assertThat(settings.scaler()).isEqualTo(LiveScalingSettings.Scaler.CUDA);
        assertThat(settings.ffmpeg()).isEqualTo(Path.of("/opt/ffmpeg"));
        assertThat(settings.workDir()).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void shouldRefuseUnknownIncompleteAndInvalidArgumentsNamingTheSetting()
    {
        assertThatThrownBy(() -> LiveScalingSettings.parse("--bogus", "1"))
            .hasMessageContaining("unknown argument --bogus");
        assertThatThrownBy(() -> LiveScalingSettings.parse("--streams"))
            .hasMessageContaining("--streams needs a value");
        assertThatThrownBy(() -> LiveScalingSettings.parse("--streams", "0"))
            .hasMessageContaining("--streams must be 1..64, got 0");
        assertThatThrownBy(() -> LiveScalingSettings.parse("--streams", "four"))
            .hasMessageContaining("--streams must be a whole number, got 'four'");
        assertThatThrownBy(() -> LiveScalingSettings.parse("--seconds", "0")).hasMessageContaining("--seconds");
        assertThatThrownBy(() -> LiveScalingSettings.parse("--rounds", "101")).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> LiveScalingSettings.parse("--size", "720p"))
            .hasMessageContaining("--size must be WxH");
        assertThatThrownBy(() -> LiveScalingSettings.parse("--size", "641x360"))
            .hasMessageContaining("--size must be WxH with even sides");
        assertThatThrownBy(() -> LiveScalingSettings.parse("--scaler", "gpu"))
            .hasMessageContaining("--scaler must be cpu or cuda, got 'gpu'");
        assertThatThrownBy(() -> LiveScalingSettings.parse("--preset", "turbo")).hasMessageContaining("preset");
    }

    @Test
    void shouldAnswerHelpWithWhatIsMeasured()
    {
        assertThat(LiveScalingSettings.wantsHelp("--streams", "2", "--help")).isTrue();
        assertThat(LiveScalingSettings.wantsHelp("--streams", "2")).isFalse();
        assertThat(LiveScalingSettings.USAGE).contains("--scaler cpu|cuda").contains("NOT the GPU")
            .contains("as fast as the sink's backpressure allows");
    }

    @Test
    void shouldSwapTheOrderOfTheModesEveryRound()
    {
        assertThat(LiveScalingComparison.orderOfRound(0)).containsExactly(LiveScaling.Mode.FFMPEG,
            LiveScaling.Mode.BATCHED);
        assertThat(LiveScalingComparison.orderOfRound(1)).containsExactly(LiveScaling.Mode.BATCHED,
            LiveScaling.Mode.FFMPEG);
        assertThat(LiveScalingComparison.orderOfRound(2)).isEqualTo(LiveScalingComparison.orderOfRound(0));
    }

    @Test
    void shouldMeasureTwoStreamsInBothModesAndPrintTheTable() throws Exception
    {
        final LiveScalingSettings settings = LiveScalingSettings.parse("--streams", "2", "--seconds", "2",
            "--size", "320x180", "--rounds", "1", "--preset", "ultrafast", "--work-dir", work.toString());
        final ByteArrayOutputStream table = new ByteArrayOutputStream();
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();

        final LiveScalingReport report = LiveScalingComparison.run(settings,
            new PrintStream(table, true, StandardCharsets.UTF_8),
            new PrintStream(progress, true, StandardCharsets.UTF_8));

        for (final LiveScaling.Mode mode : List.of(LiveScaling.Mode.FFMPEG, LiveScaling.Mode.BATCHED))
        {
            assertThat(report.runs(mode)).as(mode.name()).singleElement().satisfies(run ->
            {
                assertThat(run.wallNanos()).isPositive();
                assertThat(run.childCpuNanos()).as("ffmpeg CPU").isPositive();
                assertThat(run.selfCpuNanos()).as("JVM CPU").isPositive();
                assertThat(run.outputBytes()).isPositive();
            });
        }
        final LiveScalingMeasurement batched = report.runs(LiveScaling.Mode.BATCHED).get(0);
        assertThat(batched.framesPerLaunch()).isGreaterThanOrEqualTo(1.0);
        assertThat(batched.maxFramesPerLaunch()).isGreaterThanOrEqualTo(batched.framesPerLaunch());
        // 2 streams x 2 s x 30 fps frames, launched one or more at a time
        assertThat(batched.launches()).isBetween(1L, 2L * 2 * 30);
        assertThat(batched.launchMeanNanos()).isPositive();
        final String printed = table.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("| ffmpeg (one process per stream) |")
            .contains("| batched (Java CPU reference) |").contains("batched / ffmpeg (medians): wall ")
            .contains("Ladder: 240p 320x180, audio").contains("Machine: ");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("round 1 ffmpeg").contains("round 1 batched");
        try (var left = Files.list(work))
        {
            assertThat(left).as("only the source is left in the work folder").hasSize(1);
        }
    }
}
