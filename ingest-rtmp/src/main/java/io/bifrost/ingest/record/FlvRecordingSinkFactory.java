package io.bifrost.ingest.record;

import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.SinkDemand;
import io.bifrost.ingest.sink.StreamAuthorization;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Records every published stream as {@code {dataDir}/recordings/{stream_id}/{epochMillis}.flv}: a standard FLV file
 * (header, then every tag as the publisher sent it) that ffprobe, ffmpeg and VLC play, closed when the stream ends.
 *
 * <p>Files are written by one writer thread owned by this factory ({@code bifrost-recorder}), never on an event loop.
 * Each file is bounded by {@code maxBytesPerRecording}; 4 MiB per stream may wait for the disk before the publisher
 * is paused ({@link FlvRecording}). {@link #close()} lets the writer finish what was queued (bounded wait), then stops
 * it. Thread-safe.
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
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "bifrost-recorder");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param dataDir              the ingest data directory; recordings go under {@code recordings/}.
     * @param maxBytesPerRecording the largest file, header included.
     * @param clock                names files by the publish start time.
     * @param meterRegistry        where the counters go.
     */
    public FlvRecordingSinkFactory(final Path dataDir, final long maxBytesPerRecording, final Clock clock,
        final MeterRegistry meterRegistry)
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
        return new FlvRecording(file, maxBytesPerRecording, HIGH_WATER_BYTES, demand, writer, metrics);
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

    @Override
    public void close()
    {
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
