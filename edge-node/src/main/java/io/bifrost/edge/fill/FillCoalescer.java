package io.bifrost.edge.fill;

import io.bifrost.protocol.naming.ContentKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBufAllocator;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;

/**
 * Request coalescing: N concurrent misses for one path become one origin fetch, whose bytes stream to all N.
 *
 * <p>The first miss for a path creates an {@link OriginFill} and starts the fetch; later misses attach to it while it
 * runs (joining mid-body replays what arrived so far). A fill leaves the in-flight map when it ends, so the next miss
 * after that starts a new fetch. Thread-safe.
 *
 * <p>Loop guard ({@link FillHops}): a miss on a request that has already passed through {@code maxHops} Bifrost edges
 * is not forwarded (nor joined to a fill in flight, which could be the very fill waiting for it): its listener gets
 * {@link FillFailure.Reason#LOOP_DETECTED} (508) at once, counted as {@code bifrost.edge.fill.loops}.
 */
public final class FillCoalescer
{
    private final ConcurrentHashMap<String, OriginFill> inFlight = new ConcurrentHashMap<>();
    private final OriginFetcher client;
    private final long maxObjectBytes;
    private final ByteBufAllocator allocator;
    private final FilledObjectSink sink;
    private final Counter fillsStarted;
    private final Counter coalesced;
    private final Timer firstByte;
    private final Timer completedFill;
    private final Counter failedFills;
    private final ObjLongConsumer<String> fillTimes;
    private final int maxHops;
    private final Counter loops;

    /**
     * @param client         fetches from the origins.
     * @param maxObjectBytes largest object a fill holds.
     * @param allocator      allocator for fill bodies.
     * @param sink           receives every complete fill (the cache tiers).
     * @param registry       where {@code bifrost.edge.fills} (started), {@code bifrost.edge.fill.coalesced} (requests
     *                       that joined a running fill) and {@code bifrost.edge.fills.inflight} are registered.
     */
    public FillCoalescer(
        final OriginFetcher client,
        final long maxObjectBytes,
        final ByteBufAllocator allocator,
        final FilledObjectSink sink,
        final MeterRegistry registry)
    {
        this(client, maxObjectBytes, allocator, sink, registry, (path, nanos) -> { });
    }

    /**
     * @param client         fetches from the origins.
     * @param maxObjectBytes largest object a fill holds.
     * @param allocator      allocator for fill bodies.
     * @param sink           receives every complete fill (the cache tiers).
     * @param registry       where the fill meters are registered.
     * @param fillTimes      told the path and the duration in nanoseconds (start to last byte) of every completed fill,
     *                       on the thread that completed it (per-content telemetry); must be quick.
     */
    public FillCoalescer(
        final OriginFetcher client,
        final long maxObjectBytes,
        final ByteBufAllocator allocator,
        final FilledObjectSink sink,
        final MeterRegistry registry,
        final ObjLongConsumer<String> fillTimes)
    {
        this(client, maxObjectBytes, allocator, sink, registry, fillTimes, FillHops.DEFAULT_MAX_HOPS);
    }

