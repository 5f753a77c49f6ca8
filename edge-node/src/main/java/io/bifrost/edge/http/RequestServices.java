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
    /**
     * The one way to make the shared services: concludes {@code context}, then registers the request meters
     * ({@code bifrost.edge.requests}, {@code bifrost.edge.connections.open}, {@code bifrost.edge.rejected.paths}) in
     * its registry.
     *
     * @throws IllegalArgumentException from {@link Context#conclude()}.
     */
    static RequestServices create(final Context context)
    {
        context.conclude();
        final MeterRegistry registry = context.meterRegistry;
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
        return new RequestServices(context.tokenGate, context.ramTier, context.staleIfErrorMs,
            context.requestHeadTimeoutMs, context.clock, context.coalescer, open, outcomes, rejections,
            context.readiness, context.metricsText, context.tierRing, context.ramHitViaRing, context.accessRing,
            context.live);
    }

    /**
     * What {@link #create} is made from. Mutable until {@link #conclude()}; not thread-safe. The tiers, the fill path
     * and the token gate are required; the optional parts (tier ring, access ring, live window) stay null when unset.
     */
    static final class Context
    {
        private TokenGate tokenGate;
        private RamTier ramTier;
        private long staleIfErrorMs = -1;
        private long requestHeadTimeoutMs = -1;
        private LongSupplier clock = System::currentTimeMillis;
        private FillCoalescer coalescer;
        private MeterRegistry meterRegistry;
        private Supplier<Readiness> readiness = Readiness::up;
        private Supplier<String> metricsText = () -> "";
        private TierRing tierRing;
        private boolean ramHitViaRing;
        private AccessRing accessRing;
        private LiveWindowStore live;

        /** Signed-path checks (required). */
        Context tokenGate(final TokenGate gate) { this.tokenGate = gate; return this; }
        /** The RAM tier (required). */
        Context ramTier(final RamTier tier) { this.ramTier = tier; return this; }
        /**
         * How long past expiry a copy may stand in for a failing origin when its Cache-Control names no window, in ms
         * (required, >= 0).
         */
        Context staleIfErrorMs(final long ms) { this.staleIfErrorMs = ms; return this; }
        /** Once a request's first byte arrives, its headers must be complete within this, in ms (required, > 0). */
        Context requestHeadTimeoutMs(final long ms) { this.requestHeadTimeoutMs = ms; return this; }
        /** Wall clock in epoch ms for freshness and Age (default {@code System::currentTimeMillis}). */
        Context clock(final LongSupplier clock) { this.clock = clock; return this; }
        /** The fill path to the origin on a miss (required). */
        Context coalescer(final FillCoalescer coalescer) { this.coalescer = coalescer; return this; }
        /** Where the request meters go (required: they are what operators read). */
        Context meterRegistry(final MeterRegistry registry) { this.meterRegistry = registry; return this; }
        /** What {@code /readyz} on the edge port reports (default: always ready). */
        Context readiness(final Supplier<Readiness> readiness) { this.readiness = readiness; return this; }
        /** The Prometheus text {@code /metrics} on the edge port serves (default: empty). */
        Context metricsText(final Supplier<String> text) { this.metricsText = text; return this; }
        /** SSD lookups and writes (and RAM lookups in ring mode); null (default) without SSD tier in inline mode. */
        Context tierRing(final TierRing ring) { this.tierRing = ring; return this; }
        /** True for {@link RamHitPath#RING}: RAM hits go through the tier ring, which must then be set. */
        Context ramHitViaRing(final boolean viaRing) { this.ramHitViaRing = viaRing; return this; }
        /** One access event per request; null (default) records none. */
        Context accessRing(final AccessRing ring) { this.accessRing = ring; return this; }
        /** The live window asked first for live paths; null (default) when the edge does not follow live streams. */
        Context live(final LiveWindowStore live) { this.live = live; return this; }

        /**
         * Validate.
         *
         * @return this.
         * @throws IllegalArgumentException naming what is missing or inconsistent.
         */
        Context conclude()
        {
            if (tokenGate == null || ramTier == null || coalescer == null || meterRegistry == null)
            {
                throw new IllegalArgumentException("request services: the token gate, RAM tier, fill coalescer and " +
                    "meter registry are required");
            }
            if (clock == null || readiness == null || metricsText == null)
            {
                throw new IllegalArgumentException(
                    "request services: clock, readiness and metrics text must not be null");
            }
            if (staleIfErrorMs < 0 || requestHeadTimeoutMs <= 0)
            {
                throw new IllegalArgumentException("request services: stale-if-error must be >= 0 ms and the request " +
                    "head timeout > 0 ms, got " + staleIfErrorMs + " and " + requestHeadTimeoutMs);
            }
            if (ramHitViaRing && tierRing == null)
            {
                throw new IllegalArgumentException("the ring RAM hit path needs a tier ring");
            }
            return this;
        }
    }
}
