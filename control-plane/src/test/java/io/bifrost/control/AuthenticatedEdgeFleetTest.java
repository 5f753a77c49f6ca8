package io.bifrost.control;

import com.sun.net.httpserver.HttpServer;
import io.bifrost.control.edges.TestEdgeSender;
import io.bifrost.control.placement.PlacementPlanner;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.sbe.EdgeHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The control plane and real edges in one JVM (one shared Aeron media driver, IPC), with {@code control.fleet-keys}
 * set: an edge with the same keys registers, reports telemetry and acts on the placement commands its traffic causes;
 * an edge with another secret and a sender that does not sign at all are refused by the control plane (never
 * registered), and the other-secret edge refuses every placement command it hears. Each refusal is counted by reason.
 */
class AuthenticatedEdgeFleetTest
{
    private static final String FLEET_KEYS = "fleet1:" + java.util.Base64.getUrlEncoder().encodeToString(
        "the fleet's shared secret, 32+ bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    private static final String OTHER_KEYS = "fleet1:" + java.util.Base64.getUrlEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dir;

    private final SimpleMeterRegistry controlMeters = new SimpleMeterRegistry();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private HttpServer origin;
    private ControlPlane.Running control;
    private EmbeddedAeron aeron;

    @AfterEach
    void stop()
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(closeables.get(i));
        }
        CloseHelper.close(control);
        CloseHelper.close(aeron);
        if (origin != null)
        {
            origin.stop(0);
        }
    }

    private int startEdge(final String id, final String keys, final MeterRegistry meters)
    {
        final InProcessEdge edge = InProcessEdge.start(aeron, dir.resolve(id), id, InProcessEdge.url(origin), keys, meters,
            context -> context);
        closeables.add(edge);
        return edge.port();
    }

    private static double count(final MeterRegistry meters, final String name, final String tag, final String value)
    {
        final Counter counter = meters.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldTrustOnlyEdgesWithTheFleetKeys() throws Exception
    {
        origin = InProcessEdge.origin(new byte[2048]);
        control = ControlPlane.launch(new ControlPlane.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(dir.resolve("control")).meterRegistry(controlMeters)
            .aeronEnabled(true).aeronDirectory(dir.resolve("aeron")).edgeEndpoint("").placementEndpoint("")
            .fleetKeys(FLEET_KEYS)
            .heartbeatTimeout(Duration.ofSeconds(1)).meanViewSeconds(1)
            .placement(new PlacementPlanner.Context().policy("seed").intervalMs(300).hotScore(5).warmScore(1)
                .renewBeforeMs(1_000)));
        aeron = EmbeddedAeron.acquire(dir.resolve("aeron"), false);
        final SimpleMeterRegistry memberMeters = new SimpleMeterRegistry();
        final SimpleMeterRegistry strangerMeters = new SimpleMeterRegistry();
        final int member = startEdge("member", FLEET_KEYS, memberMeters);
        startEdge("stranger", OTHER_KEYS, strangerMeters);
        final TestEdgeSender unsigned = new TestEdgeSender(aeron.aeron(), AeronChannels.CONTROL_IPC_PUBLICATION_CHANNEL);
        closeables.add(unsigned);

        try (ApiClient api = new ApiClient("127.0.0.1", control.port()); HttpClient http = HttpClient.newHttpClient())
        {
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/edges").data().path("up").asInt() == 1);
            unsigned.heartbeat("forged", "eu-west", "http://evil.example:8080", 1, 0, EdgeHealth.UP);

            // Viewers make a title hot on the member: its signed telemetry counts, and placement reaches it.
            for (int msn = 0; msn < 12; msn++)
            {
                assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + member + "/vod/hot/720p/" +
                    msn + ".m4s")).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(30)).until(() ->
                api.get("/api/v1/content/top?window=minute").data().path("contents").path(0).path("requests").asLong() == 12);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                count(memberMeters, "bifrost.edge.placement.commands", "result", "accepted") >= 1 &&
                count(strangerMeters, "bifrost.edge.placement.auth.rejected", "reason", "bad_mac") >= 1 &&
                count(controlMeters, "bifrost.control.edge.auth.rejected", "reason", "missing") >= 1);

            assertThat(count(memberMeters, "bifrost.edge.placement.auth.rejected", "reason", "bad_mac")).isZero();
            assertThat(count(controlMeters, "bifrost.control.edge.auth.rejected", "reason", "bad_mac"))
                .as("the stranger's heartbeats").isGreaterThanOrEqualTo(1);
            assertThat(count(strangerMeters, "bifrost.edge.placement.commands", "result", "accepted")).isZero();
            assertThat(api.get("/api/v1/edges").data().path("edges").findValuesAsText("edge_id"))
                .containsExactly("member");
        }
    }
}