    /**
     * @param client         fetches from the origins.
     * @param maxObjectBytes largest object a fill holds.
     * @param allocator      allocator for fill bodies.
     * @param sink           receives every complete fill (the cache tiers).
     * @param registry       where the fill meters are registered.
     * @param fillTimes      told the path and the duration in nanoseconds of every completed fill.
     * @param maxHops        a miss on a request that has passed through this many edges is refused with 508 instead
     *                       of forwarded ({@link FillHops}); at least 1.
     */
    public FillCoalescer(
        final OriginFetcher client,
        final long maxObjectBytes,
        final ByteBufAllocator allocator,
        final FilledObjectSink sink,
        final MeterRegistry registry,
        final ObjLongConsumer<String> fillTimes,
        final int maxHops)
    {
        if (maxHops < 1 || maxHops > FillHops.MAX_VALUE)
        {
            throw new IllegalArgumentException("max fill hops must be 1-" + FillHops.MAX_VALUE + ", got " + maxHops);
        }
        this.maxHops = maxHops;
        this.loops = Counter.builder("bifrost.edge.fill.loops")
            .description("misses not forwarded because the request had passed through too many edges (508)")
            .register(registry);
        this.fillTimes = fillTimes;
        this.client = client;
        this.maxObjectBytes = maxObjectBytes;
        this.allocator = allocator;
        this.sink = sink;
        this.fillsStarted = Counter.builder("bifrost.edge.fills").description("origin fetches started").register(registry);
        this.coalesced = Counter.builder("bifrost.edge.fill.coalesced")
            .description("requests served by joining a fetch already in flight").register(registry);
        this.firstByte = Timer.builder("bifrost.edge.fill.first.byte")
            .description("time from the start of an origin fill to the origin's response head")
            .publishPercentiles(0.5, 0.99).register(registry);
        this.completedFill = Timer.builder("bifrost.edge.fill.duration")
            .description("time from the start of an origin fill to its last byte, completed fills")
            .publishPercentiles(0.5, 0.99).register(registry);
        this.failedFills = Counter.builder("bifrost.edge.fills.failed").description("origin fills that failed").register(registry);
        Gauge.builder("bifrost.edge.fills.inflight", inFlight, ConcurrentHashMap::size)
            .description("origin fetches in flight").register(registry);
    }

    /**
     * Deliver an object to a listener, joining the fetch in flight or starting one.
     *
     * @param key      what to fetch; its path is the coalescing key.
     * @param listener receives the head, the bytes and the outcome.
     * @return the fill the listener is attached to (to detach it if the viewer leaves).
     */
    public OriginFill request(final ContentKey key, final FillListener listener)
    {
        return request(key, listener, 0);
    }

    /**
     * Deliver an object to a listener for a request that has already passed through {@code hops} Bifrost edges
     * ({@link FillHops#parse} of its {@value FillHops#HEADER} header).
     *
     * @param key      what to fetch; its path is the coalescing key.
     * @param listener receives the head, the bytes and the outcome.
     * @param hops     edges the request passed through (0 for a viewer).
     * @return the fill the listener is attached to, or null when the request was refused (too many hops or
     *     {@link FillHops#MALFORMED}): the listener already got {@link FillFailure.Reason#LOOP_DETECTED}.
     */
    public OriginFill request(final ContentKey key, final FillListener listener, final int hops)
    {
        if (hops >= maxHops || hops < 0)
        {
            loops.increment();
            listener.onError(new FillFailure(FillFailure.Reason.LOOP_DETECTED, key.path() + " was not forwarded: " +
                "the request has passed through " + (hops < 0 ? "an unreadable number of" : hops) + " edges, the " +
                "limit is " + maxHops + " (check the edges' origin lists for a circle)", false));
            return null;
        }
        final String path = key.path();
        while (true)
        {
            final OriginFill running = inFlight.get(path);
            if (running != null)
            {
                if (running.attach(listener))
                {
                    coalesced.increment();
                    return running;
                }
                inFlight.remove(path, running);
                continue;
            }
            final OriginFill fill = new OriginFill(key, maxObjectBytes, allocator, sink, this::onEnd, hops);
            if (inFlight.putIfAbsent(path, fill) == null)
            {
                fill.attach(listener);
                fillsStarted.increment();
                client.fetch(fill);
                return fill;
            }
        }
    }

    private void onEnd(final OriginFill fill)
    {
        inFlight.remove(fill.path(), fill);
        final long firstByteNanos = fill.firstByteNanos();
        if (firstByteNanos >= 0)
        {
            firstByte.record(firstByteNanos, TimeUnit.NANOSECONDS);
        }
        if (fill.completed())
        {
            final long elapsedNanos = fill.elapsedNanos();
            completedFill.record(elapsedNanos, TimeUnit.NANOSECONDS);
            fillTimes.accept(fill.path(), elapsedNanos);
        }
        else
        {
            failedFills.increment();
        }
    }

    /**
     * @param path a path.
     * @return listeners waiting on the fill in flight for that path, 0 when none runs.
     */
    public int waiters(final String path)
    {
        final OriginFill fill = inFlight.get(path);
        return fill == null ? 0 : fill.waiters();
    }
}
