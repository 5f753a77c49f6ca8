package io.bifrost.transcoder.scale;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AreaScalerTest
{
    @Test
    void shouldAverageEachTwoByTwoBlockRoundingHalfUpWhenHalving()
    {
        final FrameSize source = new FrameSize(4, 2);
        final ScaleJobTable table = new ScaleJobTable(source, PixelLayout.I420, List.of(new FrameSize(2, 2)),
            PixelLayout.I420);
        // 4x2 to 2x2: columns halve, rows stay. Y row 0: (1+2)/2 = 1.5 -> 2, (0+1)/2 = 0.5 -> 1;
        // row 1: (10+20)/2 = 15, (255+254)/2 = 254.5 -> 255. Chroma 2x1 -> 1x1: (8+9)/2 -> 9, (100+100)/2 = 100.
        final byte[] src = bytes(1, 2, 0, 1, 10, 20, 255, 254, 8, 9, 100, 100);
        final byte[] dst = new byte[(int)table.outputFrameBytes()];

        AreaScaler.scale(table, src, 1, dst);

        assertThat(dst).containsExactly(bytes(2, 1, 15, 255, 9, 100));
    }

    @Test
    void shouldWeighPartialOverlapsWhenRatioIsThreeToTwo()
    {
        // 6x2 -> 4x2: g = 2, M = 3, N = 2: out 0 = (2 a + b) / 3, out 1 = (b + 2 c) / 3, per pair of columns.
        final ScaleJobTable table = new ScaleJobTable(new FrameSize(6, 2), PixelLayout.I420,
            List.of(new FrameSize(4, 2)), PixelLayout.I420);
        final byte[] src = new byte[(int)table.sourceFrameBytes()];
        System.arraycopy(bytes(0, 30, 90, 3, 6, 9, 0, 30, 90, 3, 6, 9), 0, src, 0, 12);
        final byte[] dst = new byte[(int)table.outputFrameBytes()];

        AreaScaler.scale(table, src, 1, dst);

        // (0 + 0 + 30) / 3 = 10, (30 + 180) / 3 = 70, (6 + 6) / 3 = 4, (6 + 18) / 3 = 8
        assertThat(java.util.Arrays.copyOf(dst, 8)).containsExactly(bytes(10, 70, 4, 8, 10, 70, 4, 8));
    }

    @Test
    void shouldInterleaveChromaWhenWritingNv12FromI420()
    {
        final FrameSize size = new FrameSize(8, 4);
        final ScaleJobTable table = new ScaleJobTable(size, PixelLayout.I420, List.of(new FrameSize(4, 2)),
            PixelLayout.NV12);
        final byte[] src = new byte[(int)table.sourceFrameBytes()];
        java.util.Arrays.fill(src, 0, 32, (byte)16);
        java.util.Arrays.fill(src, 32, 40, (byte)100);
        java.util.Arrays.fill(src, 40, 48, (byte)200);
        final byte[] dst = new byte[(int)table.outputFrameBytes()];

        AreaScaler.scale(table, src, 1, dst);

        assertThat(dst).containsExactly(bytes(16, 16, 16, 16, 16, 16, 16, 16, 100, 200, 100, 200));
    }

    @Test
    void shouldScaleEveryFrameOfABatchIntoEveryRung() throws Exception
    {
        final FrameSize source = new FrameSize(320, 180);
        final List<FrameSize> rungs = List.of(new FrameSize(160, 90), new FrameSize(96, 54));
        final ScaleJobTable table = new ScaleJobTable(source, PixelLayout.NV12, rungs, PixelLayout.I420);
        final byte[] batch = RawFrames.testPattern(source, PixelLayout.NV12, 3);
        final byte[] all = new byte[(int)(3 * table.outputFrameBytes())];

        AreaScaler.scale(table, batch, 3, all);

        final int frameBytes = (int)table.sourceFrameBytes();
        for (int f = 0; f < 3; f++)
        {
            final byte[] one = java.util.Arrays.copyOfRange(batch, f * frameBytes, (f + 1) * frameBytes);
            final byte[] alone = new byte[(int)table.outputFrameBytes()];
            AreaScaler.scale(table, one, 1, alone);
            assertThat(java.util.Arrays.copyOfRange(all, f * alone.length, (f + 1) * alone.length))
                .as("frame %d", f).isEqualTo(alone);
        }
        assertThat(java.util.Arrays.copyOfRange(all, 0, all.length / 3))
            .isNotEqualTo(java.util.Arrays.copyOfRange(all, all.length / 3, 2 * all.length / 3));
    }

    @Test
    void shouldRefuseOddOutputSizesAndShortBuffers()
    {
        final FrameSize source = new FrameSize(64, 64);
        assertThatThrownBy(() -> new ScaleJobTable(source, PixelLayout.I420, List.of(new FrameSize(31, 32)),
            PixelLayout.I420)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("even");
        final ScaleJobTable table = new ScaleJobTable(source, PixelLayout.I420, List.of(new FrameSize(32, 32)),
            PixelLayout.I420);
        assertThatThrownBy(() -> AreaScaler.scale(table, new byte[10], 1, new byte[(int)table.outputFrameBytes()]))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too small");
    }

    private static byte[] bytes(final int... values)
    {
        final byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            out[i] = (byte)values[i];
        }
        return out;
    }
}
