package io.bifrost.transcoder.scale;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link LadderScaler} on the CPU: {@link AreaScaler}, synchronous (the work happens in {@link #submit}), heap
 * buffers. Produces exactly the bytes the CUDA kernel does, so the raw-frame encode path can run and be tested
 * without a GPU. Not thread-safe.
 */
public final class AreaLadderScaler implements LadderScaler
{
    private final ScaleJobTable table;
    private final int maxFrames;
    private final byte[][] inputs;
    private final byte[][] outputs;
    private final int[] frames;
    private final List<List<ScaleJobTable>> canvasPieces = new ArrayList<>();
    private final List<byte[]> canvases = new ArrayList<>();

    /**
     * @param table     what to produce.
     * @param maxFrames frames per submit.
     * @param slots     slots.
     */
    public AreaLadderScaler(final ScaleJobTable table, final int maxFrames, final int slots)
    {
        if (maxFrames < 1 || slots < 1 || (long)maxFrames * table.outputFrameBytes() > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("need 1+ frames and slots within 2 GiB, got " + maxFrames + ", " +
                slots);
        }
        this.table = table;
        this.maxFrames = maxFrames;
        this.inputs = new byte[slots][(int)(maxFrames * table.sourceFrameBytes())];
        this.outputs = new byte[slots][(int)(maxFrames * table.outputFrameBytes())];
        this.frames = new int[slots];
    }

    @Override
    public ScaleJobTable table()
    {
        return table;
    }

    @Override
    public int maxFrames()
    {
        return maxFrames;
    }

    @Override
    public int slots()
    {
        return inputs.length;
    }

    @Override
    public ByteBuffer input(final int slot)
    {
        return ByteBuffer.wrap(inputs[slot]);
    }

    @Override
    public void submit(final int slot, final int count)
    {
        if (count < 1 || count > maxFrames)
        {
            throw new IllegalArgumentException("frames must be 1.." + maxFrames + ", got " + count);
        }
        AreaScaler.scale(table, inputs[slot], count, outputs[slot]);
        frames[slot] = count;
    }

    @Override
    public int await(final int slot)
    {
        return frames[slot];
    }

    @Override
    public ByteBuffer output(final int slot)
    {
        return ByteBuffer.wrap(outputs[slot]).asReadOnlyBuffer();
    }

    @Override
    public int addCanvas(final List<ScaleJobTable> pieces, final byte[] background)
    {
        checkPieces(table, pieces, background.length);
        canvasPieces.add(List.copyOf(pieces));
        canvases.add(background.clone());
        return canvases.size() - 1;
    }

    @Override
    public void draw(final int slot, final int frame, final int canvas, final int piece)
    {
        if (frame < 0 || frame >= frames[slot])
        {
            throw new IllegalArgumentException("frame " + frame + " is not in slot " + slot + "'s batch of " +
                frames[slot]);
        }
        AreaScaler.scale(canvasPieces.get(canvas).get(piece), inputs[slot], (int)(frame * table.sourceFrameBytes()),
            1, canvases.get(canvas), 0);
    }

    @Override
    public byte[] canvas(final int canvas)
    {
        return canvases.get(canvas).clone();
    }

    /**
     * Check canvas pieces against a scaler's table (shared by the implementations).
     *
     * @param table       the scaler's ladder table.
     * @param pieces      the pieces.
     * @param canvasBytes the canvas size in bytes.
     * @throws IllegalArgumentException naming the first piece that does not fit.
     */
    public static void checkPieces(final ScaleJobTable table, final List<ScaleJobTable> pieces, final int canvasBytes)
    {
        if (pieces.isEmpty())
        {
            throw new IllegalArgumentException("a canvas needs at least one piece");
        }
        for (final ScaleJobTable piece : pieces)
        {
            if (!piece.source().equals(table.source()) || piece.sourceLayout() != table.sourceLayout() ||
                piece.outputFrameBytes() != canvasBytes)
            {
                throw new IllegalArgumentException("canvas piece " + piece.source() + " " + piece.sourceLayout() +
                    " -> " + piece.outputFrameBytes() + " bytes does not fit frames of " + table.source() + " " +
                    table.sourceLayout() + " and a canvas of " + canvasBytes + " bytes");
            }
        }
    }

    @Override
    public void close()
    {
        // heap buffers only
    }
}
