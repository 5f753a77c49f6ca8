package io.bifrost.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.bifrost.edge.EdgeNode;
import io.bifrost.protocol.node.RunningRole;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

/**
 * A QoE beacon from the reference player, POSTed to a real edge, reaches the control plane's telemetry: one control
 * plane and one edge in one JVM (shared Aeron media driver, IPC, real SBE), a JDK HTTP server as a slow origin. The
 * operator API's content, edge and region traffic then carry the edge's first-byte and fill latencies and the beacon's
 * startup, stalls, switches and bitrate.
 */
class QoeTelemetryTest
{
    private static final long ORIGIN_DELAY_MS = 30;
    private static final String BEACON = "{\"v\":1,\"id\":\"film\",\"kind\":\"vod\",\"session\":\"0123456789abcdef\"," +
        "\"seq\":0,\"startupMs\":380,\"rebuffers\":1,\"rebufferMs\":1000,\"switchesUp\":2,\"switchesDown\":1," +
        "\"playedMs\":9000,\"bitrateBps\":1800000}";

    @TempDir
    Path dir;

    private HttpServer origin;
    private ControlPlane.Running control;
    private RunningRole edge;

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(edge, control);
        if (origin != null)
        {
            origin.stop(0);
        }
    }

    @Test
    void shouldShowAnEdgesLatenciesAndABeaconInTheControlPlanesTelemetry() throws Exception
    {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        origin.createContext("/", exchange ->
        {
            LockSupport.parkNanos(Duration.ofMillis(ORIGIN_DELAY_MS).toNanos());
            final byte[] body = new byte[2048];
            exchange.getResponseHeaders().set("Cache-Control", "public, max-age=3600");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();
        control = ControlPlane.launch(new ControlPlane.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(dir.resolve("control")).meterRegistry(new SimpleMeterRegistry())
            .aeronEnabled(true).aeronDirectory(dir.resolve("aeron")).edgeEndpoint("").placementEndpoint(""));
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        edge = EdgeNode.launch(new EdgeNode.Context().bindAddress("127.0.0.1").port(port).tlsPort(0)
            .dataDir(dir.resolve("edge")).ramBytes(8L << 20).meterRegistry(new SimpleMeterRegistry())
            .region("eu-west").edgeId("e1").publicUrl("http://127.0.0.1:" + port)
            .origins(List.of(URI.create("http://127.0.0.1:" + origin.getAddress().getPort())))
            .controlEndpoint("ipc").aeronDirectory(dir.resolve("aeron"))
            .heartbeatInterval(Duration.ofMillis(100)).telemetryInterval(Duration.ofMillis(200)));

        try (ApiClient api = new ApiClient("127.0.0.1", control.port());
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build())
        {
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/edges").data().path("up").asInt() == 1);
            for (int msn = 0; msn < 4; msn++)
            {
                assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/vod/film/720p/" +
                    msn + ".m4s")).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            }
            // The edge keeps beacons for content it is serving: wait until its telemetry has counted the requests.
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/content/top?window=minute").data()
                .path("contents").path(0).path("requests").asLong() == 4);
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/player/qoe"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BEACON)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(204);

            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/content/top?window=minute").data()
                .path("contents").path(0).path("experience").path("qoe_beacons").asLong() == 1);

            final JsonNode film = api.get("/api/v1/content/top?window=minute").data().path("contents").path(0);
            assertThat(film.path("key").asText()).isEqualTo("vod/film");
            final JsonNode experience = film.path("experience");
            assertThat(experience.path("first_byte_p50_micros").asLong()).isPositive();
            assertThat(experience.path("first_byte_p99_micros").asLong())
                .isGreaterThanOrEqualTo(experience.path("first_byte_p50_micros").asLong());
            assertThat(experience.path("fill_p50_micros").asLong()).isGreaterThanOrEqualTo(ORIGIN_DELAY_MS * 1000 * 15 / 16);
            assertThat(experience.path("startup_p50_millis").asDouble()).isCloseTo(380, withinPercentage(7));
            assertThat(experience.path("rebuffers").asLong()).isEqualTo(1);
            assertThat(experience.path("rebuffer_millis").asLong()).isEqualTo(1_000);
            assertThat(experience.path("rebuffer_ratio").asDouble()).isCloseTo(0.1, withinPercentage(1));
            assertThat(experience.path("switches").asLong()).isEqualTo(3);
            assertThat(experience.path("played_millis").asLong()).isEqualTo(9_000);
            assertThat(experience.path("mean_bitrate_kbps").asLong()).isEqualTo(1_800);

            final JsonNode region = api.get("/api/v1/regions?window=hour").data().path("regions").path("eu-west");
            assertThat(region.path("experience").path("qoe_beacons").asLong()).isEqualTo(1);
            assertThat(api.get("/api/v1/edges/e1").data().path("traffic").path("experience").path("qoe_beacons").asLong())
                .isEqualTo(1);
        }
    }
}
