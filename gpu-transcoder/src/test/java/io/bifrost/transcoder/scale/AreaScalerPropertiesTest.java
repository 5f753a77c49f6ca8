package io.bifrost.transcoder.scale;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AreaScalerPropertiesTest
{
    @Property(tries = 200)
    void shouldKeepAConstantImageExactlyConstant(
        @ForAll @IntRange(min = 2, max = 200) final int sw, @ForAll @IntRange(min = 2, max = 200) final int sh,
        @ForAll @IntRange(min = 1, max = 100) final int halfW, @ForAll @IntRange(min = 1, max = 100) final int halfH,
        @ForAll @IntRange(min = 0, max = 255) final int y, @ForAll @IntRange(min = 0, max = 255) final int u,
        @ForAll @IntRange(min = 0, max = 255) final int v, @ForAll final PixelLayout in, @ForAll final PixelLayout out)
    {
        final FrameSize source = new FrameSize(sw, sh);
        final FrameSize target = new FrameSize(2 * halfW, 2 * halfH);
        final ScaleJobTable table = new ScaleJobTable(source, in, List.of(target), out);
        final byte[] src = new byte[(int)table.sourceFrameBytes()];
        fill(src, in, source, y, u, v);
        final byte[] dst = new byte[(int)table.outputFrameBytes()];

        AreaScaler.scale(table, src, 1, dst);

        final byte[] expected = new byte[dst.length];
        fill(expected, out, target, y, u, v);
        assertThat(dst).isEqualTo(expected);
    }

    @Property(tries = 100)
    void shouldStayWithinTheRangeOfTheSourceAndWriteEvenSizedRungs(
        @ForAll @IntRange(min = 2, max = 160) final int sw, @ForAll @IntRange(min = 2, max = 160) final int sh,
        @ForAll @IntRange(min = 1, max = 80) final int halfW, @ForAll @IntRange(min = 1, max = 80) final int halfH,
        @ForAll final long seed)
    {
        final FrameSize source = new FrameSize(sw, sh);
        final List<FrameSize> rungs = List.of(new FrameSize(2 * halfW, 2 * halfH), new FrameSize(2, 2));
        final ScaleJobTable table = new ScaleJobTable(source, PixelLayout.I420, rungs, PixelLayout.I420);
        final byte[] src = new byte[(int)table.sourceFrameBytes()];
        final Random random = new Random(seed);
        final int low = random.nextInt(200);
        for (int i = 0; i < src.length; i++)
        {
            src[i] = (byte)(low + random.nextInt(56));
        }
        final byte[] dst = new byte[(int)table.outputFrameBytes()];

        AreaScaler.scale(table, src, 1, dst);

        assertThat(table.outputFrameBytes()).isEqualTo(3L * halfW * halfH * 2 + 6);
        for (final byte b : dst)
        {
            assertThat(b & 0xFF).isBetween(low, low + 55);
        }
    }

    private static void fill(final byte[] frame, final PixelLayout layout, final FrameSize size, final int y,
        final int u, final int v)
    {
        final int luma = size.width() * size.height();
        java.util.Arrays.fill(frame, 0, luma, (byte)y);
        for (int i = luma; i < frame.length; i++)
        {
            final boolean isU = layout == PixelLayout.I420 ? i < luma + (frame.length - luma) / 2 : (i - luma) % 2 == 0;
            frame[i] = (byte)(isU ? u : v);
        }
    }
}
