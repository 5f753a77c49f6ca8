package io.bifrost.origin;

import io.bifrost.transcoder.TranscodeWorker.Backend;
import io.bifrost.transcoder.backend.BackendSelection;
import io.bifrost.transcoder.cuda.CudaDeviceProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The origin chooses its transcode backend at start-up ({@code origin.transcode-backend}) from what the machine has,
 * reports it, and refuses to start with a GPU backend the machine lacks.
 */
class OriginTranscodeBackendTest
{
    @TempDir
    Path temp;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private RunningOrigin origin;

    @AfterEach
    void stop()
    {
        if (origin != null)
        {
            origin.close();
        }
    }

    private OriginNode.Context context(final Backend backend)
    {
        return new OriginNode.Context().bindAddress("127.0.0.1").port(0).dataDir(temp.resolve("data")).ioThreads(1)
            .blockingThreads(2).ffmpeg(TestClips.FFMPEG).meterRegistry(meters).transcodeBackend(backend);
    }

    @Test
    void shouldProbeTheMachineInAutoModeAndReportTheBackendItChose()
    {
        origin = OriginNode.launch(context(Backend.AUTO));

        final BackendSelection chosen = origin.transcodeBackend();
        assertThat(chosen.backend()).isNotEqualTo(Backend.AUTO);
        if (!CudaDeviceProbe.device().present())
        {
            assertThat(chosen.backend()).isEqualTo(Backend.CPU);
            assertThat(chosen.reason()).startsWith("no CUDA device: ").endsWith("; using the CPU (libx264)");
        }
        assertThat(meters.get(BackendSelection.METRIC)
            .tag("backend", chosen.backend().name().toLowerCase(Locale.ROOT)).gauge().value()).isEqualTo(1.0);
    }

    @Test
    void shouldUseTheConfiguredCpuBackendWithoutProbing()
    {
        origin = OriginNode.launch(context(Backend.CPU));

        assertThat(origin.transcodeBackend().backend()).isEqualTo(Backend.CPU);
        assertThat(origin.transcodeBackend().cuda().reason()).contains("not probed");
        assertThat(meters.get(BackendSelection.METRIC).tag("backend", "cpu").tag("cuda", "none").gauge().value())
            .isEqualTo(1.0);
    }

    @Test
    void shouldRefuseToStartWithJcudaOnAMachineWithoutCuda()
    {
        assumeFalse(CudaDeviceProbe.device().present(), "this machine has a CUDA device");

        assertThatThrownBy(() -> OriginNode.launch(context(Backend.JCUDA)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("the configured transcode backend is jcuda but no CUDA device: ");
        // the refused start left nothing open: the same data directory starts again
        origin = OriginNode.launch(context(Backend.CPU));
        assertThat(origin.transcodeBackend().backend()).isEqualTo(Backend.CPU);
    }
}
