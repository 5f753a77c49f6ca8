package io.bifrost.ingest.record;

import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.SinkDemand;
import io.bifrost.ingest.sink.StreamEndReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One published stream recorded as an FLV file. The publisher's thread only copies each tag into the queue; a
 * writer thread of {@link FlvRecordingSinkFactory} opens the file, writes the queued tags and flushes after every
 * batch, so nothing blocks an event loop. A batch is handed to the writer once {@link #BATCH_BYTES} have queued or
 * {@link #BATCH_NANOS} have passed since the last one (checked as tags arrive), at the end of the stream, and when
 * the queue passes the high-water mark: one writer wake-up and one write syscall per batch instead of per tag (a
 * 3 Mb/s stream sends ~80 tags a second). So the file on disk trails the stream by about one batch (100 ms or
 * 64 KiB while tags flow; what a stalled publisher sent last is written when it sends again or ends).
 *
 * <p>Backpressure: when more than {@code highWaterBytes} wait for the disk, {@link #onTag} answers false and the
 * session stops reading; the writer calls {@link SinkDemand#resume()} once the queue is below half of that.
 * Bound: the file stops growing at {@code maxBytes} (the tags after that are counted and dropped; the stream goes
 * on for the other sinks). The file is closed on {@link #onEnd}, whatever the reason.
 */
final class FlvRecording implements MediaSink
{
    private static final Logger LOG = LoggerFactory.getLogger(FlvRecording.class);
    private static final byte[] END = new byte[0];
    private static final int WRITE_BUFFER_BYTES = 64 * 1024;
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
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final long batchBytes;
    private long unscheduledBytes;
    private long lastBatchNanos;
    private boolean batchStarted;
    private OutputStream out;
    private long writtenBytes;
    private long writtenTags;
    private boolean stopped;

    FlvRecording(final Path file, final long maxBytes, final long highWaterBytes, final SinkDemand demand,
        final Executor writer, final RecordingMetrics metrics)
    {
        this.file = file;
        this.maxBytes = maxBytes;
        this.highWaterBytes = highWaterBytes;
        this.demand = demand;
        this.writer = writer;
        this.metrics = metrics;
        this.batchBytes = Math.max(1, Math.min(BATCH_BYTES, highWaterBytes / 4));
    }

    @Override
    public boolean onTag(final FlvTag tag)
    {
        final byte[] bytes = FlvFormat.encode(tag);
        queue.add(bytes);
        final long queued = queuedBytes.addAndGet(bytes.length);
        unscheduledBytes += bytes.length;
        final long now = System.nanoTime();
        if (unscheduledBytes >= batchBytes || !batchStarted || now - lastBatchNanos >= BATCH_NANOS ||
            queued > highWaterBytes)
        {
            batchStarted = true;
            unscheduledBytes = 0;
            lastBatchNanos = now;
            scheduleDrain();
        }
        if (queuedBytes.get() <= highWaterBytes)
        {
            return true;
        }
        paused.set(true);
        metrics.onPaused();
        // the writer may have drained between the check and the flag: whoever clears the flag goes on
        return queuedBytes.get() <= highWaterBytes / 2 && paused.compareAndSet(true, false);
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
                draining.set(false);
                LOG.warn("recording {}: the recorder is closed, {} queued bytes not written", file, queuedBytes.get());
            }
        }
    }

    private void drain()
    {
        try
        {
            byte[] bytes;
            while (null != (bytes = queue.poll()))
            {
                if (END == bytes)
                {
                    close();
                }
                else
                {
                    queuedBytes.addAndGet(-bytes.length);
                    write(bytes);
                }
            }
            if (null != out)
            {
                out.flush();
            }
        }
        catch (final IOException ex)
        {
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
        if (queuedBytes.get() <= highWaterBytes / 2 && paused.compareAndSet(true, false))
        {
            demand.resume();
        }
    }

    private void write(final byte[] tag) throws IOException
    {
        if (stopped)
        {
            metrics.onDropped();
            return;
        }
        if (null == out)
        {
            Files.createDirectories(file.getParent());
            out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), WRITE_BUFFER_BYTES);
            out.write(FlvFormat.FILE_HEADER);
            writtenBytes = FlvFormat.FILE_HEADER.length;
            metrics.onStarted();
            LOG.info("recording to {}", file);
        }
        if (writtenBytes + tag.length > maxBytes)
        {
            metrics.onTruncated();
            stop("reached the " + maxBytes + "-byte limit (ingest.recording-max-bytes)");
            metrics.onDropped();
            return;
        }
        out.write(tag);
        writtenBytes += tag.length;
        writtenTags++;
        metrics.onWritten(tag.length);
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
