package io.bifrost.edge.live;

import io.bifrost.edge.cache.CacheHit;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Woken answers in their shared form over a real HTTP/1.1 pipeline (Netty's {@link HttpServerCodec} on 127.0.0.1, the
 * JDK's client): one headers object for all viewers of a wake, one write each, keep-alive connections reusable
 * afterwards, and viewers that cannot take the shared form (HEAD) answered the ordinary way.
 */
class SharedLiveReplyTest
{
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LiveWindowStore store = new LiveWindowStore(64L << 20, UnpooledByteBufAllocator.DEFAULT, registry);
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final AtomicInteger sharedWrites = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Channel server;
    private String base;

    /** The edge's live reply, reduced to what this test needs, with the shared-form hook. */
    private final class Viewer extends LiveReply implements SharedLiveReply
    {
        private final ChannelHandlerContext ctx;
        private final boolean head;

        Viewer(final ChannelHandlerContext ctx, final boolean head)
        {
            super(ctx.executor());
            this.ctx = ctx;
            this.head = head;
        }

        @Override
        public boolean acceptsShared()
        {
            return !head;
        }

        @Override
        public void writeShared(final FullHttpResponse response, final ChannelFutureListener written)
        {
            sharedWrites.incrementAndGet();
            // as the edge does: the batch's timed write gets a real promise, every other one the void promise
            ctx.writeAndFlush(response, written == null ? ctx.voidPromise() : ctx.newPromise().addListener(written));
        }

        @Override
        protected void onHit(final CacheHit hit)
        {
            final ByteBuf content = hit.content();
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : content);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, hit.contentType())
                .set(HttpHeaderNames.CACHE_CONTROL, hit.cacheControl());
            HttpUtil.setContentLength(response, hit.length());
            if (head)
            {
                content.release();
            }
            ctx.writeAndFlush(response).addListener(done -> hit.release());
        }

        @Override
        protected void onRefuse(final int status, final String code, final String message)
        {
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.copiedBuffer(code, StandardCharsets.US_ASCII));
            HttpUtil.setContentLength(response, code.length());
            ctx.writeAndFlush(response);
        }

        @Override
        protected void onFallBack()
        {
            onRefuse(404, "not.live", "");
        }
    }

    @BeforeEach
    void setUp()
    {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<>()
            {
                @Override
                protected void initChannel(final Channel ch)
                {
                    ch.pipeline().addLast(new HttpServerCodec(), new SimpleChannelInboundHandler<HttpRequest>()
                    {
                        @Override
                        protected void channelRead0(final ChannelHandlerContext ctx, final HttpRequest request)
                        {
                            final String uri = request.uri();
                            final int q = uri.indexOf('?');
                            final ContentKey key = (ContentKey)ContentKeyParser.parse(q < 0 ? uri : uri.substring(0, q));
                            if (!store.answer(key, q < 0 ? null : uri.substring(q + 1),
                                new Viewer(ctx, HttpMethod.HEAD.equals(request.method()))))
                            {
                                new Viewer(ctx, false).onFallBack();
                            }
                        }
                    });
                }
            }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
        base = "http://127.0.0.1:" + ((InetSocketAddress)server.localAddress()).getPort();
    }

    @AfterEach
    void tearDown()
    {
        store.close();
        http.close();
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void shouldAnswerEveryHeldViewerWithTheSharedResponseAndKeepItsConnectionUsable() throws Exception
    {
        part(0, 0, "x0");
        window(new LiveWindow(1, 0, -1, 0, 0, 2000, 500), "#EXTM3U p0");
        for (int round = 1; round <= 2; round++)
        {
            final List<CompletableFuture<HttpResponse<String>>> parts = new ArrayList<>();
            final List<CompletableFuture<HttpResponse<String>>> playlists = new ArrayList<>();
            for (int v = 0; v < 20; v++)
            {
                parts.add(get("/live/s/r/1-0." + round + ".m4s", "GET"));
                playlists.add(get("/live/s/r/index.m3u8?_HLS_msn=0&_HLS_part=" + round, "GET"));
            }
            final CompletableFuture<HttpResponse<String>> head = get("/live/s/r/1-0." + round + ".m4s", "HEAD");
            await().atMost(Duration.ofSeconds(10)).until(() -> store.held("s", "r") == 41);

            part(0, round, "part " + round);
            window(new LiveWindow(1, 0, -1, 0, round, 2000, 500), "#EXTM3U p" + round);

            for (final CompletableFuture<HttpResponse<String>> answer : parts)
            {
                final HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("part " + round);
                assertThat(response.headers().firstValue("content-type")).hasValue("video/iso.segment");
                assertThat(response.headers().firstValue("cache-status")).hasValue("bifrost; hit");
                assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
                assertThat(response.headers().firstValue("accept-ranges")).hasValue("bytes");
            }
            for (final CompletableFuture<HttpResponse<String>> answer : playlists)
            {
                final HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("#EXTM3U p" + round);
                assertThat(response.headers().firstValue("cache-control")).hasValue("public, max-age=12");
            }
            assertThat(head.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(head.get().headers().firstValue("content-length")).hasValue(String.valueOf(("part " + round).length()));
        }
        assertThat(sharedWrites).as("every GET of both rounds, none of the HEADs").hasValue(80);
        assertThat(registry.get("bifrost.edge.live.wake.shared").counter().count()).isEqualTo(80);
        // one delivery sample per loop's batch (a wake of a part or a playlist answers one kind): every chunk ran
        // before its viewers had their answers, and the last listener may run after the client read its answer, so
        // wait until the samples reach the chunks
        final double chunks = registry.get("bifrost.edge.live.wake.chunks").counter().count();
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries("part") + deliveries("playlist") == chunks);
        assertThat(chunks).as("2 rounds x 2 kinds, on one or both of the 2 loops").isBetween(4.0, 8.0);
        assertThat(deliveries("part")).isBetween(2L, 4L);
        assertThat(deliveries("playlist")).isBetween(2L, 4L);
    }

    private long deliveries(final String kind)
    {
        return registry.get(LiveRequests.DELIVERY_TIMER).tag("kind", kind).timer().count();
    }

    private CompletableFuture<HttpResponse<String>> get(final String path, final String method)
    {
        return http.sendAsync(java.net.http.HttpRequest.newBuilder(URI.create(base + path))
            .method(method, BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private void part(final long msn, final int part, final String bytes)
    {
        final byte[] payload = bytes.getBytes(StandardCharsets.ISO_8859_1);
        store.onPart("s", "r", 1, msn, part, 0, 500_000, 0, new UnsafeBuffer(payload), 0, payload.length);
    }

    private void window(final LiveWindow window, final String body)
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        store.onWindow("s", "r", WindowKind.HLS_MEDIA_PLAYLIST, window, new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
