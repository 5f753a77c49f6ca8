package io.bifrost.transcoder.backend;

import io.bifrost.transcoder.TranscodeWorker.Backend;
import io.bifrost.transcoder.cuda.CudaDevice;
import io.bifrost.transcoder.encode.LadderEncoder;
import io.bifrost.transcoder.encode.RawFrameLadderEncoder;
import io.bifrost.transcoder.scale.FrameSize;
import io.bifrost.transcoder.scale.PixelLayout;
import io.bifrost.transcoder.scale.ScaleJobTable;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendSelectorTest
{
    private static final CudaDevice NONE = CudaDevice.absent("libcuda.so.1 missing");
    private static final CudaDevice H200 = new CudaDevice(true, "NVIDIA H200", 9, 0, 140L << 30, 13000,
        "CUDA device 0: NVIDIA H200 (sm_90)");
    private static final NvencSupport NO_NVENC = new NvencSupport(false, "no NVENC: h264_nvenc test encode failed");
    private static final NvencSupport NVENC = new NvencSupport(true, "h264_nvenc encoded a test frame");

    private final AtomicInteger nvencProbes = new AtomicInteger();

    @Test
    void shouldUseTheCpuAndSayNoCudaDeviceWhenThereIsNone()
    {
        final BackendSelection selection = BackendSelector.select(Backend.AUTO, () -> NONE, nvenc(NVENC));

        assertThat(selection.backend()).isEqualTo(Backend.CPU);
        assertThat(selection.reason()).startsWith("no CUDA device: libcuda.so.1 missing");
        assertThat(nvencProbes).as("NVENC needs CUDA, so it is not tried").hasValue(0);
    }

    @Test
    void shouldUseJcudaWhenTheDeviceHasNoNvencLikeAnH200()
    {
        final BackendSelection selection = BackendSelector.select(Backend.AUTO, () -> H200, nvenc(NO_NVENC));

        assertThat(selection.backend()).isEqualTo(Backend.JCUDA);
        assertThat(selection.reason()).contains("NVIDIA H200").contains("no NVENC");
        assertThat(nvencProbes).hasValue(1);
    }

    @Test
    void shouldUseNvencWhenTheTrialEncodeWorks()
    {
        assertThat(BackendSelector.select(Backend.AUTO, () -> H200, nvenc(NVENC)).backend())
            .isEqualTo(Backend.NVENC);
    }

    @Test
    void shouldNotProbeAnythingWhenCpuIsConfigured()
    {
        final BackendSelection selection = BackendSelector.select(Backend.CPU,
            () -> { throw new AssertionError("CUDA probed"); }, nvenc(NVENC));

        assertThat(selection.backend()).isEqualTo(Backend.CPU);
        assertThat(nvencProbes).hasValue(0);
    }

    @Test
    void shouldFailStartUpWhenAnExplicitGpuBackendIsMissing()
    {
        assertThatThrownBy(() -> BackendSelector.select(Backend.JCUDA, () -> NONE, nvenc(NVENC)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("the configured transcode backend is jcuda but no CUDA device: libcuda.so.1 missing");
        assertThatThrownBy(() -> BackendSelector.select(Backend.NVENC, () -> H200, nvenc(NO_NVENC)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("the configured transcode backend is nvenc but no NVENC");
    }

    @Test
    void shouldExposeTheChoiceAsATaggedGauge()
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();

        BackendSelector.select(Backend.AUTO, () -> H200, nvenc(NO_NVENC)).register(registry);

        final Gauge gauge = registry.get(BackendSelection.METRIC).tag("backend", "jcuda")
            .tag("cuda", "NVIDIA H200").tag("nvenc", "false").gauge();
        assertThat(gauge.value()).isEqualTo(1.0);
    }

    @Test
    void shouldGiveEachBackendItsLadderEncoderWithoutTouchingTheDevice()
    {
        final Path ffmpeg = Path.of("/usr/bin/ffmpeg");

        assertThat(BackendSelector.select(Backend.AUTO, () -> NONE, nvenc(NO_NVENC)).ladderEncoding(ffmpeg))
            .isInstanceOf(LadderEncoder.class);
        assertThat(BackendSelector.select(Backend.AUTO, () -> H200, nvenc(NO_NVENC)).ladderEncoding(ffmpeg))
            .isInstanceOf(RawFrameLadderEncoder.class);
        assertThat(BackendSelector.select(Backend.AUTO, () -> H200, nvenc(NVENC)).ladderEncoding(ffmpeg))
            .isInstanceOf(LadderEncoder.class);
    }

    @Test
    void shouldBatchAsManyFramesAsFitThePinnedBudgetPerSlot()
    {
        final ScaleJobTable hd = new ScaleJobTable(new FrameSize(1920, 1080), PixelLayout.I420,
            List.of(new FrameSize(1920, 1080), new FrameSize(1280, 720), new FrameSize(640, 360)), PixelLayout.I420);
        final ScaleJobTable uhd = new ScaleJobTable(new FrameSize(3840, 2160), PixelLayout.I420,
            List.of(new FrameSize(3840, 2160), new FrameSize(2560, 1440), new FrameSize(1920, 1080),
                new FrameSize(1280, 720), new FrameSize(854, 480), new FrameSize(640, 360), new FrameSize(426, 240)),
            PixelLayout.I420);

        assertThat(BackendSelection.batchFrames(hd)).isEqualTo(BackendSelection.JCUDA_BATCH_FRAMES);
        assertThat(BackendSelection.batchFrames(uhd)).isEqualTo(3);
    }

    private Supplier<NvencSupport> nvenc(final NvencSupport result)
    {
        return () ->
        {
            nvencProbes.incrementAndGet();
            return result;
        };
    }
}
