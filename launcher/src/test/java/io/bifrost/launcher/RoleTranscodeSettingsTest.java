package io.bifrost.launcher;

import io.bifrost.launcher.config.Config;
import io.bifrost.origin.live.transcode.LiveScaling;
import io.bifrost.transcoder.TranscodeWorker;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The origin's transcode settings as the launcher reads them: {@code origin.transcode-backend} and
 * {@code origin.live-scaling}, their defaults, and a wrong value refused with the key's name and the accepted values.
 */
class RoleTranscodeSettingsTest
{
    @Test
    void shouldProbeTheMachineAndScaleLiveInFfmpegByDefault()
    {
        final Config config = Config.load(Map.of(), Map.of());

        assertThat(Role.originTranscodeBackend(config)).isEqualTo(TranscodeWorker.Backend.AUTO);
        assertThat(Role.originLiveScaling(config)).isEqualTo(LiveScaling.Mode.AUTO);
    }

    @Test
    void shouldReadTheConfiguredValues()
    {
        final Config config = Config.load(Map.of(), Map.of("origin.transcode-backend", List.of("jcuda"),
            "origin.live-scaling", List.of("batched")));

        assertThat(Role.originTranscodeBackend(config)).isEqualTo(TranscodeWorker.Backend.JCUDA);
        assertThat(Role.originLiveScaling(config)).isEqualTo(LiveScaling.Mode.BATCHED);
    }

    @Test
    void shouldNameTheKeyAndTheChoicesForAWrongValue()
    {
        final Config config = Config.load(Map.of(), Map.of("origin.transcode-backend", List.of("gpu"),
            "origin.live-scaling", List.of("gpu")));

        assertThatThrownBy(() -> Role.originTranscodeBackend(config)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("origin.transcode-backend must be one of auto, cpu, nvenc, jcuda; got 'gpu'");
        assertThatThrownBy(() -> Role.originLiveScaling(config)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("origin.live-scaling must be one of auto, ffmpeg, batched; got 'gpu'");
    }
}
