package io.bifrost.ingest.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's counters. Thread-safe.
 *
 * <ul>
 *   <li>{@code bifrost.ingest.relay.connects{outcome=ok|failed}}: connection attempts to the origin.</li>
 *   <li>{@code bifrost.ingest.relay.tls-failures}: TLS handshakes with the origin that failed (its certificate is not
 *       signed by a trusted CA, does not name the origin's host, has expired, or the port does not speak TLS); each is
 *       also a failed connect, retried like an unreachable origin, except a port that does not speak TLS (a
 *       {@code config-errors{reason=origin-plain}}, given up at once).</li>
 *   <li>{@code bifrost.ingest.relay.config-errors{reason=origin-tls|origin-plain|not-http}}: streams given up at once
 *       because {@code ingest.origin-url} does not fit the port it names (a plain URL for a TLS port, an
 *       {@code https://} URL for a plain one, a port that does not answer HTTP); each is also a give-up.</li>
 *   <li>{@code bifrost.ingest.relay.disconnects}: relays that dropped mid-stream (the origin went away).</li>
 *   <li>{@code bifrost.ingest.relay.refused{status}}: answers other than 200 from the origin (401: wrong secret).</li>
 *   <li>{@code bifrost.ingest.relay.gave-up}: streams whose relay was given up (origin down past the bound, or
 *       refused).</li>
 *   <li>{@code bifrost.ingest.relay.publishes-ended}: publishes ended because their relay was given up (the publisher
 *       was told why; see {@code SinkDemand#abort}).</li>
 *   <li>{@code bifrost.ingest.relay.bytes}: bytes written to origins.</li>
 *   <li>{@code bifrost.ingest.relay.dropped.tags}: tags not relayed (origin down and not in the GOP cache, or waiting
 *       for a keyframe after a reconnect).</li>
 *   <li>{@code bifrost.ingest.relay.pauses}: times a stream's outbound buffer passed its high-water mark.</li>
 *   <li>{@code bifrost.ingest.relay.buffered.max.bytes}: the most bytes any stream had waiting to be sent (gauge).</li>
 * </ul>
 */
public final class RelayMetrics
{
    private final MeterRegistry registry;
    private final Counter connected;
    private final Counter connectFailed;
    private final Counter disconnects;
    private final Counter tlsFailures;
    private final Counter gaveUp;
    private final Counter publishesEnded;
    private final Counter bytes;
    private final Counter dropped;
    private final Counter pauses;
    private final AtomicLong maxBuffered = new AtomicLong();
    private final AtomicLong maxReplayed = new AtomicLong();

    RelayMetrics(final MeterRegistry registry)
    {
        this.registry = registry;
        connected = Counter.builder("bifrost.ingest.relay.connects").tag("outcome", "ok").register(registry);
        connectFailed = Counter.builder("bifrost.ingest.relay.connects").tag("outcome", "failed").register(registry);
        disconnects = Counter.builder("bifrost.ingest.relay.disconnects").register(registry);
        tlsFailures = Counter.builder("bifrost.ingest.relay.tls-failures")
            .description("TLS handshakes with the origin that failed").register(registry);
        gaveUp = Counter.builder("bifrost.ingest.relay.gave-up").register(registry);
        publishesEnded = Counter.builder("bifrost.ingest.relay.publishes-ended")
            .description("publishes ended because the relay to the origin gave up").register(registry);
        bytes = Counter.builder("bifrost.ingest.relay.bytes").baseUnit("bytes").register(registry);
        dropped = Counter.builder("bifrost.ingest.relay.dropped.tags").register(registry);
        pauses = Counter.builder("bifrost.ingest.relay.pauses").register(registry);
        Gauge.builder("bifrost.ingest.relay.buffered.max.bytes", maxBuffered, AtomicLong::get).baseUnit("bytes")
            .register(registry);
    }

    void onConnect(final boolean ok)
    {
        (ok ? connected : connectFailed).increment();
    }

    void onDisconnect()
    {
        disconnects.increment();
    }

    void onTlsFailure()
    {
        tlsFailures.increment();
    }

    void onConfigError(final OriginMismatch mismatch)
    {
        Counter.builder("bifrost.ingest.relay.config-errors").tag("reason", mismatch.tag())
            .description("relays given up because ingest.origin-url does not fit the origin's port")
            .register(registry).increment();
    }

    void onRefused(final int status)
    {
        Counter.builder("bifrost.ingest.relay.refused").tag("status", Integer.toString(status)).register(registry)
            .increment();
    }

    void onGaveUp()
    {
        gaveUp.increment();
    }

    void onPublishEnded()
    {
        publishesEnded.increment();
    }

    void onBytes(final long count)
    {
        bytes.increment(count);
    }

    void onDropped()
    {
        dropped.increment();
    }

    void onPaused()
    {
        pauses.increment();
    }

    void onBuffered(final long pending)
    {
        maxBuffered.accumulateAndGet(pending, Math::max);
    }

    void onReplayed(final long replayedBytes)
    {
        maxReplayed.accumulateAndGet(replayedBytes, Math::max);
    }

    /** @return connection attempts that succeeded. */
    public long connects()
    {
        return (long)connected.count();
    }

    /** @return TLS handshakes with the origin that failed. */
    public long tlsFailures()
    {
        return (long)tlsFailures.count();
    }

    /** @return relays that dropped mid-stream. */
    public long disconnects()
    {
        return (long)disconnects.count();
    }

    /** @return streams given up. */
    public long gaveUp()
    {
        return (long)gaveUp.count();
    }

    /** @return publishes ended because their relay was given up. */
    public long publishesEnded()
    {
        return (long)publishesEnded.count();
    }

    /**
     * @param status an HTTP status.
     * @return answers with that status.
     */
    public long refused(final int status)
    {
        final Counter counter = registry.find("bifrost.ingest.relay.refused").tag("status", Integer.toString(status))
            .counter();
        return null == counter ? 0 : (long)counter.count();
    }

    /**
     * @param reason a reason tag: {@code origin-tls}, {@code origin-plain} or {@code not-http}.
     * @return streams given up for that configuration error.
     */
    public long configErrors(final String reason)
    {
        final Counter counter = registry.find("bifrost.ingest.relay.config-errors").tag("reason", reason).counter();
        return null == counter ? 0 : (long)counter.count();
    }

    /** @return times a stream paused its publisher. */
    public long pauses()
    {
        return (long)pauses.count();
    }

    /** @return tags not relayed. */
    public long dropped()
    {
        return (long)dropped.count();
    }

    /**
     * @return the most bytes any stream had waiting to be sent: the water mark plus one tag, plus the tags replayed at
     *         once after a (re)connect (see {@link #maxReplayedBytes()}).
     */
    public long maxBufferedBytes()
    {
        return maxBuffered.get();
    }

    /**
     * @return the most bytes one (re)connect replayed at once: the tags cached since the last keyframe while the relay
     *         had no connection, written without waiting for the water mark (at most {@code ingest.relay-gop-cache-bytes}).
     */
    public long maxReplayedBytes()
    {
        return maxReplayed.get();
    }
}
