package io.bifrost.origin.live.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The relay listener's counters. Thread-safe.
 *
 * <ul>
 *   <li>{@code bifrost.origin.relay.requests{outcome}}: relay requests by answer: {@code accepted},
 *       {@code unauthorized} (401, wrong or missing secret), {@code not-found} (404: unknown path or stream id),
 *       {@code bad-method} (405), {@code unavailable} (503: the live ingest refused the stream).</li>
 *   <li>{@code bifrost.origin.relay.completed}: relays that ended cleanly (the publish ended).</li>
 *   <li>{@code bifrost.origin.relay.disconnects}: relays whose connection dropped mid-stream.</li>
 *   <li>{@code bifrost.origin.relay.replaced}: relays closed because a newer one for the same stream arrived.</li>
 *   <li>{@code bifrost.origin.relay.malformed}: bodies refused with 400.</li>
 *   <li>{@code bifrost.origin.relay.tags} and {@code bifrost.origin.relay.bytes}: what came in.</li>
 *   <li>{@code bifrost.origin.relay.tls-failures}: TLS handshakes on the relay port that failed (a client that does
 *       not trust the certificate, speaks plain HTTP, or stays silent past the handshake timeout).</li>
 *   <li>{@code bifrost.origin.relay.pauses}: times the live pipeline held a relay back (reads stopped).</li>
 * </ul>
 */
public final class RelayReceiverMetrics
{
    private final MeterRegistry registry;
    private final Counter completed;
    private final Counter disconnects;
    private final Counter replaced;
    private final Counter malformed;
    private final Counter tags;
    private final Counter bytes;
    private final Counter pauses;
    private final Counter tlsFailures;

    RelayReceiverMetrics(final MeterRegistry registry)
    {
        this.registry = registry;
        completed = Counter.builder("bifrost.origin.relay.completed").register(registry);
        disconnects = Counter.builder("bifrost.origin.relay.disconnects").register(registry);
        replaced = Counter.builder("bifrost.origin.relay.replaced").register(registry);
        malformed = Counter.builder("bifrost.origin.relay.malformed").register(registry);
        tags = Counter.builder("bifrost.origin.relay.tags").register(registry);
        bytes = Counter.builder("bifrost.origin.relay.bytes").baseUnit("bytes").register(registry);
        pauses = Counter.builder("bifrost.origin.relay.pauses").register(registry);
        tlsFailures = Counter.builder("bifrost.origin.relay.tls-failures").register(registry);
    }

    void onRequest(final String outcome)
    {
        Counter.builder("bifrost.origin.relay.requests").tag("outcome", outcome).register(registry).increment();
    }

    void onCompleted()
    {
        completed.increment();
    }

    void onDisconnect()
    {
        disconnects.increment();
    }

    void onReplaced()
    {
        replaced.increment();
    }

    void onMalformed()
    {
        malformed.increment();
    }

    void onTag(final long size)
    {
        tags.increment();
        bytes.increment(size);
    }

    void onPaused()
    {
        pauses.increment();
    }

    void onTlsFailure()
    {
        tlsFailures.increment();
    }

    /** @return TLS handshakes on the relay port that failed. */
    public long tlsFailures()
    {
        return (long)tlsFailures.count();
    }

    /**
     * @param outcome a request outcome tag.
     * @return requests with it.
     */
    public long requests(final String outcome)
    {
        final Counter counter = registry.find("bifrost.origin.relay.requests").tag("outcome", outcome).counter();
        return null == counter ? 0 : (long)counter.count();
    }

    /** @return relays that ended cleanly. */
    public long completed()
    {
        return (long)completed.count();
    }

    /** @return relays that dropped mid-stream. */
    public long disconnects()
    {
        return (long)disconnects.count();
    }

    /** @return bodies refused as malformed. */
    public long malformed()
    {
        return (long)malformed.count();
    }

    /** @return tags received. */
    public long tags()
    {
        return (long)tags.count();
    }

    /** @return times a relay was held back. */
    public long pauses()
    {
        return (long)pauses.count();
    }
}
