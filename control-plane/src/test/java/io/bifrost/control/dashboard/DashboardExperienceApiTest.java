package io.bifrost.control.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.control.ControlPlane;
import io.bifrost.control.MutableClock;
import io.bifrost.control.edges.TestEdgeSender;
import io.bifrost.control.playback.HttpJson;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.sbe.EdgeHealth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's experience charts' data over real HTTP: QoE sums in edge telemetry sent over Aeron IPC (as an edge
 * sends them after the reference player's beacons) come back minute by minute from
 * {@code GET /api/v1/dashboard/experience}, fleet-wide and per content. Its own control plane, so the traffic numbers
 * of {@link DashboardApiTest} are not mixed with these.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardExperienceApiTest
{
    private static final long T0 = 1_767_225_600_000L;
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";

    @TempDir
    static Path dataDir;

    private final MutableClock clock = new MutableClock(T0);
    private ControlPlane.Running control;
    private EmbeddedAeron aeron;
    private TestEdgeSender edges;
    private HttpJson api;

    @BeforeAll
    void start()
    {
        final Path aeronDir = dataDir.resolve("aeron");
        control = ControlPlane.launch(new ControlPlane.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(dataDir.resolve("db")).meterRegistry(new SimpleMeterRegistry()).clock(clock).adminToken(ADMIN_TOKEN)
            .aeronEnabled(true).aeronDirectory(aeronDir).edgeEndpoint("").placementEndpoint("")
            .heartbeatTimeout(Duration.ofSeconds(30)));
        aeron = EmbeddedAeron.acquire(aeronDir, false);
        edges = new TestEdgeSender(aeron.aeron(), AeronChannels.CONTROL_IPC_PUBLICATION_CHANNEL);
        api = new HttpJson(control.port());
    }

    @AfterAll
    void stop()
    {
        api.close();
        edges.close();
        control.close();
        aeron.close();
    }

    private HttpJson.Answer operator(final String path) throws Exception
    {
        return api.send("GET", path, null, ADMIN_TOKEN);
    }

    @Test
    void shouldChartViewersExperiencePerMinuteFleetWideAndPerContent() throws Exception
    {
        edges.heartbeat("q1", "us-east", "http://q1.example.net:8080", T0 - 60_000, 100, EdgeHealth.UP);
        edges.heartbeat("q2", "eu-west", "http://q2.example.net:8080", T0 - 60_000, 100, EdgeHealth.UP);
        // {beacons, startup p50 ms, stalls, stalled ms, switches, played ms, kb/s, first byte p50 us, p99 us}
        edges.telemetryWithQoe("q1", "us-east", "vod/qoe-a", 10, new int[] {2, 400, 1, 1_000, 1, 9_000, 3_000, 2_000, 9_000});
        edges.telemetryWithQoe("q2", "eu-west", "vod/qoe-b", 30, new int[] {6, 800, 0, 0, 0, 27_000, 1_000, 4_000, 20_000});
        await().until(() -> operator("/api/v1/dashboard/experience?content=vod/qoe-b").data().path("samples").size() == 1);

        final JsonNode fleet = operator("/api/v1/dashboard/experience").data();
        assertThat(fleet.path("content").isNull()).isTrue();
        assertThat(fleet.path("bucket_seconds").asDouble()).isEqualTo(60.0);
        final JsonNode minute = fleet.path("samples").get(fleet.path("samples").size() - 1);
        assertThat(minute.path("at_ms").asLong()).isEqualTo(clock.millis() / 60_000 * 60_000);
        assertThat(minute.path("qoe_beacons").asLong()).isGreaterThanOrEqualTo(8);
        final JsonNode b = operator("/api/v1/dashboard/experience?content=vod/qoe-b").data();
        assertThat(b.path("content").asText()).isEqualTo("vod/qoe-b");
        final JsonNode only = b.path("samples").get(0);
        assertThat(only.path("qoe_beacons").asLong()).isEqualTo(6);
        assertThat(only.path("startup_p50_millis").asLong()).isEqualTo(800);
        assertThat(only.path("mean_bitrate_kbps").asLong()).isEqualTo(1_000);
        assertThat(only.path("rebuffer_ratio").asDouble()).isZero();
        assertThat(only.path("first_byte_p99_micros").asLong()).isEqualTo(20_000);
        final JsonNode a = operator("/api/v1/dashboard/experience?content=vod/qoe-a").data().path("samples").get(0);
        assertThat(a.path("rebuffer_ratio").asDouble()).isEqualTo(1_000 / 10_000.0);
        assertThat(a.path("rebuffers").asLong()).isEqualTo(1);
        assertThat(operator("/api/v1/dashboard/experience?content=vod/never-seen").data().path("samples")).isEmpty();
    }
}
