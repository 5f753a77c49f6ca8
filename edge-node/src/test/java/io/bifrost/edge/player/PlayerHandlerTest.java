package io.bifrost.edge.player;

import com.sun.net.httpserver.HttpServer;
import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.SegmentAwarePolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.http.EdgeHttpServer;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reference player on a real edge (Netty on 127.0.0.1, a real RAM tier, a JDK HTTP server as origin): pages,
 * scripts and hls.js with their headers, QoE beacons counted or refused, path tricks refused, and every other request
 * still reaching the edge's request handler, in order, over HTTP/1.1 pipelining and HTTP/2.
 */
class PlayerHandlerTest
{
    private static final String SEGMENT = "/vod/title1/720p/1.m4s";
    private static final String BEACON = "{\"v\":1,\"id\":\"title1\",\"kind\":\"vod\",\"session\":\"0123456789abcdef\"," +
        "\"seq\":0,\"startupMs\":420.6,\"rebuffers\":2,\"rebufferMs\":1500,\"switchesUp\":3,\"switchesDown\":1," +
        "\"playedMs\":9000,\"bitrateBps\":2500000}";

    @TempDir
    Path dataDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final CountDownLatch originRelease = new CountDownLatch(1);
    private volatile boolean holdOrigin;
    private HttpServer origin;
    private RamTier ram;
    private EdgeHttpServer edge;

