package io.bifrost.transcoder.scale;

import java.nio.ByteBuffer;

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
    public void close()
    {
        // heap buffers only
    }
}
