package io.bifrost.origin.live.ingest;

import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.sink.SinkDemand;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.origin.live.LiveStreams;
import io.bifrost.origin.live.passthrough.PassthroughMuxer;
import io.bifrost.origin.live.transcode.LiveTranscoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One publish on its way to the packager. The publisher's thread (a Netty event loop, or the SRT bridge) only copies
 * each tag into a queue ({@link #onTag}); the stream's own writer thread learns the source ({@link SourceProbe}),
 * opens the producer for the stream's mode (passthrough muxer or live transcoder), feeds it every tag, and ends it.
 *
 * <p>A producer that cannot follow a new decoder configuration (passthrough and a new resolution) is finished and
 * the source learnt again from that tag on, so the stream goes on in a new session (a new epoch) without a
 * re-publish.
 *
 * <p>Backpressure: when more than {@code highWaterBytes} are queued, {@link #onTag} answers false and the session
 * stops reading; the writer calls {@link SinkDemand#resume()} once the queue is below half of that. Failure: a
 * {@link LiveStreamException} (or any bug) fails the stream: it is logged once with its reason, counted, the producer
 * is aborted (the session ends), and from then on tags are dropped and counted without pausing the publisher (the
 * other sinks of the publish, such as the recorder, carry on).
 */
final class LiveIngestStream implements TimedMediaSink
{
    private static final Logger LOG = LoggerFactory.getLogger(LiveIngestStream.class);
    private static final CopiedTag END = new CopiedTag(null, new byte[0], 0);

    private final String streamId;
    private final LiveMode mode;
    private final LiveIngestContext context;
    private final LiveIngestMetrics metrics;
    private final SinkDemand demand;
    private final Runnable onClosed;
    private SourceProbe probe;
    private LiveSource source;
    private final long highWaterBytes;
    private final LinkedBlockingQueue<CopiedTag> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicBoolean endQueued = new AtomicBoolean();
    private final Thread writer;
    private volatile boolean failed;
    private volatile boolean aborted;
    private volatile LiveProducer producer;
    private CaptureClock clock;
    private volatile String failure;

    LiveIngestStream(final String streamId, final LiveMode mode, final LiveIngestContext context,
        final LiveIngestMetrics metrics, final SinkDemand demand, final Runnable onClosed)
    {
        this.streamId = streamId;
        this.mode = mode;
        this.context = context;
        this.metrics = metrics;
        this.demand = demand;
        this.onClosed = onClosed;
        this.probe = new SourceProbe(context.probeWindowMs(), context.probeMaxBytes());
        this.highWaterBytes = context.highWaterBytes();
        this.writer = Thread.ofPlatform().daemon().name("live-" + streamId).unstarted(this::run);
    }

    void start()
    {
        metrics.onStreamOpened(mode);
        writer.start();
    }

    @Override
    public boolean onTag(final FlvTag tag, final long receivedAtMs)
    {
        if (failed || endQueued.get())
        {
            metrics.onDropped();
            return true;
        }
        final CopiedTag copy;
        try
        {
            copy = CopiedTag.of(tag, receivedAtMs);
        }
        catch (final IllegalArgumentException ex)
        {
            metrics.onDropped();
            LOG.warn("live {}: tag dropped: {}", streamId, ex.getMessage());
            return true;
        }
        final long size = copy.flv().length;
        metrics.onBytes(size);
        queuedBytes.addAndGet(size);
        queue.add(copy);
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
        LOG.debug("live {}: publish ended ({})", streamId, reason);
        if (endQueued.compareAndSet(false, true))
        {
            queue.add(END);
        }
    }

    /**
     * Stop now (shutdown): the producer is aborted rather than finished. Any thread.
     */
    void abort()
    {
        aborted = true;
        onEnd(StreamEndReason.SERVER_CLOSED);
        final LiveProducer current = producer;
        if (null != current)
        {
            current.unblock();
        }
    }

    /**
     * @param timeout the longest wait.
     * @return whether the writer thread finished.
     * @throws InterruptedException when interrupted.
     */
    boolean join(final Duration timeout) throws InterruptedException
    {
        return writer.join(timeout);
    }

    /**
     * @return why the stream failed, or null.
     */
    String failure()
    {
        return failure;
    }

    private void run()
    {
        try
        {
            CopiedTag next;
            while (END != (next = queue.take()))
            {
                queuedBytes.addAndGet(-next.flv().length);
                resumeIfDrained();
                if (failed || aborted)
                {
                    metrics.onDropped();
                    continue;
                }
                handle(next);
            }
            end();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            aborted = true;
            end();
        }
        finally
        {
            metrics.onStreamClosed();
            onClosed.run();
        }
    }

    private void handle(final CopiedTag tag)
    {
        try
        {
            if (null != producer)
            {
                clock.observe(tag);
                if (!producer.onTag(tag))
                {
                    restart(tag);
                }
                return;
            }
            final LiveSource learnt = probe.offer(tag);
            if (null != learnt)
            {
                startProducer(learnt);
            }
        }
        catch (final LiveStreamException ex)
        {
            fail(ex.reason(), ex.getMessage(), null);
        }
        catch (final RuntimeException ex)
        {
            metrics.onInternalFailure();
            fail(null, "internal error: " + ex, ex);
        }
    }

    private void startProducer(final LiveSource learnt)
    {
        LOG.info("live {}: {} source {}", streamId, mode.name().toLowerCase(Locale.ROOT), learnt);
        source = learnt;
        final List<CopiedTag> held = probe.tags(); // hands the held tags over (the probe forgets them)
        clock = new CaptureClock();
        for (final CopiedTag tag : held)
        {
            clock.observe(tag);
        }
        final LiveStreams capturing = clocked(clock);
        producer = switch (mode)
        {
            case PASSTHROUGH -> PassthroughMuxer.open(capturing, streamId, learnt, context.partTargetMs());
            case TRANSCODE -> LiveTranscoder.start(context, capturing, streamId, learnt);
        };
        for (final CopiedTag tag : held)
        {
            if (!producer.onTag(tag))
            {
                throw new LiveStreamException(LiveStreamException.Reason.SOURCE, "stream " + streamId +
                    " changed its decoder configuration again while its new session started");
            }
        }
    }

    /**
     * The packager, with each session told when the producer's media time zero was captured: both producers start
     * their output timeline at the first audio or video tag they are given, and the clock estimates when that was from
     * the arrival of the frames the producer has read by the time its first fragment reaches the packager
     * ({@link CaptureClock}, {@link ClockedSession}).
     */
    private LiveStreams clocked(final CaptureClock clock)
    {
        final LiveStreams packager = context.liveStreams();
        return (id, tracks) -> new ClockedSession(packager.open(id, tracks), clock);
    }

    /** The producer cannot follow a new decoder configuration: finish its session, learn the source again. */
    private void restart(final CopiedTag tag)
    {
        final LiveProducer finished = producer;
        producer = null;
        finished.finish();
        metrics.onRestart();
        probe = probe.continuing(source);
        final LiveSource learnt = probe.offer(tag);
        if (null != learnt)
        {
            startProducer(learnt);
        }
    }

    private void end()
    {
        if (failed)
        {
            return;
        }
        try
        {
            if (null == producer && !aborted)
            {
                final LiveSource learnt = probe.decideAtEnd();
                if (null != learnt)
                {
                    startProducer(learnt);
                }
                else if (probe.sawMedia())
                {
                    LOG.warn("live {}: the publish ended before its video configuration was known", streamId);
                }
            }
            if (null != producer)
            {
                if (aborted)
                {
                    producer.abort();
                }
                else
                {
                    producer.finish();
                }
            }
        }
        catch (final LiveStreamException ex)
        {
            fail(ex.reason(), ex.getMessage(), null);
        }
        catch (final RuntimeException ex)
        {
            metrics.onInternalFailure();
            fail(null, "internal error at the end of the stream: " + ex, ex);
        }
    }

    private void fail(final LiveStreamException.Reason reason, final String message, final Throwable bug)
    {
        failed = true;
        failure = message;
        if (null != reason)
        {
            metrics.onFailure(reason);
        }
        if (null != bug)
        {
            LOG.error("live {}: stream failed: {}", streamId, message, bug);
        }
        else
        {
            LOG.warn("live {}: stream failed: {}", streamId, message);
        }
        final LiveProducer current = producer;
        producer = null;
        if (null != current)
        {
            try
            {
                current.abort();
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("live {}: aborting the producer failed: {}", streamId, ex.toString());
            }
        }
        probe.tags();
        if (paused.compareAndSet(true, false))
        {
            demand.resume();
        }
    }

    private void resumeIfDrained()
    {
        if (queuedBytes.get() <= highWaterBytes / 2 && paused.compareAndSet(true, false))
        {
            demand.resume();
        }
    }
}
