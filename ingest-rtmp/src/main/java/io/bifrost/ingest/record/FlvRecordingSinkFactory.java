package io.bifrost.ingest.record;

import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.SinkDemand;
import io.bifrost.ingest.sink.StreamAuthorization;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufAllocator;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Records every published stream as {@code {dataDir}/recordings/{stream_id}/{epochMillis}.flv}: a standard FLV file
 * (header, then every tag as the publisher sent it) that ffprobe, ffmpeg and VLC play, closed when the stream ends.
 *
 * <p>Files are written by one writer thread owned by this factory ({@code bifrost-recorder}), never on an event loop.
 * Each file is bounded by {@code maxBytesPerRecording}. Memory is bounded twice: 4 MiB per stream may wait for the
 * disk before that publisher is paused ({@link FlvRecording}), and {@code bufferBytes} for all streams together
 * ({@link RecordingBudget}: past it every publisher that sends is paused, and all are resumed once the writer has
 * brought the total to half), so direct memory stays bounded however many streams a slow disk holds back.
 * {@link #close()} lets the writer finish what was queued (bounded wait), then stops it. Thread-safe.
 */
public final class FlvRecordingSinkFactory implements MediaSinkFactory, AutoCloseable
{
    /** Default bound on one recording: 4 GiB. */
    public static final long DEFAULT_MAX_BYTES_PER_RECORDING = 4L << 30;
    /** Bytes per stream that may wait for the disk before the publisher is paused. */
    static final long HIGH_WATER_BYTES = 4L << 20;

    private final Path recordingsDir;
    private final long maxBytesPerRecording;
    private final Clock clock;
    private final RecordingMetrics metrics;
    private final RecordingBudget budget;
    private final ByteBufAllocator allocator;
    private final Executor writer;
    /** The writer thread when this factory owns it (null when a test supplied the executor). */
    private final ExecutorService ownWriter;

    /**
     * @param dataDir              the ingest data directory; recordings go under {@code recordings/}.
     * @param maxBytesPerRecording the largest file, header included.
     * @param clock                names files by the publish start time.
     * @param meterRegistry        where the counters go.
     */
    public FlvRecordingSinkFactory(final Path dataDir, final long maxBytesPerRecording, final Clock clock,
        final MeterRegistry meterRegistry)
    {
        this(dataDir, maxBytesPerRecording, defaultBufferBytes(), clock, meterRegistry);
    }

    /**
     * @param dataDir              the ingest data directory; recordings go under {@code recordings/}.
     * @param maxBytesPerRecording the largest file, header included.
     * @param bufferBytes          the most bytes all recordings together may queue for the disk
     *                             ({@code ingest.recording-buffer-bytes}, at least 1 MiB; see
     *                             {@link #defaultBufferBytes()}).
     * @param clock                names files by the publish start time.
     * @param meterRegistry        where the counters go.
     */
    public FlvRecordingSinkFactory(final Path dataDir, final long maxBytesPerRecording, final long bufferBytes,
        final Clock clock, final MeterRegistry meterRegistry)
    {
        this(dataDir, maxBytesPerRecording, bufferBytes, clock, meterRegistry, ByteBufAllocator.DEFAULT, null);
    }

    /**
     * Tests: the allocator tags are encoded into and the executor that writes (null: this factory's own thread).
     */
    FlvRecordingSinkFactory(final Path dataDir, final long maxBytesPerRecording, final long bufferBytes,
        final Clock clock, final MeterRegistry meterRegistry, final ByteBufAllocator allocator, final Executor writer)
    {
        if (maxBytesPerRecording < FlvFormat.FILE_HEADER.length)
        {
            throw new IllegalArgumentException("ingest.recording-max-bytes must be at least " +
                FlvFormat.FILE_HEADER.length + ", was " + maxBytesPerRecording);
        }
        this.recordingsDir = dataDir.resolve("recordings");
        this.maxBytesPerRecording = maxBytesPerRecording;
        this.clock = clock;
        this.metrics = new RecordingMetrics(meterRegistry);
        this.budget = new RecordingBudget(bufferBytes);
        this.allocator = allocator;
        Gauge.builder("bifrost.ingest.recording.queued.bytes", budget, RecordingBudget::queuedBytes)
            .baseUnit("bytes").register(meterRegistry);
        if (null == writer)
        {
            this.ownWriter = Executors.newSingleThreadExecutor(runnable ->
            {
                final Thread thread = new Thread(runnable, "bifrost-recorder");
                thread.setDaemon(true);
                return thread;
            });
            this.writer = ownWriter;
        }
        else
        {
            this.ownWriter = null;
            this.writer = writer;
        }
    }

    /**
     * @return the default of {@code ingest.recording-buffer-bytes}: a quarter of the JVM's direct memory limit (as
     * Netty sees it), at most 256 MiB, at least 1 MiB.
     */
    public static long defaultBufferBytes()
    {
        return RecordingBudget.defaultLimitBytes();
    }

    @Override
    public MediaSink open(final PublishRequest request, final SinkDemand demand)
    {
        final String streamId = request.streamId();
        if (null == streamId || !StreamAuthorization.STREAM_ID.matcher(streamId).matches())
        {
            throw new IllegalArgumentException("recording needs an authorized stream id, got " + streamId);
        }
        final Path file = recordingsDir.resolve(streamId).resolve(clock.millis() + ".flv");
        return new FlvRecording(file, maxBytesPerRecording, HIGH_WATER_BYTES, demand, writer, metrics, budget,
            allocator);
    }

    /**
     * @return the directory recordings go to.
     */
    public Path recordingsDir()
    {
        return recordingsDir;
    }

    /**
     * @return recordings stopped at the byte limit so far.
     */
    public long truncatedRecordings()
    {
        return metrics.truncated();
    }

    /**
     * @return bytes all recordings hold for the disk now.
     */
    public long queuedBytes()
    {
        return budget.queuedBytes();
    }

    /**
     * @return the most bytes all recordings together may queue before publishers are paused.
     */
    public long bufferBytes()
    {
        return budget.limitBytes();
    }

    @Override
    public void close()
    {
        if (null == ownWriter)
        {
            return;
        }
        final ExecutorService writer = ownWriter;
        writer.shutdown();
        try
        {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS))
            {
                writer.shutdownNow();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            writer.shutdownNow();
        }
    }
}