    @BeforeEach
    void start() throws IOException
    {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/", exchange ->
        {
            if (holdOrigin)
            {
                try
                {
                    originRelease.await(20, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            final byte[] body = ("segment " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "video/mp4");
            exchange.getResponseHeaders().set("Cache-Control", "max-age=60");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        origin.start();
        ram = RamTier.open(dataDir.resolve("ram"), 64L << 20, 16 * 1024, 8L << 20, SegmentAwarePolicy::new, registry);
        edge = EdgeHttpServer.start(new EdgeNode.Context()
            .origins(List.of(URI.create("http://127.0.0.1:" + origin.getAddress().getPort())))
            .bindAddress("127.0.0.1").port(0).ioThreads(2).meterRegistry(registry), ram, Readiness::up);
    }

    @AfterEach
    void stop()
    {
        originRelease.countDown();
        edge.close();
        ram.close();
        origin.stop(0);
        http.close();
    }

    private HttpResponse<String> get(final String path, final String... headers) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        for (int i = 0; i < headers.length; i += 2)
        {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(final String path, final String body) throws Exception
    {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "text/plain;charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(final String path)
    {
        return URI.create("http://127.0.0.1:" + edge.port() + path);
    }

    private double requests(final String outcome)
    {
        return registry.get("bifrost.edge.player.requests").tag("outcome", outcome).counter().count();
    }

    private double rejected(final String reason)
    {
        return registry.get("bifrost.edge.player.beacons.rejected").tag("reason", reason).counter().count();
    }

    private static String assetUrl(final String page, final String name)
    {
        final Matcher matcher = Pattern.compile("/player/assets/" + Pattern.quote(name) + "\\?v=[0-9a-f]{16}").matcher(page);
        assertThat(matcher.find()).as(name + " in the page").isTrue();
        return matcher.group();
    }

    @Test
    void shouldServeThePlayerPageForVodAndLiveIds() throws Exception
    {
        final HttpResponse<String> vod = get("/player/title1");
        final HttpResponse<String> live = get("/player/live/stream_1?token=abc");

        for (final HttpResponse<String> page : List.of(vod, live))
        {
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("media-src 'self' blob:");
            assertThat(page.body()).contains("<video id=\"video\"").contains("hls.js 1.4.12 (WebJar)");
            assertThat(page.body()).as("an inline icon (the CSP allows data: images), so browsers do not ask the edge "
                + "for /favicon.ico, which is no content path (400)").contains("<link rel=\"icon\" href=\"data:,\">");
            assetUrl(page.body(), "hls.min.js");
            assetUrl(page.body(), "seed-abr.js");
            assetUrl(page.body(), "player.js");
        }
        assertThat(vod.body()).isEqualTo(live.body());
        assertThat(requests("page")).isEqualTo(2.0);
        final HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri("/player/title1"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(vod.body().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void shouldServeHlsJsAndTheScriptsWithALongCacheLifetimeAndRevalidation() throws Exception
    {
        final String page = get("/player/title1").body();

        final HttpResponse<String> hls = get(assetUrl(page, "hls.min.js"));
        assertThat(hls.statusCode()).isEqualTo(200);
        assertThat(hls.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(hls.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(hls.body()).hasSizeGreaterThan(100_000).contains("1.4.12");
        final String etag = hls.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/player/assets/hls.min.js", "If-None-Match", etag).statusCode()).isEqualTo(304);

        final HttpResponse<String> abr = get(assetUrl(page, "seed-abr.js"));
        assertThat(abr.statusCode()).isEqualTo(200);
        assertThat(abr.body()).contains("BifrostSeedAbr").contains("createHlsAbrController");
        final HttpResponse<String> script = get(assetUrl(page, "player.js"));
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("window.bifrostPlayer");
        assertThat(script.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(requests("asset")).isEqualTo(3.0);
        assertThat(requests("not-modified")).isEqualTo(1.0);
    }

    @Test
    void shouldRefusePathTricksWithoutReachingAFile() throws Exception
    {
        for (final String path : List.of("/player/../vod/title1/master.m3u8", "/player/%2e%2e/etc/passwd",
            "/player/assets/../../../etc/passwd", "/player/assets/hls.min.js/", "/player/assets/%68ls.min.js",
            "/player//title1", "/player/title1/", "/player/live/", "/player/live/a/b", "/player/assets/player.html",
            "/player/" + "a".repeat(65), "/player"))
        {
            final String answer = exchange("GET " + path + " HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(path).startsWith("HTTP/1.1 404 ").contains("player.not_found");
        }
        assertThat(requests("not-found")).isEqualTo(12.0);
        assertThat(get("/player/assets/hls.min.js", "Cache-Control", "no-cache").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldCountAValidBeaconIntoTheQoeMeters() throws Exception
    {
        final HttpResponse<String> answer = post("/player/qoe", BEACON);

        assertThat(answer.statusCode()).isEqualTo(204);
        assertThat(registry.get("bifrost.edge.player.beacons.accepted").tag("kind", "vod").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("bifrost.edge.player.startup").tag("kind", "vod").timer().count()).isEqualTo(1);
        assertThat(registry.get("bifrost.edge.player.startup").tag("kind", "vod").timer().totalTime(TimeUnit.MILLISECONDS))
            .isEqualTo(421.0);
        assertThat(registry.get("bifrost.edge.player.rebuffers").tag("kind", "vod").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("bifrost.edge.player.rebuffer.time").tag("kind", "vod").timer()
            .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500.0);
        assertThat(registry.get("bifrost.edge.player.switches").tag("kind", "vod").tag("direction", "up").counter().count())
            .isEqualTo(3.0);
        assertThat(registry.get("bifrost.edge.player.switches").tag("kind", "vod").tag("direction", "down").counter()
            .count()).isEqualTo(1.0);
        assertThat(registry.get("bifrost.edge.player.bitrate").tag("kind", "vod").summary().mean()).isEqualTo(2_500_000.0);
        assertThat(registry.get("bifrost.edge.player.played.time").tag("kind", "vod").timer()
            .totalTime(TimeUnit.SECONDS)).isEqualTo(9.0);
        assertThat(requests("beacon")).isEqualTo(1.0);

        final HttpResponse<String> second = post("/player/qoe", BEACON.replace("\"vod\"", "\"live\"")
            .replace("\"startupMs\":420.6,", "").replace("\"seq\":0", "\"seq\":1"));
        assertThat(second.statusCode()).isEqualTo(204);
        assertThat(registry.get("bifrost.edge.player.beacons.accepted").tag("kind", "live").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("bifrost.edge.player.startup").tag("kind", "live").timer().count()).isZero();
    }

    @Test
    void shouldRefuseBadBeaconsWithAnErrorAndACounter() throws Exception
    {
        assertThat(post("/player/qoe", "not json").statusCode()).isEqualTo(400);
        assertThat(post("/player/qoe", BEACON + "{}").statusCode()).isEqualTo(400);
        assertThat(post("/player/qoe", "").statusCode()).isEqualTo(400);
        assertThat(rejected("malformed")).isEqualTo(3.0);

        final HttpResponse<String> unknown = post("/player/qoe", BEACON.replace("\"seq\"", "\"extra\":1,\"seq\""));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("qoe.unknown-field");
        assertThat(post("/player/qoe", BEACON.replace("\"seq\":0,", "")).statusCode()).isEqualTo(400);
        assertThat(post("/player/qoe", BEACON.replace("\"rebuffers\":2", "\"rebuffers\":-1")).statusCode()).isEqualTo(400);
        assertThat(post("/player/qoe", BEACON.replace("\"title1\"", "\"../etc\"")).statusCode()).isEqualTo(400);
        assertThat(post("/player/qoe", BEACON.replace("\"v\":1", "\"v\":2")).statusCode()).isEqualTo(400);
        assertThat(rejected("unknown-field")).isEqualTo(1.0);
        assertThat(rejected("missing-field")).isEqualTo(1.0);
        assertThat(rejected("bad-value")).isEqualTo(2.0);
        assertThat(rejected("bad-version")).isEqualTo(1.0);

        final HttpResponse<String> huge = post("/player/qoe", " ".repeat(QoeBeaconParser.MAX_BODY_BYTES + 1));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(rejected("too-large")).isEqualTo(1.0);

        final HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(uri("/player/qoe"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://example.com")
            .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST, OPTIONS");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(requests("preflight")).isEqualTo(1.0);

        final HttpResponse<String> read = get("/player/qoe");
        assertThat(read.statusCode()).isEqualTo(405);
        assertThat(read.headers().firstValue("Allow")).hasValue("POST, OPTIONS");
        assertThat(registry.get("bifrost.edge.player.beacons.accepted").tag("kind", "vod").counter().count()).isZero();
        // The connection pool still works after the refusals: the edge keeps serving.
        assertThat(post("/player/qoe", BEACON).statusCode()).isEqualTo(204);
    }

    @Test
    void shouldLeaveEveryOtherRequestToTheEdge() throws Exception
    {
        assertThat(get("/healthz").body()).isEqualTo("up\n");
        final HttpResponse<String> segment = get(SEGMENT);
        assertThat(segment.statusCode()).isEqualTo(200);
        assertThat(segment.body()).isEqualTo("segment " + SEGMENT);
        assertThat(get("/playerx/title1").statusCode()).isEqualTo(400);
        assertThat(registry.find("bifrost.edge.player.requests").counters())
            .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrderAcrossThePlayerAndTheEdge() throws Exception
    {
        holdOrigin = true;
        try (Socket socket = new Socket("127.0.0.1", edge.port()))
        {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + SEGMENT + " HTTP/1.1\r\nHost: edge\r\n\r\n" +
                "POST /player/qoe HTTP/1.1\r\nHost: edge\r\nContent-Length: " + BEACON.length() + "\r\n\r\n" + BEACON +
                "GET /healthz HTTP/1.1\r\nHost: edge\r\n\r\n" +
                "GET /player/title1 HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // The beacon waits behind the segment: not counted until the origin answers.
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> registry.get("bifrost.edge.player.beacons.accepted").tag("kind", "vod").counter().count() == 0);
            originRelease.countDown();
            final String answers = readAll(socket.getInputStream());

            final int segment = answers.indexOf("segment " + SEGMENT);
            final int beacon = answers.indexOf("HTTP/1.1 204 No Content");
            final int health = answers.indexOf("up\n");
            final int page = answers.indexOf("<!DOCTYPE html>");
            assertThat(segment).isPositive();
            assertThat(beacon).isGreaterThan(segment);
            assertThat(health).isGreaterThan(beacon);
            assertThat(page).isGreaterThan(health);
        }
        assertThat(registry.get("bifrost.edge.player.beacons.accepted").tag("kind", "vod").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldServeThePlayerOverHttp2() throws Exception
    {
        try (HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build())
        {
            final HttpResponse<String> upgrade = h2.send(HttpRequest.newBuilder(uri("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(upgrade.version()).isEqualTo(HttpClient.Version.HTTP_2);
            final HttpResponse<String> page = h2.send(HttpRequest.newBuilder(uri("/player/live/stream1")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(page.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<video");
            final HttpResponse<String> beacon = h2.send(HttpRequest.newBuilder(uri("/player/qoe"))
                .POST(HttpRequest.BodyPublishers.ofString(BEACON)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(beacon.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(beacon.statusCode()).isEqualTo(204);
            final HttpResponse<String> segment = h2.send(HttpRequest.newBuilder(uri(SEGMENT)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(segment.body()).isEqualTo("segment " + SEGMENT);
        }
        assertThat(registry.get("bifrost.edge.player.beacons.accepted").tag("kind", "vod").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldTakeABeaconPostedAsTheFirstRequestOfAnHttp2Client() throws Exception
    {
        // The JDK client offers an h2c upgrade on its first request, here a POST with a body: that request stays
        // HTTP/1.1 (answered, not 413) and the next ones go over the same client.
        try (HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build())
        {
            final HttpResponse<String> beacon = h2.send(HttpRequest.newBuilder(uri("/player/qoe"))
                .POST(HttpRequest.BodyPublishers.ofString(BEACON)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(beacon.statusCode()).isEqualTo(204);
            assertThat(beacon.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
        assertThat(registry.get("bifrost.edge.player.beacons.accepted").tag("kind", "vod").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldServeHlsJsFromAConfiguredDirectory(@TempDir final Path hlsDir) throws Exception
    {
        Files.writeString(hlsDir.resolve("hls.min.js"), "/* hls.js 1.7.4 stand-in */");
        final PlayerService service = new PlayerService(new SimpleMeterRegistry(), hlsDir);

        assertThat(service.hlsJsSource()).isEqualTo("hls.js from " + hlsDir.resolve("hls.min.js"));
        assertThat(new String(service.asset("hls.min.js").bytes(), StandardCharsets.UTF_8)).contains("1.7.4");
        assertThat(new String(service.page().bytes(), StandardCharsets.UTF_8)).contains("hls.js from ");
        final Path missing = hlsDir.resolve("nothing-here");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PlayerService(new SimpleMeterRegistry(), missing))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("node_modules/hls.js/dist");
    }

    private String exchange(final String request) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", edge.port()))
        {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final byte[] buffer = new byte[8192];
        try
        {
            int n;
            while ((n = in.read(buffer)) >= 0)
            {
                received.write(buffer, 0, n);
            }
        }
        catch (final SocketTimeoutException quiet)
        {
            // what arrived so far is the answer
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }
}
