package io.bifrost.transcoder.cuda;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CudaDeviceProbeTest
{
    @Test
    void shouldSayNoCudaDeviceAndWhyWhenThereIsNone()
    {
        final CudaDevice device = CudaDeviceProbe.device();
        assumeFalse(device.present(), "a CUDA device exists here: " + device.reason());

        assertThat(device.reason()).startsWith(CudaDevice.NO_DEVICE).hasSizeGreaterThan(CudaDevice.NO_DEVICE.length());
        assertThat(device.name()).isEmpty();
        assertThat(CudaDeviceProbe.device()).as("the LinkageError is met once, the answer kept").isSameAs(device);
    }

    @Test
    void shouldDescribeDeviceZeroWhenThereIsOne()
    {
        final CudaDevice device = CudaDeviceProbe.device();
        assumeTrue(device.present(), device.reason());

        assertThat(device.name()).isNotBlank();
        assertThat(device.computeMajor()).isGreaterThanOrEqualTo(7);
        assertThat(device.totalMemoryBytes()).isPositive();
        assertThat(device.reason()).startsWith("CUDA device 0: " + device.name());
    }
}
