package io.bifrost.edge.http;

import io.bifrost.edge.cache.policy.SegmentAwarePolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.fill.FillCoalescer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestServicesTest
{
    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private RamTier ramTier;
    private FillCoalescer coalescer;

    @BeforeEach
    void setUp()
    {
        ramTier = RamTier.open(dir, 1L << 20, 16 * 1024, 1L << 20, SegmentAwarePolicy::new, registry);
        coalescer = new FillCoalescer(fill ->
        {
            throw new AssertionError("no request reaches the origin in this test");
        }, 1L << 20, UnpooledByteBufAllocator.DEFAULT, (key, head, body) -> { }, registry);
    }

    @AfterEach
    void tearDown()
    {
        ramTier.close();
    }

    private RequestServices.Context complete()
    {
        return new RequestServices.Context()
            .tokenGate(new TokenGate(List.of(), null, registry))
            .ramTier(ramTier)
            .staleIfErrorMs(60_000)
            .requestHeadTimeoutMs(10_000)
            .coalescer(coalescer)
            .meterRegistry(registry);
    }

    @Test
    void shouldRegisterTheRequestMetersWhenCreated()
    {
        final RequestServices services = RequestServices.create(complete().clock(() -> 42L));

        assertThat(services.clock().getAsLong()).isEqualTo(42L);
        assertThat(services.staleIfErrorMs()).isEqualTo(60_000);
        assertThat(services.requestHeadTimeoutMs()).isEqualTo(10_000);
        assertThat(services.readiness().get().ready()).isTrue();
        assertThat(services.tierRing()).isNull();
        assertThat(services.live()).isNull();
        assertThat(registry.find("bifrost.edge.requests").counters())
            .hasSize(EdgeRequestHandler.Outcome.values().length);
        assertThat(registry.find("bifrost.edge.rejected.paths").counters()).isNotEmpty();
        services.openConnections().incrementAndGet();
        assertThat(registry.get("bifrost.edge.connections.open").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void shouldRefuseTheRingRamHitPathWhenThereIsNoTierRing()
    {
        assertThatThrownBy(() -> RequestServices.create(complete().ramHitViaRing(true)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tier ring");
    }

    @Test
    void shouldRefuseWhenARequiredPartIsMissing()
    {
        assertThatThrownBy(() -> RequestServices.create(complete().coalescer(null)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("required");
        assertThatThrownBy(() -> RequestServices.create(complete().meterRegistry(null)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("required");
    }

    @Test
    void shouldRefuseWhenTheTimeoutsAreNotSet()
    {
        final RequestServices.Context noTimeouts = new RequestServices.Context()
            .tokenGate(new TokenGate(List.of(), null, registry))
            .ramTier(ramTier)
            .coalescer(coalescer)
            .meterRegistry(registry);

        assertThatThrownBy(() -> RequestServices.create(noTimeouts))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("head timeout");
    }
}
