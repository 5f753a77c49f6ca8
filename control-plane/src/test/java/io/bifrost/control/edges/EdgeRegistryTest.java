package io.bifrost.control.edges;

import io.bifrost.protocol.sbe.EdgeHealth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeRegistryTest
{
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final EdgeRegistry registry = new EdgeRegistry(3_000, meters);
    private final CachedEpochClock clock = new CachedEpochClock();
    private final EdgeLivenessAgent liveness = new EdgeLivenessAgent(registry, clock, 100);

    private static Heartbeat heartbeat(final String id, final long sequence, final long startTimeMs)
    {
        return new Heartbeat(id, "eu", "http://" + id + ":8080", 0, sequence, startTimeMs, 100, 10, 0, 0, 0, 1, 50,
            EdgeHealth.UP);
    }

    @Test
    void shouldMarkAnEdgeDownOnlyAfterTheTimeoutAndBringItBackOnItsNextHeartbeat()
    {
        clock.update(10_000);
        registry.onHeartbeat(heartbeat("e1", 0, 1), clock.time());
        liveness.doWork();

        clock.update(13_000);                       // exactly the timeout: still up
        liveness.doWork();
        assertThat(registry.edge("e1").status()).isEqualTo(EdgeStatus.UP);

        clock.update(13_101);
        assertThat(liveness.doWork()).isEqualTo(1);
        assertThat(registry.edge("e1").status()).isEqualTo(EdgeStatus.DOWN);
        assertThat(registry.edge("e1").downSinceMs()).isEqualTo(13_101);

        registry.onHeartbeat(heartbeat("e1", 4, 1), 14_000);
        assertThat(registry.edge("e1").status()).isEqualTo(EdgeStatus.UP);
        assertThat(registry.edge("e1").lostHeartbeats()).isEqualTo(3);
        assertThat(meters.counter("bifrost.control.edges.down").count()).isEqualTo(1);
        assertThat(meters.counter("bifrost.control.edges.recovered").count()).isEqualTo(1);
    }

    @Test
    void shouldDetectARestartByANewStartTime()
    {
        registry.onHeartbeat(heartbeat("e1", 7, 1_000), 5_000);
        final EdgeSnapshot restarted = registry.onHeartbeat(heartbeat("e1", 0, 4_000), 6_000);

        assertThat(restarted.restarts()).isEqualTo(1);
        assertThat(restarted.startTimeMs()).isEqualTo(4_000);
        assertThat(restarted.firstSeenMs()).isEqualTo(5_000);
        assertThat(meters.counter("bifrost.control.edges.restarts").count()).isEqualTo(1);
    }

    @Test
    void shouldRefuseHeartbeatsWithoutIdentity()
    {
        assertThat(registry.onHeartbeat(heartbeat(" ", 0, 1), 1)).isNull();
        assertThat(registry.edges()).isEmpty();
        assertThat(meters.counter("bifrost.control.edges.refused").count()).isEqualTo(1);
    }
}
