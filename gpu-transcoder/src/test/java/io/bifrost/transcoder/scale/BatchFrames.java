package io.bifrost.transcoder.scale;

import java.nio.ByteBuffer;
import java.util.Random;

/**
 * What the live batching tests (on the CPU reference and on the GPU) offer and expect: a noise frame that is the same
 * for the same stream and index, the reference bytes of one frame scaled alone, and a copy of the rungs a sink was
 * lent.
 */
public final class BatchFrames
{
    private BatchFrames()
    {
    }

    /**
     * @param table  the stream's geometry.
     * @param stream the stream's number.
     * @param index  the frame's number.
     * @return one source frame of noise, the same for the same arguments.
     */
    public static byte[] noise(final ScaleJobTable table, final int stream, final int index)
    {
        final byte[] out = new byte[(int)table.sourceFrameBytes()];
        new Random(stream * 7919L + index).nextBytes(out);
        return out;
    }

    /**
     * @param table the geometry.
     * @param frame one source frame.
     * @return every rung of it from the Java reference, as a batcher must deliver them.
     */
    public static byte[] scaledAlone(final ScaleJobTable table, final byte[] frame)
    {
        final byte[] out = new byte[(int)table.outputFrameBytes()];
        AreaScaler.scale(table, frame, 1, out);
        return out;
    }

    /**
     * @param rungs what a sink was lent, position to limit.
     * @return a copy (the lent buffer is reused after the call).
     */
    public static byte[] copy(final ByteBuffer rungs)
    {
        final byte[] out = new byte[rungs.remaining()];
        rungs.duplicate().get(out);
        return out;
    }
}
