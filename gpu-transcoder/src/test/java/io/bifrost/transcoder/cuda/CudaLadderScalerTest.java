package io.bifrost.transcoder.cuda;

import io.bifrost.transcoder.probe.FrameRate;
import io.bifrost.transcoder.scale.AreaLadderScaler;
import io.bifrost.transcoder.scale.AreaScaler;
import io.bifrost.transcoder.scale.FrameSize;
import io.bifrost.transcoder.scale.LadderScaler;
import io.bifrost.transcoder.scale.PixelLayout;
import io.bifrost.transcoder.scale.ScaleJobTable;
import io.bifrost.transcoder.thumbnail.FrameStills;
import io.bifrost.transcoder.thumbnail.ThumbnailOptions;
import io.bifrost.transcoder.thumbnail.ThumbnailPlan;
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

    @Test
    void shouldDrawTheSpriteTilesAndPosterOfTheReferenceFromFramesOfItsBatches()
    {
        // a 4:3 source, so tiles are letterboxed at odd places of the sheet; 4 tiles over two batches of two slots
        final FrameSize source = new FrameSize(1440, 1080);
        final FrameStills stills = FrameStills.of(ThumbnailPlan.of(8.0, ThumbnailOptions.DEFAULTS), source,
            FrameRate.of(25));
        final ScaleJobTable table = new ScaleJobTable(source, PixelLayout.I420, LADDER_1080.subList(1, 5),
            PixelLayout.I420);
        final byte[][] batches = {noise(2 * table.sourceFrameBytes(), 3), noise(2 * table.sourceFrameBytes(), 4)};

        final byte[][] gpu = drawStills(new CudaLadderScaler(table, 2, 2), stills, batches);
        final byte[][] cpu = drawStills(new AreaLadderScaler(table, 2, 2), stills, batches);

        assertThat(gpu[0]).isEqualTo(cpu[0]).isNotEqualTo(stills.spriteBackground());
        assertThat(gpu[1]).isEqualTo(cpu[1]);
    }

    /** Tile k from frame k (batch k / 2, frame k % 2), the poster from frame 3; as FramePump does it. */
    private static byte[][] drawStills(final LadderScaler scaler, final FrameStills stills, final byte[][] batches)
    {
        try (scaler)
        {
            final int sprite = scaler.addCanvas(stills.tilePieces(), stills.spriteBackground());
            final int poster = scaler.addCanvas(stills.posterPieces(), stills.posterBackground());
            for (int b = 0; b < batches.length; b++)
            {
                scaler.input(b).put(batches[b]);
                scaler.submit(b, 2);
                scaler.draw(b, 0, sprite, 2 * b);
                scaler.draw(b, 1, sprite, 2 * b + 1);
            }
            scaler.draw(1, 1, poster, 0);
            scaler.await(0);
            scaler.await(1);
            return new byte[][] {scaler.canvas(sprite), scaler.canvas(poster)};
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
