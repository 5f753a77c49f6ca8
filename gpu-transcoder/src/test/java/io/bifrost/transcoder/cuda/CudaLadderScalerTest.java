package io.bifrost.transcoder.cuda;

import io.bifrost.transcoder.scale.AreaScaler;
import io.bifrost.transcoder.scale.FrameSize;
import io.bifrost.transcoder.scale.PixelLayout;
import io.bifrost.transcoder.scale.ScaleJobTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The PTX kernel against the Java reference, byte for byte. Needs a CUDA device: everywhere else every test here is
 * skipped with the probe's reason ({@code no CUDA device: ...}); {@link CudaLadderScalerWithoutDeviceTest} covers
 * that case.
 */
class CudaLadderScalerTest
{
    private static final List<FrameSize> LADDER_1080 = List.of(new FrameSize(1920, 1080), new FrameSize(1280, 720),
        new FrameSize(854, 480), new FrameSize(640, 360), new FrameSize(426, 240));

    /** Per test (not {@code @BeforeAll}), so that each one is reported as skipped with the reason. */
    @BeforeEach
    void requireDevice()
    {
        final CudaDevice device = CudaDeviceProbe.device();
        assumeTrue(device.present(), device.reason());
    }

    @ParameterizedTest
    @CsvSource({"1920,1080,I420,I420,3", "1920,1080,NV12,NV12,2", "1920,1080,I420,NV12,1", "1921,1079,I420,I420,2"})
    void shouldProduceTheReferencePixelsForEveryRungOfABatch(final int width, final int height,
        final PixelLayout in, final PixelLayout out, final int frames)
    {
        final ScaleJobTable table = new ScaleJobTable(new FrameSize(width, height), in, LADDER_1080, out);
        final byte[] src = noise(frames * table.sourceFrameBytes(), width);
        final byte[] expected = new byte[(int)(frames * table.outputFrameBytes())];
        AreaScaler.scale(table, src, frames, expected);
        final byte[] actual = new byte[expected.length];

        try (CudaLadderScaler scaler = new CudaLadderScaler(table, frames, 1))
        {
            scaler.scale(src, frames, actual);
        }

        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void shouldKeepTwoSlotsInFlightWithoutMixingTheirFrames()
    {
        final ScaleJobTable table = new ScaleJobTable(new FrameSize(1280, 720), PixelLayout.NV12,
            LADDER_1080.subList(2, 5), PixelLayout.NV12);
        final byte[] first = noise(4 * table.sourceFrameBytes(), 1);
        final byte[] second = noise(4 * table.sourceFrameBytes(), 2);
        try (CudaLadderScaler scaler = new CudaLadderScaler(table, 4, 2))
        {
            scaler.input(0).put(first);
            scaler.submit(0, 4);
            scaler.input(1).put(second);
            scaler.submit(1, 4);

            assertThat(scaler.await(1)).isEqualTo(4);
            assertThat(scaler.await(0)).isEqualTo(4);
            assertThat(bytes(scaler.output(0))).isEqualTo(reference(table, first, 4));
            assertThat(bytes(scaler.output(1))).isEqualTo(reference(table, second, 4));
        }
    }

    private static byte[] reference(final ScaleJobTable table, final byte[] src, final int frames)
    {
        final byte[] out = new byte[(int)(frames * table.outputFrameBytes())];
        AreaScaler.scale(table, src, frames, out);
        return out;
    }

    private static byte[] bytes(final ByteBuffer buffer)
    {
        final byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static byte[] noise(final long length, final long seed)
    {
        final byte[] out = new byte[(int)length];
        new Random(seed).nextBytes(out);
        return out;
    }
}
