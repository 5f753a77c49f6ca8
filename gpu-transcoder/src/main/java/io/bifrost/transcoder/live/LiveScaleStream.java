package io.bifrost.transcoder.live;

import io.bifrost.transcoder.scale.ScaleJobTable;
import io.micrometer.core.instrument.Counter;
import org.agrona.concurrent.NanoClock;

import java.nio.ByteBuffer;

/**
 * One live stream's place in a {@link LiveScaleBatcher}: a fixed ring of {@code maxPendingFrames} source-frame
 * buffers that {@link #offer} copies into and the batcher drains at each launch of the stream's geometry group.
 * Thread-safe: offer from the stream's thread, everything else from the batcher.
 */
public final class LiveScaleStream implements AutoCloseable
{
    static final long NONE = Long.MIN_VALUE;

    /** Receives every rung of one scaled frame. */
    @FunctionalInterface
    public interface RungSink
    {
        /**
         * @param pts   the frame's timestamp as offered.
         * @param rungs every rung of the frame from {@code position()} to {@code limit()}: rung {@code r} at
         *              {@code position() + table.outputOffset(r)}, in the table's output layout. Valid only during
         *              the call; do not keep it.
         */
        void onRungs(long pts, ByteBuffer rungs);
    }

    private final LiveScaleBatcher batcher;
    private final long streamId;
    private final ScaleJobTable table;
    private final int frameBytes;
    private final RungSink sink;
    private final Counter droppedCounter;
    private final NanoClock clock;
    private final byte[][] frames;
    private final long[] pts;
    private final long[] arrivalNs;
    private int head;
    private int count;
    private long dropped;
    private long delivered;
    private boolean closed;

    LiveScaleStream(final LiveScaleBatcher batcher, final long streamId, final ScaleJobTable table,
        final int maxPendingFrames, final RungSink sink, final Counter droppedCounter, final NanoClock clock)
    {
        this.batcher = batcher;
        this.streamId = streamId;
        this.table = table;
        this.frameBytes = (int)table.sourceFrameBytes();
        this.sink = sink;
        this.droppedCounter = droppedCounter;
        this.clock = clock;
        this.frames = new byte[maxPendingFrames][frameBytes];
        this.pts = new long[maxPendingFrames];
        this.arrivalNs = new long[maxPendingFrames];
    }

    /**
     * Copy a decoded frame in for the next launch.
     *
     * @param frame     holds one source frame in the table's source layout, tightly packed.
     * @param offset    where it starts.
     * @param timestamp handed back with its rungs.
     * @return false when the frame was dropped: {@code maxPendingFrames} frames are already waiting (the stream is
     *         ahead of the scaler; counted), or the stream is closed.
     * @throws IllegalArgumentException when {@code frame} holds less than one frame from {@code offset}.
     */
    public synchronized boolean offer(final byte[] frame, final int offset, final long timestamp)
    {
        if (offset < 0 || frame.length - offset < frameBytes)
        {
            throw new IllegalArgumentException("a frame of " + table.source() + " " + table.sourceLayout() +
                " is " + frameBytes + " bytes, got " + (frame.length - offset) + " from offset " + offset);
        }
        if (closed)
        {
            return false;
        }
        if (count == frames.length)
        {
            dropped++;
            droppedCounter.increment();
            return false;
        }
        final int at = (head + count) % frames.length;
        System.arraycopy(frame, offset, frames[at], 0, frameBytes);
        pts[at] = timestamp;
        arrivalNs[at] = clock.nanoTime();
        count++;
        return true;
    }

    /**
     * Wait until an {@link #offer} would not drop for lack of room: a producer that must not lose frames (a live
     * encoder counts on a constant frame rate) calls this first. With one producer per stream, room found here stays
     * until its next offer.
     *
     * @param timeoutNanos the longest wait.
     * @return true when there is room; false when the wait timed out or the stream is closed.
     * @throws InterruptedException when the caller is interrupted.
     */
    public synchronized boolean awaitRoom(final long timeoutNanos) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        while (!closed && count == frames.length)
        {
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                return false;
            }
            wait(Math.max(1, left / 1_000_000L));
        }
        return !closed;
    }

    synchronized long oldestPendingNs()
    {
        return count == 0 ? NONE : arrivalNs[head];
    }

    /** Copy every waiting frame into the batch from index {@code at}; returns the next free index. */
    synchronized int drainInto(final ByteBuffer input, final LiveScaleStream[] owners, final long[] timestamps,
        final int at)
    {
        int next = at;
        while (count > 0)
        {
            input.put(next * frameBytes, frames[head], 0, frameBytes);
            owners[next] = this;
            timestamps[next] = pts[head];
            next++;
            head = (head + 1) % frames.length;
            count--;
        }
        if (next > at)
        {
            notifyAll();
        }
        return next;
    }

    void deliver(final long timestamp, final ByteBuffer rungs)
    {
        synchronized (this)
        {
            delivered++;
        }
        sink.onRungs(timestamp, rungs);
    }

    /**
     * @return the caller's id.
     */
    public long streamId()
    {
        return streamId;
    }

    /**
     * @return the stream's geometry and rungs.
     */
    public ScaleJobTable table()
    {
        return table;
    }

    /**
     * @return frames dropped because the stream was {@code maxPendingFrames} ahead.
     */
    public synchronized long droppedFrames()
    {
        return dropped;
    }

    /**
     * @return frames whose rungs were handed to the sink.
     */
    public synchronized long deliveredFrames()
    {
        return delivered;
    }

    /** Leave the batcher; waiting frames are discarded, later offers return false. Idempotent. */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            count = 0;
            notifyAll();
        }
        batcher.unregister(this);
    }

    @Override
    public String toString()
    {
        return "LiveScaleStream{" + streamId + " " + table.source() + " -> " + table.outputs() + "}";
    }
}
