package io.bifrost.origin.live.ingest;

import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.SinkDemand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingest's way into the live pipeline (DESIGN.md section 2, Live): every accepted publish becomes a
 * {@link LiveIngestStream} that learns the source from its first tags, opens a live session at the packager with the
 * right renditions, and feeds either the passthrough muxer (the authorization asked for passthrough, or the node's
 * default mode is passthrough) or one ffmpeg transcoding the ladder. {@link #open} and the sink's calls never block
 * the caller's event loop: tags are copied to a bounded queue drained by the stream's own thread.
 *
 * <p>Thread-safe. {@link #close()} aborts every running stream (their sessions end) and waits for them, bounded.
 */
public final class LiveIngestSinkFactory implements MediaSinkFactory, AutoCloseable
{
    /** Streams whose last failure is kept for {@link #lastFailure}. */
    static final int MAX_KEPT_FAILURES = 256;
    private static final Logger LOG = LoggerFactory.getLogger(LiveIngestSinkFactory.class);

    private final LiveIngestContext context;
    private final LiveIngestMetrics metrics;
    private final Set<LiveIngestStream> streams = ConcurrentHashMap.newKeySet();
    private final Map<String, String> failures = new LinkedHashMap<>(16, 0.75f, false)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, String> eldest)
        {
            return size() > MAX_KEPT_FAILURES;
        }
    };
    private volatile boolean closed;

    /**
     * @param context the settings; concluded here.
     */
    public LiveIngestSinkFactory(final LiveIngestContext context)
    {
        this.context = context.conclude();
        this.metrics = new LiveIngestMetrics(context.meterRegistry());
    }

    @Override
    public TimedMediaSink open(final PublishRequest request, final SinkDemand demand)
    {
        if (closed)
        {
            throw new IllegalStateException("the live ingest is closed");
        }
        final LiveMode mode = request.passthrough() ? LiveMode.PASSTHROUGH : context.defaultMode();
        final LiveIngestStream[] self = new LiveIngestStream[1];
        final String streamId = request.streamId();
        final LiveIngestStream stream = new LiveIngestStream(streamId, mode, context, metrics, demand, () ->
        {
            streams.remove(self[0]);
            final String failure = self[0].failure();
            if (null != failure)
            {
                synchronized (failures)
                {
                    failures.put(streamId, failure);
                }
            }
        });
        self[0] = stream;
        streams.add(stream);
        stream.start();
        return stream;
    }

    /**
     * @param streamId a stream id.
     * @return why the stream's latest publish failed (for operators and tests), or null when it did not fail or is
     *         still running; the last {@value #MAX_KEPT_FAILURES} streams' failures are kept.
     */
    public String lastFailure(final String streamId)
    {
        synchronized (failures)
        {
            return failures.get(streamId);
        }
    }

    /**
     * @return the counters.
     */
    public LiveIngestMetrics metrics()
    {
        return metrics;
    }

    /**
     * @return the concluded settings.
     */
    public LiveIngestContext context()
    {
        return context;
    }

    @Override
    public void close()
    {
        closed = true;
        for (final LiveIngestStream stream : streams)
        {
            stream.abort();
        }
        final long deadline = System.nanoTime() + context.stopTimeout().toNanos();
        for (final LiveIngestStream stream : streams)
        {
            try
            {
                final long left = Math.max(1, deadline - System.nanoTime());
                if (!stream.join(Duration.ofNanos(left)))
                {
                    LOG.warn("live ingest: a stream did not stop within {}", context.stopTimeout());
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        context.scaling().close(); // after the streams left the batcher
    }
}
