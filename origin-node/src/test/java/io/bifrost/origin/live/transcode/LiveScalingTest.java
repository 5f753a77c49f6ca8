package io.bifrost.origin.live.transcode;

import io.bifrost.origin.TestClips;
import io.bifrost.transcoder.TranscodeWorker.Backend;
import io.bifrost.transcoder.backend.BackendSelection;
import io.bifrost.transcoder.backend.BackendSelector;
import io.bifrost.transcoder.backend.NvencSupport;
import io.bifrost.transcoder.cuda.CudaDevice;
import io.bifrost.transcoder.scale.FrameSize;
import io.bifrost.transcoder.scale.PixelLayout;
import io.bifrost.transcoder.scale.ScaleJobTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which live scaling {@code origin.live-scaling} gives for each transcode backend, without starting a stream (the
 * batched path's streams are in {@link BatchedTranscodeIngestTest}).
 */
class LiveScalingTest
{
    private static final BackendSelection CPU = BackendSelector.select(Backend.CPU, TestClips.FFMPEG);
    /** What an H100/H200 gives: a CUDA device without NVENC (the device itself is never touched here). */
    private static final BackendSelection JCUDA = new BackendSelection(Backend.JCUDA, "test: a GPU without NVENC",
        new CudaDevice(true, "NVIDIA H200", 9, 0, 140L << 30, 13_000, "CUDA device 0: NVIDIA H200"),
        new NvencSupport(false, "no NVENC"));

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void shouldKeepOneFfmpegPerStreamInAutoModeOnTheCpu()
    {
        try (LiveScaling scaling = LiveScaling.open(LiveScaling.Mode.AUTO, CPU, meters))
        {
            assertThat(scaling.batched()).isFalse();
            assertThat(scaling.batcher()).isNull();
            assertThat(scaling.description()).isEqualTo("ffmpeg: one process per stream scales its own ladder (auto)");
            assertThat(meters.get(LiveScaling.METRIC).tag("mode", "ffmpeg").tag("scaler", "ffmpeg").gauge().value())
                .isEqualTo(1.0);
        }
    }

    @Test
    void shouldKeepOneFfmpegPerStreamInAutoModeOnAGpuWithoutNvencAndSayHowToOptIn()
    {
        // measured: with libx264 encoding, GPU scaling saves less CPU than the batched layout costs
        try (LiveScaling scaling = LiveScaling.open(LiveScaling.Mode.AUTO, JCUDA, meters))
        {
            assertThat(scaling.batched()).isFalse();
            assertThat(scaling.description()).contains("there is a CUDA device")
                .contains("origin.live-scaling=batched opts in");
        }
    }

    @Test
    void shouldBatchOnTheGpuWhenBatchedIsConfiguredOnACudaMachine()
    {
        try (LiveScaling scaling = LiveScaling.open(LiveScaling.Mode.BATCHED, JCUDA, meters))
        {
            assertThat(scaling.batched()).isTrue();
            assertThat(scaling.description()).contains("batched").contains("on the GPU (NVIDIA H200)");
            assertThat(meters.get(LiveScaling.METRIC).tag("mode", "batched").tag("scaler", "cuda").gauge().value())
                .isEqualTo(1.0);
            assertThat(scaling.batcher().groupCount()).as("no scaler (no CUDA call) before a stream joins").isZero();
        }
    }

    @Test
    void shouldFollowAnExplicitModeWhateverTheBackend()
    {
        try (LiveScaling ffmpeg = LiveScaling.open(LiveScaling.Mode.FFMPEG, JCUDA, meters))
        {
            assertThat(ffmpeg.batched()).isFalse();
            assertThat(ffmpeg.description()).contains("configured");
        }
        final LiveScaling batched = LiveScaling.open(LiveScaling.Mode.BATCHED, CPU, meters);
        assertThat(batched.batched()).isTrue();
        assertThat(batched.description()).contains("on the CPU");
        batched.close();
        final ScaleJobTable table = new ScaleJobTable(new FrameSize(64, 48), PixelLayout.I420,
            List.of(new FrameSize(32, 24)), PixelLayout.I420);
        assertThatThrownBy(() -> batched.batcher().register(1, table, (pts, rungs) -> { }))
            .as("closing the scaling closed its batcher").isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("closed");
    }

    @Test
    void shouldNameTheSettingAndTheChoicesForAnUnknownMode()
    {
        assertThat(LiveScaling.Mode.parse(" Batched ")).isEqualTo(LiveScaling.Mode.BATCHED);
        assertThatThrownBy(() -> LiveScaling.Mode.parse("gpu")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("origin.live-scaling must be one of auto, ffmpeg, batched; got 'gpu'");
    }
}
