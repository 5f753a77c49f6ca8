package io.bifrost.ingest.rtmp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The RTMP server's counters, registered once in the {@link MeterRegistry} of the server context.
 * Thread-safe: every connection of a server updates the same instance.
 *
 * <ul>
 *   <li>{@code bifrost.rtmp.rejected{reason}}: refused input and closed connections, one per {@link RejectReason}.</li>
 *   <li>{@code bifrost.rtmp.connections}: accepted TCP connections.</li>
 *   <li>{@code bifrost.rtmp.publishes}: publishes that reached NetStream.Publish.Start.</li>
 *   <li>{@code bifrost.rtmp.sink.pauses}: times a sink asked the session to stop reading.</li>
 *   <li>{@code bifrost.rtmp.sink.queue.peak.bytes}: the most bytes ever queued for one paused sink.</li>
 * </ul>
 */
public final class RtmpMetrics
{
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Counter connections;
    private final Counter publishes;
    private final Counter sinkPauses;
    private final AtomicLong sinkQueuePeakBytes = new AtomicLong();

    /**
     * @param registry where the meters go.
     */
    public RtmpMetrics(final MeterRegistry registry)
    {
        for (final RejectReason reason : RejectReason.values())
        {
            rejected.put(reason, Counter.builder("bifrost.rtmp.rejected")
                .description("RTMP input refused and connections closed, by reason")
                .tag("reason", reason.tag())
                .register(registry));
        }
        connections = Counter.builder("bifrost.rtmp.connections").register(registry);
        publishes = Counter.builder("bifrost.rtmp.publishes").register(registry);
        sinkPauses = Counter.builder("bifrost.rtmp.sink.pauses").register(registry);
        Gauge.builder("bifrost.rtmp.sink.queue.peak.bytes", sinkQueuePeakBytes, AtomicLong::get)
            .baseUnit("bytes")
            .register(registry);
    }

    /**
     * @param reason what was refused.
     */
    public void onRejected(final RejectReason reason)
    {
        rejected.get(reason).increment();
    }

    /**
     * @param reason a reason.
     * @return how often it was counted.
     */
    public long rejected(final RejectReason reason)
    {
        return (long)rejected.get(reason).count();
    }

    /** A TCP connection was accepted. */
    public void onConnection()
    {
        connections.increment();
    }

    /** A publish started. */
    public void onPublishStarted()
    {
        publishes.increment();
    }

    /**
     * @return publishes started so far.
     */
    public long publishesStarted()
    {
        return (long)publishes.count();
    }

    /** A sink paused its session. */
    public void onSinkPaused()
    {
        sinkPauses.increment();
    }

    /**
     * @return times a sink paused a session.
     */
    public long sinkPauses()
    {
        return (long)sinkPauses.count();
    }

    /**
     * @param queuedBytes bytes queued for a paused sink now.
     */
    public void onSinkQueue(final long queuedBytes)
    {
        sinkQueuePeakBytes.accumulateAndGet(queuedBytes, Math::max);
    }

    /**
     * @return the most bytes ever queued for one paused sink.
     */
    public long sinkQueuePeakBytes()
    {
        return sinkQueuePeakBytes.get();
    }
}
