package io.bifrost.origin.http;

import io.bifrost.origin.store.OriginStore;
import io.bifrost.protocol.node.NettyTransport;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP origin on loopback over a real store: content semantics, ops endpoints, the API envelope, bad input with
 * counters, and the upload hook at the head of the pipeline.
 */
class OriginHttpServerTest
{
    @TempDir
    Path temp;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient http = HttpClient.newHttpClient();
    private OriginStore store;
    private OriginHttpServer server;

    @BeforeEach
    void start()
    {
        store = OriginStore.open(temp.resolve("db"));
        try (OriginStore.Batch batch = store.batch())
        {
            batch.putObject("/vod/v1/720p/3.m4s", "0123456789".getBytes(StandardCharsets.UTF_8), 1_700_000_000_000L)
                .putObject("/vod/v1/master.m3u8", "#EXTM3U\n".getBytes(StandardCharsets.UTF_8), 1_700_000_000_000L)
                .commit();
        }
        final ApiRouter router = new ApiRouter()
            .add("GET", "/api/v1/echo/{name}", request -> ApiResponse.ok(Map.of("name", request.parameter("name"))))
            .add("PUT", "/api/v1/echo/{name}", request -> ApiResponse.ok(Map.of("bytes", request.body().length)));
        server = OriginHttpServer.start(new OriginHttpServer.Settings("127.0.0.1", 0, NettyTransport.select("auto"), 1,
            2, 1024, 30, UploadStandIn::new), store, router, () -> Readiness.notReady("warming up"),
            () -> "# metrics\n", registry);
    }

    @AfterEach
    void stop()
    {
        server.close();
        store.close();
    }

    @Test
    void shouldServeStoredContentWithValidatorsRangesAndCors() throws Exception
    {
        final HttpResponse<String> whole = get("/vod/v1/720p/3.m4s", Map.of());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo("0123456789");
        assertThat(whole.headers().firstValue("last-modified")).hasValue("Tue, 14 Nov 2023 22:13:20 GMT");
        assertThat(whole.headers().firstValue("accept-ranges")).hasValue("bytes");
        final String etag = whole.headers().firstValue("etag").orElseThrow();

        assertThat(get("/vod/v1/720p/3.m4s", Map.of("Range", "bytes=-3")).body()).isEqualTo("789");
        assertThat(get("/vod/v1/720p/3.m4s", Map.of("If-None-Match", "\"other\", W/" + etag)).statusCode())
            .isEqualTo(304);
        assertThat(get("/vod/v1/720p/3.m4s", Map.of("If-Modified-Since", "Tue, 14 Nov 2023 22:13:20 GMT"))
            .statusCode()).isEqualTo(304);
        final HttpResponse<String> master = get("/vod/v1/master.m3u8", Map.of());
        assertThat(master.headers().firstValue("cache-control")).hasValue("public, max-age=60");

        final HttpResponse<String> preflight = http.send(java.net.http.HttpRequest.newBuilder(uri("/vod/v1/master.m3u8"))
            .method("OPTIONS", BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-methods")).isPresent();
    }

    @Test
    void shouldRefuseBadPathsAndMissingContentWithCodesAndCounters() throws Exception
    {
        final HttpResponse<String> traversal = get("/vod/v1/../x/master.m3u8", Map.of());
        assertThat(traversal.statusCode()).isEqualTo(400);
        assertThat(traversal.body()).contains("path.traversal");
        assertThat(registry.get("bifrost.origin.rejected.paths").tag("reason", "path.traversal").counter().count())
            .isEqualTo(1);
        assertThat(get("/vod/v1/720p/4.m4s", Map.of()).statusCode()).isEqualTo(404);
        assertThat(get("/live/cam/720p/1-2.m4s", Map.of()).statusCode()).isEqualTo(404);
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(uri("/vod/v1/master.m3u8"))
            .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(registry.get("bifrost.origin.requests").tag("outcome", "not_found").counter().count()).isEqualTo(2);
    }

    @Test
    void shouldAnswerOpsAndApiInTheJsonEnvelopeWithBoundedBodies() throws Exception
    {
        assertThat(get("/healthz", Map.of()).body()).isEqualTo("up\n");
        final HttpResponse<String> ready = get("/readyz", Map.of());
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("warming up");
        assertThat(get("/metrics", Map.of()).body()).isEqualTo("# metrics\n");

        assertThat(get("/api/v1/echo/abc", Map.of()).body()).isEqualTo("{\"success\":true,\"data\":{\"name\":\"abc\"}}");
        final HttpResponse<String> missing = get("/api/v1/nothing", Map.of());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).startsWith("{\"success\":false,\"error\":{\"code\":\"api.not_found\"");
        assertThat(put("/api/v1/echo/abc", "x".repeat(1000)).body()).contains("\"bytes\":1000");
        assertThat(put("/api/v1/echo/abc", "x".repeat(2000)).statusCode()).isEqualTo(413);
        assertThat(registry.get("bifrost.origin.requests").tag("outcome", "too_large").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldLetTheUploadHandlerAnswerItsPathsAndPassEverythingElseOn() throws Exception
    {
        final HttpResponse<String> upload = http.send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/uploads/"))
            .POST(BodyPublishers.ofString("x".repeat(5000))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(201);
        assertThat(get("/vod/v1/720p/3.m4s", Map.of()).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(final String path, final Map<String, String> headers) throws Exception
    {
        final java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(uri(path));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(final String path, final String body) throws Exception
    {
        return http.send(java.net.http.HttpRequest.newBuilder(uri(path)).PUT(BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(final String path)
    {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** What the tus handler will do: answer its own paths (bodies of any size), pass everything else down. */
    private static final class UploadStandIn extends ChannelInboundHandlerAdapter
    {
        private boolean mine;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof HttpRequest request)
            {
                mine = request.uri().startsWith("/api/v1/uploads/");
            }
            if (!mine)
            {
                ctx.fireChannelRead(msg);
                return;
            }
            ReferenceCountUtil.release(msg);
            if (msg instanceof LastHttpContent)
            {
                final DefaultFullHttpResponse created = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.CREATED, Unpooled.EMPTY_BUFFER);
                created.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(created);
            }
        }
    }
}
