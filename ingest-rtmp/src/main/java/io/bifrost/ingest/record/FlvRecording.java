package io.bifrost.ingest.record;

import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.SinkDemand;
import io.bifrost.ingest.sink.StreamEndReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One published stream recorded as an FLV file. The publisher's thread only copies each tag into the queue (into a
 * pooled direct buffer: one copy, which the file channel writes as it is, where a heap array cost a copy out of
 * direct memory plus two more on the way to the kernel, and was the largest item in the ingest's CPU profile); a
 * writer thread of {@link FlvRecordingSinkFactory} opens the file, writes the queued tags and flushes after every
 * batch with one gathering write, so nothing blocks an event loop. A batch is handed to the writer once {@link #BATCH_BYTES} have queued or
 * {@link #BATCH_NANOS} have passed since the last one (checked as tags arrive), at the end of the stream, and when
 * the queue passes the high-water mark: one writer wake-up and one write syscall per batch instead of per tag (a
 * 3 Mb/s stream sends ~80 tags a second). So the file on disk trails the stream by about one batch (100 ms or
 * 64 KiB while tags flow; what a stalled publisher sent last is written when it sends again or ends).
 *
 * <p>Backpressure: when more than {@code highWaterBytes} of this stream, or more than the factory's
 * {@link RecordingBudget} of all streams together, wait for the disk, {@link #onTag} answers false and the session
 * stops reading; {@link SinkDemand#resume()} is called once this queue is at half its high water and the total at
 * half the budget (by this recording's writer run, or by the budget when another stream's writes free it).
 * Bound: the file stops growing at {@code maxBytes} (the tags after that are counted and dropped; the stream goes
 * on for the other sinks). When a tag's buffer cannot be allocated (direct memory exhausted) the recording stops the
 * same way: what was queued is written, the file stays readable, the publish goes on. The file is closed on
 * {@link #onEnd}, whatever the reason.
 */
final class FlvRecording implements MediaSink
{
    private static final Logger LOG = LoggerFactory.getLogger(FlvRecording.class);
    private static final ByteBuf END = Unpooled.EMPTY_BUFFER;
    /** Most tags in one gathering write. */
    private static final int MAX_GATHER = 64;
    /** Queued bytes that make a batch for the writer. */
    static final int BATCH_BYTES = 64 * 1024;
    /** Longest time between batches while tags arrive. */
    static final long BATCH_NANOS = 100_000_000L;

    private final Path file;
    private final long maxBytes;
    private final long highWaterBytes;
    private final SinkDemand demand;
    private final Executor writer;
    private final RecordingMetrics metrics;
    private final RecordingBudget budget;
    private final ByteBufAllocator allocator;
    /** Whether this recording waits in {@link RecordingBudget}'s parked set; only the budget changes it. */
    final AtomicBoolean parked = new AtomicBoolean();
    private final ConcurrentLinkedQueue<ByteBuf> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final long batchBytes;
    private long unscheduledBytes;
    private long lastBatchNanos;
    private boolean batchStarted;
    /** Set by the publisher's thread when a tag could not be allocated: later tags are dropped. */
    private boolean abandoned;
    private final ByteBuf[] batch = new ByteBuf[MAX_GATHER];
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    private int batched;
    private FileChannel out;
    private long writtenBytes;
    private long writtenTags;
    private boolean stopped;

    FlvRecording(final Path file, final long maxBytes, final long highWaterBytes, final SinkDemand demand,
        final Executor writer, final RecordingMetrics metrics, final RecordingBudget budget,
        final ByteBufAllocator allocator)
    {
        this.file = file;
        this.maxBytes = maxBytes;
        this.highWaterBytes = highWaterBytes;
        this.demand = demand;
        this.writer = writer;
        this.metrics = metrics;
        this.budget = budget;
        this.allocator = allocator;
        this.batchBytes = Math.max(1, Math.min(BATCH_BYTES, highWaterBytes / 4));
    }

    @Override
    public boolean onTag(final FlvTag tag)
    {
        if (abandoned)
        {
            metrics.onDropped();
            return true;
        }
        final ByteBuf bytes;
        try
        {
            bytes = FlvFormat.encode(tag, allocator);
        }
        catch (final OutOfMemoryError ex)
        {
            // Netty's OutOfDirectMemoryError included: stop this recording, not the publish
            abandoned = true;
            metrics.onAllocationFailed();
            metrics.onDropped();
            LOG.warn("recording {} stopped: no memory for a {}-byte tag ({}); the stream goes on unrecorded", file,
                tag.payload().readableBytes(), ex.toString());
            return true;
        }
        final int length = bytes.readableBytes();
        final boolean overBudget = budget.acquire(length);
        queue.add(bytes);
        final long queued = queuedBytes.addAndGet(length);
        unscheduledBytes += length;
        final boolean overStream = queued > highWaterBytes;
        // a paused recording hands everything it queued to the writer: the budget must never wait on its bytes
        final boolean pause = overStream || overBudget || budget.over();
        final long now = System.nanoTime();
        if (unscheduledBytes >= batchBytes || !batchStarted || now - lastBatchNanos >= BATCH_NANOS || pause)
        {
            batchStarted = true;
            unscheduledBytes = 0;
            lastBatchNanos = now;
            scheduleDrain();
        }
        if (!pause)
        {
            return true;
        }
        paused.set(true);
        metrics.onPaused(!overStream);
        // the writer may have drained between the check and the flag: whoever clears the flag goes on
        return resumable();
    }

    /**
     * Clear the pause if both bounds allow it. A recording held back only by the process budget parks itself there
     * first, then checks again, so a release that frees the budget either sees it parked or is seen by the check.
     *
     * @return true when this call cleared the pause: the caller resumes (or, in {@link #onTag}, goes on).
     */
    private boolean resumable()
    {
        if (queuedBytes.get() > highWaterBytes / 2)
        {
            return false; // this recording's own writer run is scheduled and checks again when it ends
        }
        if (!budget.belowResume())
        {
            budget.park(this);
            if (!budget.belowResume())
            {
                return false;
            }
        }
        return paused.compareAndSet(true, false);
    }

    /**
     * The budget fell to half its limit while this recording was parked: resume the publisher if it may go on.
     * Called by a writer thread.
     */
    void onBudgetFreed()
    {
        if (paused.get() && resumable())
        {
            demand.resume();
        }
    }

    @Override
    public void onEnd(final StreamEndReason reason)
    {
        LOG.debug("recording {} ends ({})", file, reason);
        queue.add(END);
        scheduleDrain();
    }

    private void scheduleDrain()
    {
        if (draining.compareAndSet(false, true))
        {
            try
            {
                writer.execute(this::drain);
            }
            catch (final RejectedExecutionException ex)
            {
                LOG.warn("recording {}: the recorder is closed, {} queued bytes not written", file, queuedBytes.get());
                ByteBuf bytes;
                while (null != (bytes = queue.poll()))
                {
                    queuedBytes.addAndGet(-bytes.readableBytes());
                    free(bytes);
                }
                draining.set(false);
            }
        }
    }

    private void drain()
    {
        try
        {
            ByteBuf bytes;
            while (null != (bytes = queue.poll()))
            {
                if (END == bytes)
                {
                    writeBatch();
                    close();
                }
                else
                {
                    queuedBytes.addAndGet(-bytes.readableBytes());
                    add(bytes);
                }
            }
            writeBatch();
        }
        catch (final IOException ex)
        {
            releaseBatch();
            stop("cannot write: " + ex);
            metrics.onFailed();
        }
        finally
        {
            draining.set(false);
        }
        if (!queue.isEmpty())
        {
            scheduleDrain();
        }
        if (paused.get() && resumable())
        {
            demand.resume();
        }
    }

    /**
     * Release a queued tag that is not written, and give its bytes back to the budget.
     */
    private void free(final ByteBuf tag)
    {
        final int length = tag.readableBytes();
        tag.release();
        budget.release(length);
    }

    /**
     * Take one encoded tag into the next gathering write (which owns it from here), or drop and release it.
     */
    private void add(final ByteBuf tag) throws IOException
    {
        final int length = tag.readableBytes();
        if (stopped)
        {
            free(tag);
            metrics.onDropped();
            return;
        }
        if (null == out)
        {
            open(tag);
        }
        if (writtenBytes + length > maxBytes)
        {
            free(tag);
            writeBatch();
            metrics.onTruncated();
            stop("reached the " + maxBytes + "-byte limit (ingest.recording-max-bytes)");
            metrics.onDropped();
            return;
        }
        batch[batched++] = tag;
        writtenBytes += length;
        writtenTags++;
        metrics.onWritten(length);
        if (MAX_GATHER == batched)
        {
            writeBatch();
        }
    }

    /**
     * Create the file and write its header; on failure the tag that came first is freed (the caller rethrows).
     */
    private void open(final ByteBuf first) throws IOException
    {
        try
        {
            Files.createDirectories(file.getParent());
            out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            final ByteBuffer header = ByteBuffer.wrap(FlvFormat.FILE_HEADER);
            while (header.hasRemaining())
            {
                out.write(header);
            }
            writtenBytes = FlvFormat.FILE_HEADER.length;
            metrics.onStarted();
            LOG.info("recording to {}", file);
        }
        catch (final IOException ex)
        {
            free(first);
            throw ex;
        }
    }

    private void writeBatch() throws IOException
    {
        if (0 == batched)
        {
            return;
        }
        try
        {
            long remaining = 0;
            for (int i = 0; i < batched; i++)
            {
                gather[i] = batch[i].nioBuffer();
                remaining += gather[i].remaining();
            }
            while (remaining > 0)
            {
                remaining -= out.write(gather, 0, batched);
            }
        }
        finally
        {
            releaseBatch();
        }
    }

    private void releaseBatch()
    {
        long released = 0;
        for (int i = 0; i < batched; i++)
        {
            released += batch[i].readableBytes();
            batch[i].release();
            batch[i] = null;
            gather[i] = null;
        }
        batched = 0;
        if (released > 0)
        {
            budget.release(released);
        }
    }

    private void stop(final String why)
    {
        if (!stopped)
        {
            stopped = true;
            LOG.warn("recording {} stopped after {} bytes: {}", file, writtenBytes, why);
            closeQuietly();
        }
    }

    private void close()
    {
        if (null != out)
        {
            LOG.info("recording {} closed: {} tags, {} bytes", file, writtenTags, writtenBytes);
        }
        stopped = true;
        closeQuietly();
    }

    private void closeQuietly()
    {
        if (null == out)
        {
            return;
        }
        try
        {
            out.close();
        }
        catch (final IOException ex)
        {
            LOG.warn("recording {}: close failed: {}", file, ex.toString());
            metrics.onFailed();
        }
        out = null;
    }
}
