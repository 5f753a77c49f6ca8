package io.bifrost.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.bifrost.control.placement.PlacementPlanner;
import io.bifrost.edge.EdgeNode;
import io.bifrost.protocol.node.RunningRole;
import io.micrometer.core.instrument.Counter;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One control plane and three real edges in one JVM ({@code bifrost all} style: one shared Aeron media driver, IPC),
 * with a JDK HTTP server as the origin: edges register by heartbeat, their real viewer traffic becomes telemetry, a
 * title made hot is prefetched onto every edge of its region by placement commands, steering sends players to a
 * healthy edge that then serves them, and an edge that stops is out of steering at once (DRAINING) and down within
 * the heartbeat timeout. Control messages are authenticated with fleet keys on both sides, as an operator runs it
 * ({@code control.fleet-keys} / {@code edge.fleet-keys}): an edge that did not sign would never register.
 */
class EdgeFleetTest
{
    private static final String FLEET_KEYS = "fleet1:" + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(new byte[]{ 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
            24, 25, 26, 27, 28, 29, 30, 31 });

    @TempDir
    Path dir;

    private HttpServer origin;
    private ControlPlane.Running control;
    private final Map<String, RunningRole> edges = new LinkedHashMap<>();
    private final Map<String, SimpleMeterRegistry> edgeMeters = new LinkedHashMap<>();
    private final Map<String, Integer> edgePorts = new LinkedHashMap<>();

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(edges.values());
        CloseHelper.close(control);
        if (origin != null)
        {
            origin.stop(0);
        }
    }

    private void startOrigin() throws Exception
    {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        origin.createContext("/", exchange ->
        {
            final String path = exchange.getRequestURI().getPath();
            final byte[] body;
            if (path.endsWith("master.m3u8"))
            {
                body = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=2000000\n720p/index.m3u8\n".getBytes(StandardCharsets.US_ASCII);
            }
            else if (path.endsWith("index.m3u8"))
            {
                final StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI=\"init.mp4\"\n");
                for (int msn = 0; msn < 20; msn++)
                {
                    playlist.append("#EXTINF:2.0,\n").append(msn).append(".m4s\n");
                }
                body = playlist.append("#EXT-X-ENDLIST\n").toString().getBytes(StandardCharsets.US_ASCII);
            }
            else
            {
                body = new byte[4096];
            }
            exchange.getResponseHeaders().set("Cache-Control", "public, max-age=3600");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();
    }

    private void startEdge(final String id, final String region) throws Exception
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        edges.put(id, EdgeNode.launch(new EdgeNode.Context().bindAddress("127.0.0.1").port(port).tlsPort(0)
            .dataDir(dir.resolve(id)).ramBytes(8L << 20).meterRegistry(meters).region(region).edgeId(id)
            .publicUrl("http://127.0.0.1:" + port)
            .origins(List.of(URI.create("http://127.0.0.1:" + origin.getAddress().getPort())))
            .controlEndpoint("ipc").aeronDirectory(dir.resolve("aeron")).fleetKeys(FLEET_KEYS)
            .heartbeatInterval(Duration.ofMillis(100)).telemetryInterval(Duration.ofMillis(200))));
        edgeMeters.put(id, meters);
        edgePorts.put(id, port);
    }

    private static double prefetched(final SimpleMeterRegistry meters)
    {
        final Counter counter = meters.find("bifrost.edge.placement.objects").tag("result", "prefetched").counter();
        return counter == null ? 0 : counter.count();
    }

    private static double fillsInFlight(final SimpleMeterRegistry meters)
    {
        final var gauge = meters.find("bifrost.edge.fills.inflight").gauge();
        return gauge == null ? 0 : gauge.value();
    }

    @Test
    void shouldRegisterAggregatePlaceAndSteerAcrossThreeEdges() throws Exception
    {
        startOrigin();
        control = ControlPlane.launch(new ControlPlane.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(dir.resolve("control")).meterRegistry(new SimpleMeterRegistry())
            .aeronEnabled(true).aeronDirectory(dir.resolve("aeron")).edgeEndpoint("").placementEndpoint("")
            .fleetKeys(FLEET_KEYS).heartbeatTimeout(Duration.ofSeconds(1)).meanViewSeconds(1)
            // The seed policy (hot: every edge of the region) with test thresholds: a handful of requests makes a title hot.
            .placement(new PlacementPlanner.Context().policy("seed").intervalMs(300).hotScore(5).warmScore(1)
                .renewBeforeMs(1_000)));
        startEdge("e1", "eu-west");
        startEdge("e2", "eu-west");
        startEdge("e3", "us-east");

        try (ApiClient api = new ApiClient("127.0.0.1", control.port());
             HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build())
        {
            // Generous bounds: a CI machine runs many JVMs at once.
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/edges").data().path("up").asInt() == 3);

            // Viewers in eu-west watch vod/hot through e1; a few watch vod/cold through e3.
            for (int msn = 0; msn < 12; msn++)
            {
                assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edgePorts.get("e1") +
                    "/vod/hot/720p/" + msn + ".m4s")).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .isEqualTo(200);
            }
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edgePorts.get("e3") +
                "/vod/cold/720p/0.m4s")).build(), HttpResponse.BodyHandlers.discarding());

            await().atMost(Duration.ofSeconds(30)).until(() ->
            {
                final JsonNode contents = api.get("/api/v1/content/top?window=minute").data().path("contents");
                return contents.size() == 2 && contents.path(0).path("requests").asLong() == 12;
            });
            final JsonNode top = api.get("/api/v1/content/top?window=minute").data().path("contents");
            assertThat(top.get(0).path("key").asText()).isEqualTo("vod/hot");
            assertThat(top.get(1).path("key").asText()).isEqualTo("vod/cold");
            assertThat(api.get("/api/v1/edges/e1").data().path("traffic").path("requests").asLong()).isEqualTo(12);

            // The hot title is placed on every edge of eu-west, including e2 where nobody asked for it yet.
            await().atMost(Duration.ofSeconds(30)).until(() -> prefetched(edgeMeters.get("e2")) >= 4 &&
                prefetched(edgeMeters.get("e1")) >= 4 && fillsInFlight(edgeMeters.get("e2")) == 0);
            final HttpResponse<Void> first = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" +
                edgePorts.get("e2") + "/vod/hot/720p/0.m4s")).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(first.headers().firstValue("cache-status")).as("e2's first viewer is served from its cache")
                .hasValueSatisfying(status -> assertThat(status).contains("hit"));

            // Players are steered to eu-west edges, and the edge they are sent to serves them.
            final Set<String> steered = new HashSet<>();
            for (int i = 0; i < 10; i++)
            {
                final JsonNode decision = api.get("/v1/steer?content=vod/title" + i + "&region=eu-west").data();
                steered.add(decision.path("edge_id").asText());
            }
            assertThat(steered).isSubsetOf("e1", "e2");
            final HttpResponse<Void> played = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" +
                control.port() + "/v1/steer/redirect?content=/vod/hot/720p/1.m4s&region=us-east")).build(),
                HttpResponse.BodyHandlers.discarding());
            assertThat(played.statusCode()).isEqualTo(200);
            assertThat(played.uri().getPort()).isEqualTo(edgePorts.get("e3"));

            // e2 stops: DRAINING at once (never steered to again), then down within the heartbeat timeout.
            edges.remove("e2").close();
            await().until(() -> !"up".equals(api.get("/api/v1/edges/e2").data().path("status").asText()));
            final List<String> after = new ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                after.add(api.get("/v1/steer?content=vod/title" + i + "&region=eu-west").data().path("edge_id").asText());
            }
            assertThat(after).containsOnly("e1");
            await().atMost(Duration.ofSeconds(5))
                .until(() -> "down".equals(api.get("/api/v1/edges/e2").data().path("status").asText()));
            assertThat(api.get("/api/v1/edges").data().path("up").asInt()).isEqualTo(2);
        }
    }
}
