package io.bifrost.edge;

import com.sun.net.httpserver.HttpServer;
import io.bifrost.protocol.node.RunningRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

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
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final EdgeNode.Context context = new EdgeNode.Context().bindAddress("127.0.0.1").port(port).dataDir(dataDir)
            .ramBytes(16L << 20).origins(List.of(URI.create("http://127.0.0.1:" + origin.getAddress().getPort())));
        final URI segment = URI.create("http://127.0.0.1:" + port + "/vod/warm/720p/0.m4s");

        try (RunningRole edge = EdgeNode.launch(context); HttpClient http = HttpClient.newHttpClient())
        {
            assertThat(edge.readiness().ready()).isTrue();
            assertThat(http.send(HttpRequest.newBuilder(segment).build(), HttpResponse.BodyHandlers.ofByteArray()).body())
                .isEqualTo(body);
        }
        origin.stop(0);

        try (HttpClient http = HttpClient.newHttpClient())
        {
            try (RunningRole restarted = EdgeNode.launch(context))
            {
                final HttpResponse<byte[]> warm = http.send(HttpRequest.newBuilder(segment).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
                final HttpResponse<byte[]> cold = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/vod/warm/720p/1.m4s")).build(), HttpResponse.BodyHandlers.ofByteArray());

                assertThat(restarted.readiness().ready()).isTrue();
                assertThat(warm.statusCode()).isEqualTo(200);
                assertThat(warm.body()).isEqualTo(body);
                assertThat(cold.statusCode()).as("not cached, origin gone").isEqualTo(502);
            }
        }
    }
}
