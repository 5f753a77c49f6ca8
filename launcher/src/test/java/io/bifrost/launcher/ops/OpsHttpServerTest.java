package io.bifrost.launcher.ops;

import io.bifrost.protocol.node.NettyTransport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpsHttpServerTest
{
    private final HttpClient client = HttpClient.newHttpClient();
    private final NodeMetrics metrics = new NodeMetrics();
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private OpsHttpServer server;

    @AfterEach
    void tearDown()
    {
        if (server != null)
        {
            server.close();
        }
        metrics.close();
        client.close();
    }

    private OpsHttpServer start(final NettyTransport transport)
    {
        server = OpsHttpServer.start("127.0.0.1", 0, transport, metrics, () -> new ProcessReadiness(ready.get(),
            List.of(new ProcessReadiness.RoleStatus("edge", "running", ready.get(), ready.get() ? "ready" : "warming"))));
        return server;
    }

    private HttpResponse<String> send(final String method, final String path) throws Exception
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(NettyTransport.class)
    void shouldExplainAPortInUse(final NettyTransport transport) throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")))
        {
            assertThatThrownBy(() -> OpsHttpServer.start("127.0.0.1", taken.getLocalPort(),
                NettyTransport.select(transport.label()), metrics, () -> new ProcessReadiness(true, List.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                .hasMessageContaining("--ops-port");
        }
    }

    @ParameterizedTest
    @EnumSource(NettyTransport.class)
    void shouldAnswerHealthReadinessAndMetricsOnEveryTransport(final NettyTransport transport) throws Exception
    {
        start(NettyTransport.select(transport.label()));

        final HttpResponse<String> health = send("GET", "/healthz");
        final HttpResponse<String> notReady = send("GET", "/readyz");
        ready.set(true);
        final HttpResponse<String> nowReady = send("GET", "/readyz?verbose=1");
        final HttpResponse<String> scrape = send("GET", "/metrics");

        assertThat(server.transport()).isEqualTo(transport);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"up\"}");
        assertThat(notReady.statusCode()).isEqualTo(503);
        final JsonNode report = new ObjectMapper().readTree(notReady.body());
        assertThat(report.get("ready").asBoolean()).isFalse();
        assertThat(report.get("roles").get(0).get("detail").asText()).isEqualTo("warming");
        assertThat(nowReady.statusCode()).isEqualTo(200);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("content-type")).hasValue(OpsHttpServer.PROMETHEUS_CONTENT_TYPE);
        assertThat(scrape.body()).contains("jvm_memory_used_bytes{", "process_uptime_seconds");
    }

    @ParameterizedTest
    @EnumSource(value = NettyTransport.class, names = "NIO")
    void shouldRefuseOtherPathsAndMethodsClearly(final NettyTransport transport) throws Exception
    {
        start(transport);

        final HttpResponse<String> missing = send("GET", "/live/x/master.m3u8");
        final HttpResponse<String> post = send("POST", "/healthz");
        final HttpResponse<String> head = send("HEAD", "/metrics");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("/healthz, /readyz and /metrics");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("content-length").orElse(0)).isPositive();
    }
}
