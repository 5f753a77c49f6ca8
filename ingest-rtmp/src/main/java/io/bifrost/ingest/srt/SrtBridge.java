package io.bifrost.ingest.srt;

import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.amf.Amf0Exception;
import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagParser;
import io.bifrost.ingest.rtmp.flv.TimestampExtender;
import io.bifrost.ingest.rtmp.session.PublishRegistry;
import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.SinkDemand;
import io.bifrost.ingest.sink.StreamAuthorization;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SRT ingest through a bridging ffmpeg process (ffmpeg's libsrt; the JVM has no SRT stack): ffmpeg listens on the
 * SRT port, takes one caller's MPEG-TS and remuxes it to FLV on a pipe; this bridge reads the caller's stream id
 * from ffmpeg's log, authorizes the key it carries ({@link SrtStreamId}), claims it in the node's
 * {@link PublishRegistry} (shared with RTMP), and feeds the FLV tags to the same {@link MediaSink}s as RTMP.
 * When the caller leaves (or is refused), ffmpeg exits and a fresh listener is started.
 *
 * <p>Limitation: ffmpeg's listener takes one caller at a time, so one SRT publisher per SRT port; further callers
 * are not answered until it ends. The publisher's address is not visible through ffmpeg.
 *
 * <p>Threads: one bridge thread (process supervision, tag pump; it blocks on the pipe, never on an event loop) plus
 * ffmpeg's stderr drain. Sinks are called from the bridge thread, one call at a time. Backpressure: after a sink
 * answers false, the bridge stops reading the pipe until {@code resume()}; ffmpeg then blocks and SRT's own buffers
 * and flow control hold the rest.
 */
public final class SrtBridge implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SrtBridge.class);
    /** Application name a bridged publish is reported with, as for RTMP. */
    static final String APP = "live";
    /** Longest wait for the authorizer (its own timeout normally ends it first). */
    static final long AUTHORIZE_WAIT_MS = 30_000;
    /** First and longest pause before restarting an ffmpeg that failed without a caller. */
    static final long MIN_RESTART_BACKOFF_MS = 200;
    static final long MAX_RESTART_BACKOFF_MS = 5_000;

    private final SrtSettings settings;
    private final SrtMetrics metrics;
    private final FlvTagParser tagParser;
    private final Semaphore demand = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile FfmpegSrtListener current;
    private volatile boolean waitingForCaller;
    private volatile String failure;

    private SrtBridge(final SrtSettings settings)
    {
        this.settings = settings;
        this.metrics = new SrtMetrics(settings.meterRegistry());
        this.tagParser = new FlvTagParser(new Amf0Reader(Amf0Limits.defaults()));
        this.thread = new Thread(this::run, "bifrost-srt-bridge-" + settings.port());
        this.thread.setDaemon(true);
    }

    /**
     * @param settings what to listen on and where publishes go.
     * @return the running bridge.
     */
    public static SrtBridge start(final SrtSettings settings)
    {
        final SrtBridge bridge = new SrtBridge(settings);
        LOG.info("srt listening on udp {}:{} through ffmpeg (latency {} ms, one publisher at a time)",
            settings.bindAddress(), settings.port(), settings.latencyMs());
        bridge.thread.start();
        return bridge;
    }

    /**
     * @return whether an ffmpeg listener process is waiting for a caller now.
     */
    public boolean isListening()
    {
        final FfmpegSrtListener listener = current;
        return waitingForCaller && null != listener && listener.isAlive();
    }

    /**
     * @return why the bridge could not listen the last time it tried, null when it could.
     */
    public String failure()
    {
        return failure;
    }

    /**
     * @return the counters.
     */
    public SrtMetrics metrics()
    {
        return metrics;
    }

    private void run()
    {
        long backoffMs = MIN_RESTART_BACKOFF_MS;
        while (running)
        {
            if (listenOnce())
            {
                backoffMs = MIN_RESTART_BACKOFF_MS;
                continue;
            }
            if (!running)
            {
                break;
            }
            metrics.onRestartAfterFailure();
            if (!pause(backoffMs))
            {
                break;
            }
            backoffMs = Math.min(MAX_RESTART_BACKOFF_MS, backoffMs * 2);
        }
    }

    /**
     * Start one ffmpeg listener and serve the caller it accepts.
     *
     * @return whether a caller came (so a restart needs no backoff).
     */
    private boolean listenOnce()
    {
        final FfmpegSrtListener listener;
        try
        {
            listener = FfmpegSrtListener.start(settings.ffmpeg(), settings.listenUrl(), thread.getName());
        }
        catch (final IOException | RuntimeException ex)
        {
            failure = "cannot start " + settings.ffmpeg() + ": " + ex.getMessage();
            LOG.error("srt: {}; SRT ingest is down until it can", failure);
            return false;
        }
        final long startedNanos = System.nanoTime();
        try (listener)
        {
            current = listener;
            waitingForCaller = true;
            if (!running)
            {
                return false;
            }
            final String streamId;
            try
            {
                streamId = listener.streamId().join();
            }
            catch (final CompletionException ex)
            {
                if (ex.getCause() instanceof SrtStreamIdException invalid)
                {
                    refuseStreamId(invalid);
                    return true;
                }
                if (System.nanoTime() - startedNanos >= TimeUnit.MILLISECONDS.toNanos(SrtSettings.LISTEN_RECYCLE_MS))
                {
                    return true; // listen_timeout: an idle listener recycled, not a failure
                }
                if (running)
                {
                    failure = "ffmpeg SRT listener exited without a caller: " + ex.getCause().getMessage();
                    LOG.warn("srt: {}", failure);
                }
                return false;
            }
            failure = null;
            waitingForCaller = false;
            try
            {
                serve(listener, SrtStreamId.streamKey(streamId));
            }
            catch (final SrtStreamIdException ex)
            {
                refuseStreamId(ex);
            }
            return true;
        }
        finally
        {
            waitingForCaller = false;
            current = null;
        }
    }

    private void refuseStreamId(final SrtStreamIdException ex)
    {
        metrics.onRejected(SrtMetrics.STREAM_ID_INVALID);
        LOG.warn("srt caller refused (stream-id-invalid): {}", ex.getMessage());
    }

    private void serve(final FfmpegSrtListener listener, final String key)
    {
        final PublishRequest unchecked = new PublishRequest(APP, key, "", "", null, List.of(), IngestProtocol.SRT,
            null, false);
        final StreamAuthorization authorization = authorize(unchecked);
        if (!authorization.allowed())
        {
            metrics.onRejected(SrtMetrics.PUBLISH_DENIED);
            LOG.warn("srt caller refused (publish-denied): {}", authorization.detail());
            return;
        }
        final PublishRegistry registry = settings.registry();
        final Object owner = new Object();
        if (!registry.claim(key, owner))
        {
            metrics.onRejected(SrtMetrics.PUBLISH_DUPLICATE);
            LOG.warn("srt caller refused (publish-duplicate): stream key is already being published");
            return;
        }
        final PublishRequest request = unchecked.authorized(authorization);
        StreamEndReason reason = StreamEndReason.DISCONNECTED;
        MediaSink sink = null;
        try
        {
            demand.drainPermits();
            final PublishDemand publish = new PublishDemand(listener, request.streamId());
            sink = settings.sinkFactory().open(request, publish);
            metrics.onPublishStarted();
            LOG.info("srt publish of {} started", request.streamId());
            reason = pump(listener, sink, publish);
        }
        catch (final RuntimeException ex)
        {
            reason = StreamEndReason.PROTOCOL_ERROR;
            LOG.warn("srt publish of {} failed", request.streamId(), ex);
        }
        finally
        {
            registry.release(key, owner);
            if (null != sink)
            {
                try
                {
                    sink.onEnd(reason);
                }
                catch (final RuntimeException ex)
                {
                    LOG.warn("srt sink of {} failed in onEnd", request.streamId(), ex);
                }
            }
            LOG.info("srt publish of {} ended ({})", request.streamId(), reason);
        }
    }

    private StreamAuthorization authorize(final PublishRequest request)
    {
        try
        {
            final StreamAuthorization answer = settings.authorizer().authorize(request).toCompletableFuture()
                .get(AUTHORIZE_WAIT_MS, TimeUnit.MILLISECONDS);
            return null == answer ? StreamAuthorization.refuse("stream key check failed") : answer;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return StreamAuthorization.refuse("server closing");
        }
        catch (final TimeoutException | ExecutionException | RuntimeException ex)
        {
            return StreamAuthorization.refuse("stream key check failed: " + ex);
        }
    }

    private StreamEndReason pump(final FfmpegSrtListener listener, final MediaSink sink, final PublishDemand publish)
    {
        final FlvStreamReader reader = new FlvStreamReader(listener.flv(), settings.maxTagBytes());
        final TimestampExtender timeline = new TimestampExtender();
        try
        {
            FlvStreamReader.Tag tag;
            while (running && null != (tag = reader.next()))
            {
                final long timestamp = timeline.extend(tag.timestamp32());
                final FlvTag flvTag = switch (tag.type())
                {
                    case FlvStreamReader.TAG_AUDIO -> tagParser.audio(timestamp, Unpooled.wrappedBuffer(tag.body()));
                    case FlvStreamReader.TAG_VIDEO -> tagParser.video(timestamp, Unpooled.wrappedBuffer(tag.body()));
                    default -> tagParser.script(timestamp, Unpooled.wrappedBuffer(tag.body()));
                };
                demand.drainPermits();
                if (!sink.onTag(flvTag) && !awaitDemand() || publish.aborted())
                {
                    break;
                }
            }
            return publish.aborted() ? StreamEndReason.ABORTED :
                running ? StreamEndReason.DISCONNECTED : StreamEndReason.SERVER_CLOSED;
        }
        catch (final FlvStreamException | RtmpProtocolException | Amf0Exception ex)
        {
            metrics.onRejected(SrtMetrics.FLV_MALFORMED);
            LOG.warn("srt stream closed (flv-malformed): {}", ex.getMessage());
            return StreamEndReason.PROTOCOL_ERROR;
        }
        catch (final IOException ex)
        {
            return publish.aborted() ? StreamEndReason.ABORTED :
                running ? StreamEndReason.DISCONNECTED : StreamEndReason.SERVER_CLOSED;
        }
    }

    /**
     * One SRT publish's handle for its sinks: {@link #resume()} wakes the pump; {@link #abort(String)} stops this
     * publish's ffmpeg listener, which drops the SRT caller (SRT has no status message to carry the reason, so it is
     * logged and counted, {@code bifrost.ingest.srt.rejected{reason=sink-aborted}}) and ends the stream
     * {@link StreamEndReason#ABORTED}; the bridge then starts a fresh listener.
     */
    private final class PublishDemand implements SinkDemand
    {
        private final FfmpegSrtListener listener;
        private final String streamId;
        private final AtomicBoolean aborted = new AtomicBoolean();

        PublishDemand(final FfmpegSrtListener listener, final String streamId)
        {
            this.listener = listener;
            this.streamId = streamId;
        }

        @Override
        public void resume()
        {
            demand.release();
        }

        @Override
        public boolean abort(final String reason)
        {
            if (aborted.compareAndSet(false, true))
            {
                metrics.onRejected(SrtMetrics.SINK_ABORTED);
                LOG.warn("srt publish of {} ended by its sink, dropping the caller: {}", streamId, reason);
                listener.stop();
                demand.release();
            }
            return true;
        }

        boolean aborted()
        {
            return aborted.get();
        }
    }

    private boolean awaitDemand()
    {
        metrics.onSinkPaused();
        try
        {
            while (running)
            {
                if (demand.tryAcquire(100, TimeUnit.MILLISECONDS))
                {
                    return true;
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private boolean pause(final long millis)
    {
        try
        {
            Thread.sleep(millis); // restart backoff; close() interrupts it
            return running;
        }
        catch (final InterruptedException ex)
        {
            return false;
        }
    }

    /**
     * Stop listening: the current ffmpeg is stopped, a live SRT stream ends with {@code SERVER_CLOSED}.
     */
    @Override
    public void close()
    {
        running = false;
        final FfmpegSrtListener listener = current;
        if (null != listener)
        {
            listener.close();
        }
        thread.interrupt();
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
