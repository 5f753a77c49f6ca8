package io.bifrost.transcoder.scale;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Scales batches of decoded frames into every rung of a {@link ScaleJobTable}, through {@link #slots()} independent
 * buffers so that filling one batch can overlap with scaling the previous one: fill {@link #input(int)}, then
 * {@link #submit(int, int)}, later {@link #await(int)} and read {@link #output(int)}. Frames are tightly packed in
 * the table's layouts. A slot's buffers must not be touched between its submit and its await. Single-threaded owner.
 * <p>
 * Stills from the same frames: a <em>canvas</em> is an image the scaler holds (device memory on the GPU) that single
 * frames of the batches are scaled into piece by piece ({@link #draw}), e.g. one sprite-sheet tile per sampled frame
 * and the poster, each piece a {@link ScaleJobTable#onCanvas} table; {@link #canvas(int)} reads it back once at the
 * end. The frames are scaled where they already are, so stills cost no second decode or upload.
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

    /**
     * Add a canvas. Call before the first submit.
     *
     * @param pieces     {@link ScaleJobTable#onCanvas} tables from this scaler's source size and layout, each
     *                   {@code outputFrameBytes() == background.length}; piece {@code i} is drawn by
     *                   {@code draw(slot, frame, canvas, i)}.
     * @param background the canvas's bytes before anything is drawn (e.g. black).
     * @return the canvas's id: 0 for the first, then 1, ...
     * @throws IllegalArgumentException when a piece does not fit this scaler or the background.
     */
    int addCanvas(List<ScaleJobTable> pieces, byte[] background);

    /**
     * Scale one frame of the slot's latest batch with one piece onto a canvas (possibly asynchronously, after that
     * batch's ladder). Valid from {@code submit(slot, n)} until the slot's next submit, also after its await.
     *
     * @param slot   a slot.
     * @param frame  index in the batch, below its frame count.
     * @param canvas a canvas id.
     * @param piece  a piece of that canvas.
     */
    void draw(int slot, int frame, int canvas, int piece);

    /**
     * Wait for every draw so far and copy a canvas out.
     *
     * @param canvas a canvas id.
     * @return a new array with the canvas's bytes.
     */
    byte[] canvas(int canvas);

    /** Release buffers (and device resources). */
    @Override
    void close();
}
