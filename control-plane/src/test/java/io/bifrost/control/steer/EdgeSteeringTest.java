package io.bifrost.control.steer;

import io.bifrost.control.edges.EdgeRegistry;
import io.bifrost.control.edges.Heartbeat;
import io.bifrost.control.placement.PopularityScore;
import io.bifrost.control.telemetry.TelemetryAggregator;
import io.bifrost.protocol.sbe.EdgeHealth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeSteeringTest
{
    private static final long NOW = 1_767_225_600_000L;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final EdgeRegistry registry = new EdgeRegistry(3_000, meters);
    private final TelemetryAggregator telemetry = new TelemetryAggregator(64, meters);
    private final EdgeSteering steering = new EdgeSteering(registry,
        new ViewRate(telemetry, new PopularityScore(), 600), 1_000_000_000L, 0.85);

    private void edge(final String id, final String region, final int cpuPermille, final long egressBps,
        final EdgeHealth health)
    {
        registry.onHeartbeat(new Heartbeat(id, region, "http://" + id, NOW, 0, 1, 100, 0, 0, 0, egressBps, 0, cpuPermille,
            health), NOW);
    }

    @Test
    void shouldGiveAColdContentOneEdgeAndAHotOneEveryEdgeOfTheRegion()
    {
        for (int i = 0; i < 6; i++)
        {
            edge("e" + i, "eu", 100, 0, EdgeHealth.UP);
        }
        assertThat(steering.steer("vod/cold", "/vod/cold/master.m3u8", "eu", "1.2.3.4", NOW).replicas()).hasSize(1);

        // 600 000 viewer-seconds in the last hour: a mean of ~167 viewers, ~1000 views an hour with 10 min views.
        telemetry.onContent(NOW, "e0", "eu", 1_000, "vod/hot", 1, 1, 1, 0, 0, 0, 601_000);
        final SteerDecision hot = steering.steer("vod/hot", "/vod/hot/master.m3u8", "eu", "1.2.3.4", NOW);
        assertThat(hot.temperature()).isEqualTo("hot");
        assertThat(hot.replicas()).hasSize(6);

        final Set<String> chosen = new HashSet<>();
        for (int client = 0; client < 50; client++)
        {
            chosen.add(steering.steer("vod/hot", "/vod/hot/master.m3u8", "eu", "10.0.0." + client, NOW).edgeId());
        }
        assertThat(chosen).as("viewers of a hot content spread over its replicas").hasSizeGreaterThan(3);
        assertThat(steering.steer("vod/hot", "/p", "eu", "10.0.0.7", NOW).edgeId())
            .isEqualTo(steering.steer("vod/hot", "/p", "eu", "10.0.0.7", NOW).edgeId());
    }

    @Test
    void shouldShedOverloadedEdgesToTheNextInTheRankingAndPickTheLeastLoadedWhenAllAre()
    {
        edge("a", "eu", 100, 0, EdgeHealth.UP);
        edge("b", "eu", 100, 0, EdgeHealth.UP);
        final String first = steering.steer("vod/x", "/p", "eu", null, NOW).edgeId();
        final String second = first.equals("a") ? "b" : "a";

        edge(first, "eu", 950, 0, EdgeHealth.UP);
        final SteerDecision shed = steering.steer("vod/x", "/p", "eu", null, NOW);
        assertThat(shed.edgeId()).isEqualTo(second);
        assertThat(shed.shed()).containsExactly(first);

        edge(second, "eu", 100, 900_000_000L, EdgeHealth.UP); // 90 % of its egress
        assertThat(steering.steer("vod/x", "/p", "eu", null, NOW).edgeId()).isEqualTo(second); // 0.90 < 0.95
    }

    @Test
    void shouldPreferUpEdgesOverDegradedOnesAndFallBackToOtherRegions()
    {
        edge("d", "eu", 100, 0, EdgeHealth.DEGRADED);
        edge("u", "us", 100, 0, EdgeHealth.UP);
        assertThat(steering.steer("vod/x", "/p", "eu", null, NOW).edgeId()).isEqualTo("d");
        edge("up", "eu", 100, 0, EdgeHealth.UP);
        for (int i = 0; i < 20; i++)
        {
            assertThat(steering.steer("vod/x" + i, "/p", "eu", null, NOW).edgeId()).isEqualTo("up");
        }
        final SteerDecision fallback = steering.steer("vod/x", "/p", "ap", null, NOW);
        assertThat(fallback.fallback()).isTrue();
        assertThat(fallback.edgeId()).isIn("u", "up");
        edge("up", "eu", 100, 0, EdgeHealth.DRAINING);
        edge("d", "eu", 100, 0, EdgeHealth.DRAINING);
        edge("u", "us", 100, 0, EdgeHealth.DRAINING);
        assertThat(steering.steer("vod/x", "/p", "eu", null, NOW)).isNull();
    }
}
