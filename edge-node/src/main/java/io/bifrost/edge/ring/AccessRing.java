package io.bifrost.edge.ring;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.SleepingWaitStrategy;
import io.bifrost.edge.cache.CacheTierName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;

/**
 * Access events, one per viewer request (path, bytes, outcome, tier), handed from the event loops to one consumer
 * thread that keeps {@code bifrost.edge.access.requests{tier}} and {@code bifrost.edge.access.bytes{tier}} and passes
 * each event to an {@link AccessObserver}. Event loops never wait: a full ring drops the event and counts it
 * ({@code bifrost.edge.ring.rejected{ring=access}}). The consumer parks {@value #IDLE_PARK_NS} ns when idle, so that it
 * seldom takes the event loops' cores; these counters need no lower latency. Thread-safe.
 */
public final class AccessRing implements AutoCloseable
{
    /** Default slots: 10 ms of 3 million requests a second. */
    public static final int DEFAULT_SLOTS = 32768;
    /**
     * How long the idle consumer parks: 10 ms. Each wake-up of this thread preempts the event loop it shares a core
     * with; at 1 ms (about 1,000 wake-ups a second under load) the edge's playlist p99 under wrk was 2.9 ms median over
     * five rounds, at 10 ms 1.9 ms, with 13 % more requests a second (BENCHMARKS.md 2026-12-02 session 4). The counters
     * and the telemetry it feeds need no lower latency.
     */
    static final long IDLE_PARK_NS = 10_000_000L;

    private final EventRing<AccessEvent> ring;

    /**
     * @param slots    ring size, a power of two.
     * @param registry where the counters go.
     * @param observer receives every event on the ring's thread.
     */
    public AccessRing(final int slots, final MeterRegistry registry, final AccessObserver observer)
    {
        final Map<CacheTierName, Counter> requests = new EnumMap<>(CacheTierName.class);
        final Map<CacheTierName, Counter> bytes = new EnumMap<>(CacheTierName.class);
        for (final CacheTierName tier : CacheTierName.values())
        {
            requests.put(tier, Counter.builder("bifrost.edge.access.requests").tag("tier", tier.tag())
                .description("viewer requests by the tier that answered, counted off the event loops").register(registry));
            bytes.put(tier, Counter.builder("bifrost.edge.access.bytes").tag("tier", tier.tag())
                .description("body bytes sent to viewers by the tier that answered").register(registry));
        }
        final EventHandler<AccessEvent> handler = (event, sequence, endOfBatch) ->
        {
            try
            {
                requests.get(event.tier).increment();
                bytes.get(event.tier).increment(event.bytes);
                observer.onAccess(event.path, event.bytes, event.outcome, event.tier, event.firstByteNanos);
            }
            finally
            {
                event.set(null, 0, null, null, -1);
            }
        };
        ring = new EventRing<>("access", slots, AccessEvent::new, handler, new SleepingWaitStrategy(0, IDLE_PARK_NS),
            registry);
    }

    /**
     * Record one request; never blocks, drops the event when the ring is full.
     *
     * @param path    request path, or null.
     * @param bytes   body bytes sent.
     * @param outcome how the request ended.
     * @param tier    where the body came from.
     * @return false when the event was dropped.
     */
    public boolean record(final String path, final long bytes, final String outcome, final CacheTierName tier)
    {
        return record(path, bytes, outcome, tier, -1);
    }

    /**
     * Record one request with its time to first byte; never blocks, drops the event when the ring is full.
     *
     * @param path           request path, or null.
     * @param bytes          body bytes sent.
     * @param outcome        how the request ended.
     * @param tier           where the body came from.
     * @param firstByteNanos request head to response head, nanoseconds; -1 when not measured.
     * @return false when the event was dropped.
     */
    public boolean record(
        final String path, final long bytes, final String outcome, final CacheTierName tier, final long firstByteNanos)
    {
        final long sequence = ring.claim();
        if (sequence < 0)
        {
            return false;
        }
        ring.slot(sequence).set(path, bytes, outcome, tier, firstByteNanos);
        ring.publish(sequence);
        return true;
    }

    @Override
    public void close()
    {
        ring.close();
    }

    /** A pre-allocated ring slot. */
    static final class AccessEvent
    {
        String path;
        long bytes;
        String outcome;
        CacheTierName tier;
        long firstByteNanos = -1;

        void set(
            final String path, final long bytes, final String outcome, final CacheTierName tier, final long firstByteNanos)
        {
            this.path = path;
            this.bytes = bytes;
            this.outcome = outcome;
            this.tier = tier;
            this.firstByteNanos = firstByteNanos;
        }
    }
}
