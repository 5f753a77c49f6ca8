package io.bifrost.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.control.store.ControlDatabase;
import io.bifrost.control.stream.JdbcStreamRepository;
import io.bifrost.control.stream.StreamKeys;
import io.bifrost.control.stream.StreamRegistry;
import io.bifrost.control.stream.StreamRoutes;
import io.bifrost.protocol.node.NettyTransport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stream-key checks on their own lane of a real {@link ControlHttpServer} (Netty on 127.0.0.1, the real stream routes
 * over an embedded H2 database in a temp dir, the JDK's HTTP client, one connection per request in flight): a general
 * API pool flooded with slow operator calls or with status reports never makes a key check wait or answer 503; a
 * key check is answered 503 {@code server.busy} only when the key-check lane itself is full.
 */
@Timeout(60)
class KeyCheckLaneTest
{
    private static final String CREATE = "/api/v1/streams/create";
    private static final String SLOW = "/api/v1/test/slow";

    @TempDir
    Path dataDir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(20)).build();
    private ControlDatabase database;
    private StreamRegistry registry;
    private ControlHttpServer server;

    @AfterEach
    void stop()
    {
        release.countDown();
        if (null != server)
        {
            server.close();
        }
        http.close();
        if (null != database)
        {
            database.close();
        }
    }

    @Test
    void shouldAnswerEveryKeyCheckWhenTheGeneralPoolIsFull() throws Exception
    {
        start(2, 2, 64, streamRouter().add(HttpMethod.GET, SLOW, Access.OPEN, request -> slow()));
        final String key = createStream();
        final List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < 2 + ControlHttpServer.MAX_WAITING_REQUESTS + 20; i++)
        {
            flood.add(send("GET", SLOW, null));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> flood.stream().anyMatch(f -> f.isDone() &&
            503 == f.join().statusCode()));
        assertThat(send("POST", "/api/v1/internal/streams/st_" + "0".repeat(32) + "/status",
            "{\"status\":\"offline\",\"protocol\":\"rtmp\"}").join().statusCode())
            .as("the general pool is full").isEqualTo(503);

        final List<CompletableFuture<HttpResponse<String>>> checks = new ArrayList<>();
        for (int i = 0; i < 50; i++)
        {
            checks.add(send("POST", ApiDispatcher.KEY_CHECK_PATH, authorize(key)));
        }

        assertThat(checks).allSatisfy(check ->
        {
            final HttpResponse<String> answer = check.join();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(json(answer).path("data").path("stream_id").asText()).startsWith("st_");
        });
        release.countDown();
        assertThat(flood.stream().filter(f -> 200 == f.join().statusCode()).count())
            .isEqualTo(2 + ControlHttpServer.MAX_WAITING_REQUESTS);
    }

    @Test
    void shouldAnswerEveryKeyCheckDuringAFloodOfStatusReports() throws Exception
    {
        start(8, ControlHttpServer.DEFAULT_KEY_CHECK_THREADS, ControlHttpServer.DEFAULT_KEY_CHECK_QUEUE,
            streamRouter());
        final List<String> keys = new ArrayList<>();
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            final JsonNode stream = json(send("POST", CREATE, "{\"title\":\"farm " + i + "\"}").join());
            keys.add(stream.path("data").path("stream_key").asText());
            ids.add(stream.path("data").path("stream_id").asText());
        }

        final List<CompletableFuture<HttpResponse<String>>> reports = new ArrayList<>();
        final List<CompletableFuture<HttpResponse<String>>> checks = new ArrayList<>();
        for (int i = 0; i < 400; i++)
        {
            reports.add(send("POST", "/api/v1/internal/streams/" + ids.get(i % ids.size()) + "/status",
                "{\"status\":\"" + (i % 2 == 0 ? "live" : "offline") + "\",\"protocol\":\"rtmp\"}"));
            if (i % 4 == 0)
            {
                checks.add(send("POST", ApiDispatcher.KEY_CHECK_PATH, authorize(keys.get(i % keys.size()))));
            }
        }

        assertThat(checks).hasSize(100).allSatisfy(check ->
            assertThat(check.join().statusCode()).as(check.join().body()).isEqualTo(200));
        assertThat(reports).allSatisfy(report -> assertThat(report.join().statusCode()).isIn(200, 503));
    }

    @Test
    void shouldAnswerKeyChecksBusyOnlyWhenTheKeyCheckLaneIsFull() throws Exception
    {
        final Router router = new Router()
            .add(HttpMethod.POST, ApiDispatcher.KEY_CHECK_PATH, Access.OPEN, request -> slow())
            .add(HttpMethod.GET, "/api/v1/test/fast", Access.OPEN, request -> ApiResponse.ok(Map.of("ok", true)));
        start(2, 1, 2, router);

        final List<CompletableFuture<HttpResponse<String>>> checks = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            checks.add(send("POST", ApiDispatcher.KEY_CHECK_PATH + "?attempt=" + i, "{}"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> 2 == checks.stream().filter(CompletableFuture::isDone)
            .count());

        assertThat(checks.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join))
            .allSatisfy(busy ->
            {
                assertThat(busy.statusCode()).isEqualTo(503);
                assertThat(json(busy).path("error").path("code").asText()).isEqualTo("server.busy");
            });
        assertThat(send("GET", "/api/v1/test/fast", null).join().statusCode())
            .as("the general pool still answers").isEqualTo(200);
        release.countDown();
        assertThat(checks.stream().map(CompletableFuture::join).filter(a -> 200 == a.statusCode()).count())
            .isEqualTo(3);
    }

    @Test
    void shouldSendOnlyTheKeyCheckToTheKeyCheckLane()
    {
        assertThat(ApiDispatcher.isKeyCheck(HttpMethod.POST, "/api/v1/internal/streams/authorize")).isTrue();
        assertThat(ApiDispatcher.isKeyCheck(HttpMethod.POST, "/api/v1/internal/streams/authorize?x=1")).isTrue();
        assertThat(ApiDispatcher.isKeyCheck(HttpMethod.GET, "/api/v1/internal/streams/authorize")).isFalse();
        assertThat(ApiDispatcher.isKeyCheck(HttpMethod.POST, "/api/v1/internal/streams/authorized")).isFalse();
        assertThat(ApiDispatcher.isKeyCheck(HttpMethod.POST, "/api/v1/internal/streams/st_1/status")).isFalse();
    }

    private void start(final int apiThreads, final int keyCheckThreads, final int keyCheckQueue, final Router router)
    {
        server = ControlHttpServer.start(new ControlHttpServer.Settings("127.0.0.1", 0, NettyTransport.select("nio"),
                2, apiThreads, 64 * 1024, Duration.ofSeconds(60), keyCheckThreads, keyCheckQueue),
            router, new AccessGuard(null, null), new ApiMetrics(meters));
    }

    private Router streamRouter()
    {
        database = ControlDatabase.open(ControlDatabase.embeddedUrl(dataDir), 16);
        registry = new StreamRegistry(new JdbcStreamRepository(database), new StreamKeys(new SecureRandom()),
            Clock.systemUTC(), meters);
        return new StreamRoutes(registry, "ingest.example.net", "https://play.example.net").register(new Router());
    }

    private String createStream()
    {
        return json(send("POST", CREATE, "{\"title\":\"farm\"}").join()).path("data").path("stream_key").asText();
    }

    private ApiResponse slow()
    {
        try
        {
            release.await(50, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return ApiResponse.ok(Map.of("slow", true));
    }

    private CompletableFuture<HttpResponse<String>> send(final String method, final String path, final String body)
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(55))
            .header("Content-Type", "application/json")
            .method(method, null == body ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String authorize(final String key)
    {
        return "{\"stream_key\":\"" + key + "\",\"protocol\":\"rtmp\",\"remote_address\":\"192.0.2.7\"}";
    }

    private static JsonNode json(final HttpResponse<String> response)
    {
        try
        {
            return ApiJson.mapper().readTree(response.body());
        }
        catch (final IOException ex)
        {
            throw new AssertionError("not JSON: " + response.body(), ex);
        }
    }
}
