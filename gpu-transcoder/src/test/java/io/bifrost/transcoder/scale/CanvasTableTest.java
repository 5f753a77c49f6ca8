package io.bifrost.transcoder.scale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Canvas tables ({@link ScaleJobTable#onCanvas}: sprite tiles, the poster) and canvas draws of {@link
 * AreaLadderScaler}: a piece drawn at a place is exactly the ladder output of that size, copied there, and nothing
 * else of the canvas changes.
 */
class CanvasTableTest
{
    private static final FrameSize SOURCE = new FrameSize(64, 48);
    private static final FrameSize CANVAS = new FrameSize(40, 24);

    @ParameterizedTest
    @EnumSource(PixelLayout.class)
    void shouldDrawExactlyTheLadderOutputAtThePlacementAndNothingElseWhenDrawingATile(final PixelLayout layout)
    {
        final FrameSize tile = new FrameSize(16, 12);
        final Placement at = new Placement(18, 10, tile);
        final ScaleJobTable piece = ScaleJobTable.onCanvas(SOURCE, layout, CANVAS, layout, List.of(at));
        final ScaleJobTable alone = new ScaleJobTable(SOURCE, layout, List.of(tile), layout);
        final byte[] src = noise(layout.frameBytes(SOURCE.width(), SOURCE.height()), 7);
        final byte[] canvas = new byte[(int)piece.outputFrameBytes()];
        Arrays.fill(canvas, (byte)0xA5);
        final byte[] expected = new byte[(int)alone.outputFrameBytes()];

        AreaScaler.scale(piece, src, 0, 1, canvas, 0);
        AreaScaler.scale(alone, src, 1, expected);

        assertThat(piece.outputFrameBytes()).isEqualTo(layout.frameBytes(CANVAS.width(), CANVAS.height()));
        assertThat(piece.outputOffset(0)).isEqualTo(10L * CANVAS.width() + 18);
        final byte[] poisoned = canvas.clone();
        for (int c = 0; c < 3; c++)
        {
            final int sub = c == 0 ? 1 : 2;
            for (int row = 0; row < tile.height() / sub; row++)
            {
                for (int col = 0; col < tile.width() / sub; col++)
                {
                    final long in = layout.componentOffset(CANVAS.width(), CANVAS.height(), c) +
                        (long)(at.y() / sub + row) * layout.componentPitch(CANVAS.width(), c) +
                        (long)(at.x() / sub + col) * layout.componentStep(c);
                    final long out = layout.componentOffset(tile.width(), tile.height(), c) +
                        (long)row * layout.componentPitch(tile.width(), c) + (long)col * layout.componentStep(c);
                    assertThat(canvas[(int)in]).as("component %d at %d,%d", c, col, row)
                        .isEqualTo(expected[(int)out]);
                    poisoned[(int)in] = (byte)0xA5;
                }
            }
        }
        final byte[] untouched = new byte[canvas.length];
        Arrays.fill(untouched, (byte)0xA5);
        assertThat(poisoned).as("bytes outside the tile").isEqualTo(untouched);
    }

    @Test
    void shouldDrawFramesOfABatchOntoTheirTilesWhenTheScalerHoldsTheCanvas()
    {
        final FrameSize tile = new FrameSize(20, 12);
        final List<ScaleJobTable> pieces = List.of(
            ScaleJobTable.onCanvas(SOURCE, PixelLayout.I420, CANVAS, PixelLayout.I420,
                List.of(new Placement(0, 0, tile))),
            ScaleJobTable.onCanvas(SOURCE, PixelLayout.I420, CANVAS, PixelLayout.I420,
                List.of(new Placement(20, 12, tile))));
        final ScaleJobTable ladder = new ScaleJobTable(SOURCE, PixelLayout.I420, List.of(new FrameSize(32, 24)),
            PixelLayout.I420);
        final long frameBytes = ladder.sourceFrameBytes();
        final byte[] batch = noise(3 * frameBytes, 3);
        final byte[] background = new byte[(int)pieces.get(0).outputFrameBytes()];
        Arrays.fill(background, (byte)16);

        final byte[] drawn;
        try (AreaLadderScaler scaler = new AreaLadderScaler(ladder, 3, 2))
        {
            final int canvas = scaler.addCanvas(pieces, background);
            scaler.input(1).put(batch);
            scaler.submit(1, 3);
            scaler.draw(1, 2, canvas, 0);
            scaler.draw(1, 0, canvas, 1);
            scaler.await(1);
            drawn = scaler.canvas(canvas);
        }

        final byte[] expected = background.clone();
        AreaScaler.scale(pieces.get(0), batch, (int)(2 * frameBytes), 1, expected, 0);
        AreaScaler.scale(pieces.get(1), batch, 0, 1, expected, 0);
        assertThat(drawn).isEqualTo(expected).isNotEqualTo(background);
    }

    @Test
    void shouldRefusePlacementsThatOverlapOrLeaveTheCanvas()
    {
        final FrameSize tile = new FrameSize(16, 12);
        assertThatThrownBy(() -> ScaleJobTable.onCanvas(SOURCE, PixelLayout.I420, CANVAS, PixelLayout.I420,
            List.of(new Placement(0, 0, tile), new Placement(14, 10, tile))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlaps");
        assertThatThrownBy(() -> ScaleJobTable.onCanvas(SOURCE, PixelLayout.I420, CANVAS, PixelLayout.I420,
            List.of(new Placement(26, 0, tile))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> new Placement(1, 0, tile))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("even");
    }

    @Test
    void shouldRefuseACanvasPieceForAnotherSourceWhenAdded()
    {
        final ScaleJobTable ladder = new ScaleJobTable(SOURCE, PixelLayout.I420, List.of(new FrameSize(32, 24)),
            PixelLayout.I420);
        final ScaleJobTable other = ScaleJobTable.onCanvas(new FrameSize(32, 24), PixelLayout.I420, CANVAS,
            PixelLayout.I420, List.of(new Placement(0, 0, new FrameSize(16, 12))));
        try (AreaLadderScaler scaler = new AreaLadderScaler(ladder, 1, 1))
        {
            assertThatThrownBy(() -> scaler.addCanvas(List.of(other), new byte[(int)other.outputFrameBytes()]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit frames of 64x48");
        }
    }

    private static byte[] noise(final long length, final long seed)
    {
        final byte[] out = new byte[(int)length];
        new Random(seed).nextBytes(out);
        return out;
    }
}
