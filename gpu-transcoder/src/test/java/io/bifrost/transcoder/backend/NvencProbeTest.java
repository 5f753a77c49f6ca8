package io.bifrost.transcoder.backend;

import io.bifrost.transcoder.TestMedia;
import io.bifrost.transcoder.cuda.CudaDeviceProbe;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class NvencProbeTest
{
    @Test
    void shouldReportNoNvencWithFfmpegsReasonWhenThereIsNoCudaDevice()
    {
        assumeFalse(CudaDeviceProbe.device().present(), "a CUDA device exists here, NVENC may work");

        final NvencSupport support = new NvencProbe(TestMedia.FFMPEG, Duration.ofSeconds(30)).probe();

        assertThat(support.available()).isFalse();
        assertThat(support.reason()).startsWith("no NVENC: h264_nvenc test encode failed: ffmpeg");
    }

    @Test
    void shouldReportNoNvencWhenFfmpegCannotStart()
    {
        final NvencSupport support = new NvencProbe(Path.of("/nonexistent/ffmpeg"), Duration.ofSeconds(5)).probe();

        assertThat(support.available()).isFalse();
        assertThat(support.reason()).contains("could not be started");
    }
}
