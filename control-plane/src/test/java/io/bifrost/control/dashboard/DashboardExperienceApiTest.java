package io.bifrost.control.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.protocol.sbe.EdgeHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.bifrost.control.dashboard.DashboardFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's experience charts' data over real HTTP: QoE sums in edge telemetry sent over Aeron IPC (as an edge
 * sends them after the reference player's beacons) come back minute by minute from
 * {@code GET /api/v1/dashboard/experience}, fleet-wide and per content. Its own control plane, so the traffic numbers
 * of {@link DashboardApiTest} are not mixed with these.
 */
class DashboardExperienceApiTest
{
    @RegisterExtension
    static final DashboardFixture dashboard = new DashboardFixture();

    @Test
    void shouldChartViewersExperiencePerMinuteFleetWideAndPerContent() throws Exception
    {
        dashboard.edges().heartbeat("q1", "us-east", "http://q1.example.net:8080", T0 - 60_000, 100, EdgeHealth.UP);
        dashboard.edges().heartbeat("q2", "eu-west", "http://q2.example.net:8080", T0 - 60_000, 100, EdgeHealth.UP);
        // {beacons, startup p50 ms, stalls, stalled ms, switches, played ms, kb/s, first byte p50 us, p99 us}
        dashboard.edges().telemetryWithQoe("q1", "us-east", "vod/qoe-a", 10,
            new int[] {2, 400, 1, 1_000, 1, 9_000, 3_000, 2_000, 9_000});
        dashboard.edges().telemetryWithQoe("q2", "eu-west", "vod/qoe-b", 30,
            new int[] {6, 800, 0, 0, 0, 27_000, 1_000, 4_000, 20_000});
        await().until(() ->
            dashboard.operator("/api/v1/dashboard/experience?content=vod/qoe-b").data().path("samples").size() == 1);

        final JsonNode fleet = dashboard.operator("/api/v1/dashboard/experience").data();
        assertThat(fleet.path("content").isNull()).isTrue();
        assertThat(fleet.path("bucket_seconds").asDouble()).isEqualTo(60.0);
        final JsonNode minute = fleet.path("samples").get(fleet.path("samples").size() - 1);
        assertThat(minute.path("at_ms").asLong()).isEqualTo(dashboard.clock().millis() / 60_000 * 60_000);
        assertThat(minute.path("qoe_beacons").asLong()).isGreaterThanOrEqualTo(8);
        final JsonNode b = dashboard.operator("/api/v1/dashboard/experience?content=vod/qoe-b").data();
        assertThat(b.path("content").asText()).isEqualTo("vod/qoe-b");
        final JsonNode only = b.path("samples").get(0);
        assertThat(only.path("qoe_beacons").asLong()).isEqualTo(6);
        assertThat(only.path("startup_p50_millis").asLong()).isEqualTo(800);
        assertThat(only.path("mean_bitrate_kbps").asLong()).isEqualTo(1_000);
        assertThat(only.path("rebuffer_ratio").asDouble()).isZero();
        assertThat(only.path("first_byte_p99_micros").asLong()).isEqualTo(20_000);
        final JsonNode a =
            dashboard.operator("/api/v1/dashboard/experience?content=vod/qoe-a").data().path("samples").get(0);
        assertThat(a.path("rebuffer_ratio").asDouble()).isEqualTo(1_000 / 10_000.0);
        assertThat(a.path("rebuffers").asLong()).isEqualTo(1);
        assertThat(dashboard.operator("/api/v1/dashboard/experience?content=vod/never-seen").data().path("samples"))
            .isEmpty();
    }
}
