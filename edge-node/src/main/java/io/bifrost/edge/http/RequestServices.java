package io.bifrost.edge.http;

import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.fill.FillCoalescer;
import io.bifrost.edge.live.LiveWindowStore;
import io.bifrost.edge.ring.AccessRing;
import io.bifrost.edge.ring.TierRing;
import io.bifrost.protocol.naming.PathRejection;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What every viewer connection ({@link EdgeRequestHandler}) shares: the tiers, the rings, the fill path and the
 * request meters. Immutable; every part is thread-safe.
 *
 * @param tierRing      SSD lookups and writes (and RAM lookups in ring mode); null without SSD tier and in inline mode.
 * @param ramHitViaRing true for {@link RamHitPath#RING} (then {@code tierRing} is set).
 * @param accessRing    one access event per request; null records none.
 * @param live          the live window replicated from the origin over Aeron, asked first for live paths; null when
 *                      the edge does not follow the live stream.
 */
record RequestServices(
    TokenGate tokenGate,
    RamTier ramTier,
    long staleIfErrorMs,
    long requestHeadTimeoutMs,
    LongSupplier clock,
    FillCoalescer coalescer,
    AtomicInteger openConnections,
    Map<EdgeRequestHandler.Outcome, Counter> outcomes,
    Map<PathRejection, Counter> rejections,
    Supplier<Readiness> readiness,
    Supplier<String> metricsText,
    TierRing tierRing,
    boolean ramHitViaRing,
    AccessRing accessRing,
    LiveWindowStore live)
{
    RequestServices
    {
        if (ramHitViaRing && tierRing == null)
        {
            throw new IllegalArgumentException("the ring RAM hit path needs a tier ring");
        }
    }

    /**
     * The one way to make the shared services: registers the request meters ({@code bifrost.edge.requests},
     * {@code bifrost.edge.connections.open}, {@code bifrost.edge.rejected.paths}) in {@code registry}.
     */
    static RequestServices create(
        final TokenGate tokenGate,
        final RamTier ramTier,
        final long staleIfErrorMs,
        final long requestHeadTimeoutMs,
        final LongSupplier clock,
        final FillCoalescer coalescer,
        final MeterRegistry registry,
        final Supplier<Readiness> readiness,
        final Supplier<String> metricsText,
        final TierRing tierRing,
        final boolean ramHitViaRing,
        final AccessRing accessRing,
        final LiveWindowStore live)
    {
        final Map<EdgeRequestHandler.Outcome, Counter> outcomes = new EnumMap<>(EdgeRequestHandler.Outcome.class);
        for (final EdgeRequestHandler.Outcome outcome : EdgeRequestHandler.Outcome.values())
        {
            outcomes.put(outcome, Counter.builder("bifrost.edge.requests")
                .description("viewer requests by how they ended")
                .tag("outcome", outcome.tag).register(registry));
        }
        final AtomicInteger open = new AtomicInteger();
        Gauge.builder("bifrost.edge.connections.open", open, AtomicInteger::get)
            .description("viewer connections open now").register(registry);
        final Map<PathRejection, Counter> rejections = new EnumMap<>(PathRejection.class);
        for (final PathRejection rejection : PathRejection.values())
        {
            rejections.put(rejection, Counter.builder("bifrost.edge.rejected.paths")
                .description("requests refused because the path names no content")
                .tag("reason", rejection.code()).register(registry));
        }
        return new RequestServices(tokenGate, ramTier, staleIfErrorMs, requestHeadTimeoutMs, clock, coalescer, open,
            outcomes, rejections, readiness, metricsText, tierRing, ramHitViaRing, accessRing, live);
    }
}
