package io.bifrost.edge;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EdgeNodeTest
{
    @TempDir
    Path dataDir;

    @Test
    void shouldRestartWarmAndServeFromTheRamTierWhileTheOriginIsGone() throws Exception
    {
        final byte[] body = new byte[200_000];
        new Random(3).nextBytes(body);
        final HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        origin.createContext("/", exchange ->
        {
            exchange.getResponseHeaders().set("Cache-Control", "public, max-age=3600");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();
        final EdgeNode.Context context = new EdgeNode.Context().bindAddress("127.0.0.1").port(0).dataDir(dataDir)
            .ramBytes(16L << 20).origins(List.of(URI.create("http://127.0.0.1:" + origin.getAddress().getPort())));

        try (RunningEdge edge = EdgeNode.launch(context); HttpClient http = HttpClient.newHttpClient())
        {
            assertThat(edge.readiness().ready()).isTrue();
            assertThat(http.send(HttpRequest.newBuilder(segment(edge, "/vod/warm/720p/0.m4s")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(body);
        }
        origin.stop(0);

        try (HttpClient http = HttpClient.newHttpClient())
        {
            try (RunningEdge restarted = EdgeNode.launch(context))
            {
                final HttpResponse<byte[]> warm = http.send(HttpRequest.newBuilder(
                    segment(restarted, "/vod/warm/720p/0.m4s")).build(), HttpResponse.BodyHandlers.ofByteArray());
                final HttpResponse<byte[]> cold = http.send(HttpRequest.newBuilder(
                    segment(restarted, "/vod/warm/720p/1.m4s")).build(), HttpResponse.BodyHandlers.ofByteArray());

                assertThat(restarted.readiness().ready()).isTrue();
                assertThat(warm.statusCode()).isEqualTo(200);
                assertThat(warm.body()).isEqualTo(body);
                assertThat(cold.statusCode()).as("not cached, origin gone").isEqualTo(502);
            }
        }
    }

    @Test
    void shouldExplainAPortInUse() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1")))
        {
            final EdgeNode.Context context = new EdgeNode.Context().bindAddress("127.0.0.1").port(taken.getLocalPort())
                .dataDir(dataDir).ramBytes(1L << 20).origins(List.of(URI.create("http://127.0.0.1:9")));
            assertThatThrownBy(() -> EdgeNode.launch(context))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("edge cannot listen on 127.0.0.1:" + taken.getLocalPort())
                .hasMessageContaining("choose another with --port");
        }
    }

    @Test
    void shouldKeepMediaOnTheSsdTierAcrossARestartWhileTheOriginIsGone() throws Exception
    {
        final byte[] body = new byte[200_000];
        new Random(4).nextBytes(body);
        final HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        origin.createContext("/", exchange ->
        {
            exchange.getResponseHeaders().set("Cache-Control", "public, max-age=86400");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final EdgeNode.Context context = new EdgeNode.Context().bindAddress("127.0.0.1").port(0).dataDir(dataDir)
            .ramBytes(64 * 1024).ssdBytes(16L << 20).meterRegistry(registry)
            .origins(List.of(URI.create("http://127.0.0.1:" + origin.getAddress().getPort())));

        try (RunningEdge edge = EdgeNode.launch(context); HttpClient http = HttpClient.newHttpClient())
        {
            final HttpRequest segment = HttpRequest.newBuilder(segment(edge, "/vod/ssd/720p/0.m4s")).build();
            assertThat(edge.readiness().ready()).isTrue();
            http.send(segment, HttpResponse.BodyHandlers.ofByteArray());
            await().atMost(Duration.ofSeconds(10)).until(() ->
                registry.get("bifrost.edge.cache.admission.rejected").tag("tier", "ssd").counter().count() == 1.0);
            http.send(segment, HttpResponse.BodyHandlers.ofByteArray());
            await().atMost(Duration.ofSeconds(10)).until(() ->
                registry.get("bifrost.edge.cache.stores").tag("tier", "ssd").counter().count() == 1.0);
        }
        origin.stop(0);

        try (RunningEdge restarted = EdgeNode.launch(context.meterRegistry(new SimpleMeterRegistry()));
            HttpClient http = HttpClient.newHttpClient())
        {
            final HttpResponse<byte[]> fromSsd = http.send(HttpRequest.newBuilder(
                segment(restarted, "/vod/ssd/720p/0.m4s")).build(), HttpResponse.BodyHandlers.ofByteArray());

            assertThat(restarted.readiness().ready()).isTrue();
            assertThat(fromSsd.statusCode()).isEqualTo(200);
            assertThat(fromSsd.body()).isEqualTo(body);
            assertThat(fromSsd.headers().firstValue("cache-status")).hasValue("bifrost; hit; detail=ssd");
            assertThat(Files.isDirectory(dataDir.resolve("ssd"))).isTrue();
        }
    }

    /** An edge launched on port 0 binds another port at each start: ask it. */
    private static URI segment(final RunningEdge edge, final String path)
    {
        return URI.create("http://127.0.0.1:" + edge.port() + path);
    }
}
