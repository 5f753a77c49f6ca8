package io.bifrost.transcoder.cuda;

import io.bifrost.transcoder.scale.FrameSize;
import io.bifrost.transcoder.scale.PixelLayout;
import io.bifrost.transcoder.scale.ScaleJobTable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class CudaLadderScalerWithoutDeviceTest
{
    @Test
    void shouldRefuseToStartWithTheProbesReasonWhenThereIsNoDevice()
    {
        final CudaDevice device = CudaDeviceProbe.device();
        assumeFalse(device.present(), "a CUDA device exists here: " + device.reason());
        final ScaleJobTable table = new ScaleJobTable(new FrameSize(640, 360), PixelLayout.I420,
            List.of(new FrameSize(320, 180)), PixelLayout.I420);

        assertThatThrownBy(() -> new CudaLadderScaler(table, 1, 1))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage(device.reason());
    }
}
