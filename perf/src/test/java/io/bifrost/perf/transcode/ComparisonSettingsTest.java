package io.bifrost.perf.transcode;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComparisonSettingsTest
{
    @Test
    void shouldDefaultToAMinuteOfSourceThreeRoundsAndTheOriginsPreset()
    {
        final ComparisonSettings settings = ComparisonSettings.parse();

        assertThat(settings.seconds()).isEqualTo(60);
        assertThat(settings.rounds()).isEqualTo(3);
        assertThat(settings.preset()).isEqualTo("veryfast");
        assertThat(settings.segmentSeconds()).isEqualTo(4);
        assertThat(settings.workDir()).isNull();
    }

    @Test
    void shouldAcceptSpaceAndEqualsForms()
    {
        final ComparisonSettings settings = ComparisonSettings.parse("--seconds", "4", "--rounds=1",
            "--preset", "ultrafast", "--segment-seconds=2", "--work-dir", "/tmp/x", "--ffmpeg=/opt/ffmpeg");

        assertThat(settings.seconds()).isEqualTo(4);
        assertThat(settings.rounds()).isEqualTo(1);
        assertThat(settings.ladderOptions().x264Preset()).isEqualTo("ultrafast");
        assertThat(settings.ladderOptions().segmentSeconds()).isEqualTo(2);
        assertThat(settings.workDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(settings.ffmpeg()).isEqualTo(Path.of("/opt/ffmpeg"));
    }

    @Test
    void shouldRefuseUnknownIncompleteAndInvalidArguments()
    {
        assertThatThrownBy(() -> ComparisonSettings.parse("--bogus", "1"))
            .hasMessageContaining("unknown argument --bogus");
        assertThatThrownBy(() -> ComparisonSettings.parse("--rounds")).hasMessageContaining("--rounds needs a value");
        assertThatThrownBy(() -> ComparisonSettings.parse("--rounds", "many"))
            .hasMessageContaining("--rounds must be a whole number");
        assertThatThrownBy(() -> ComparisonSettings.parse("--seconds", "0")).hasMessageContaining("--seconds");
        assertThatThrownBy(() -> ComparisonSettings.parse("--preset", "turbo"))
            .hasMessageContaining("transcode.preset");
        assertThatThrownBy(() -> ComparisonSettings.parse("--segment-seconds", "9"))
            .hasMessageContaining("segment-seconds");
    }

    @Test
    void shouldRotateTheVariantOrderEveryRound()
    {
        assertThat(TranscodeLadderComparison.orderOfRound(0)).containsExactly(LadderVariant.BIFROST,
            LadderVariant.PER_RENDITION_SEQUENTIAL, LadderVariant.PER_RENDITION_PARALLEL, LadderVariant.HAND_WRITTEN);
        assertThat(TranscodeLadderComparison.orderOfRound(1)).containsExactly(
            LadderVariant.PER_RENDITION_SEQUENTIAL, LadderVariant.PER_RENDITION_PARALLEL, LadderVariant.HAND_WRITTEN,
            LadderVariant.BIFROST);
        assertThat(TranscodeLadderComparison.orderOfRound(4)).isEqualTo(TranscodeLadderComparison.orderOfRound(0));
    }
}
