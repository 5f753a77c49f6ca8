package io.bifrost.transcoder.scale;

import java.nio.ByteBuffer;

/**
 * Scales batches of decoded frames into every rung of a {@link ScaleJobTable}, through {@link #slots()} independent
 * buffers so that filling one batch can overlap with scaling the previous one: fill {@link #input(int)}, then
 * {@link #submit(int, int)}, later {@link #await(int)} and read {@link #output(int)}. Frames are tightly packed in
 * the table's layouts. A slot's buffers must not be touched between its submit and its await. Single-threaded owner.
 */
public interface LadderScaler extends AutoCloseable
{
    /**
     * @return what is produced.
     */
    ScaleJobTable table();

    /**
     * @return the most frames one submit takes.
     */
    int maxFrames();

    /**
     * @return how many slots there are.
     */
    int slots();

    /**
     * @param slot a slot.
     * @return its input buffer, position 0, capacity {@code maxFrames x sourceFrameBytes}.
     */
    ByteBuffer input(int slot);

    /**
     * Start scaling the first {@code frames} frames of the slot's input (possibly asynchronously).
     *
     * @param slot   a slot.
     * @param frames 1..{@link #maxFrames()}.
     */
    void submit(int slot, int frames);

    /**
     * @param slot a slot.
     * @return frames now ready in its output.
     */
    int await(int slot);

    /**
     * @param slot a slot.
     * @return its output buffer, position 0: every rung of frame 0, then of frame 1, ...
     */
    ByteBuffer output(int slot);

    /** Release buffers (and device resources). */
    @Override
    void close();
}
