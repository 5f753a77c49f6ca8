package io.bifrost.origin.live;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A viewer of a streamed segment that does not read is closed, never buffered without bound: a raw HTTP/2 client
 * (Netty, prior knowledge) announces a 1 KiB stream window and never reads, so HTTP/2 flow control keeps the first
 * part's write from completing; when the next part is due the viewer's unwritten bytes are past the bound (0 here)
 * and its stream is reset, while its connection stays usable.
 */
class LiveChunkedSlowViewerTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int CLIENT_STREAM_WINDOW = 1024;

    @TempDir
    static Path media;

    @TempDir
    Path temp;

    private static List<byte[]> units;

    private final Random random = new Random(5);
    private LiveOriginServer origin;
    private EventLoopGroup client;

    @BeforeAll
    static void generate()
    {
        units = LiveTestMedia.units(LiveTestMedia.video(media, 2, 30));
    }

    @BeforeEach
    void start()
    {
        origin = LiveOriginServer.start(temp, 0, Clock.systemUTC());
        client = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop()
    {
        client.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        origin.close();
    }

    @Test
    void shouldCloseAViewerWhoseUnwrittenBytesPassTheBoundWhenTheNextPartIsDue() throws Exception
    {
        final LiveSession session = origin.open();
        final CmafTrackSink sink = session.track("360p");
        for (int i = 0; i <= 4; i++)
        {
            LiveTestMedia.feed(sink, units.get(i), random); // segment 0 complete, part 0 of segment 1
        }
        assertThat(units.get(4).length).as("a part does not fit the viewer's window").isGreaterThan(
            CLIENT_STREAM_WINDOW);
        final Channel connection = new Bootstrap().group(client).channel(NioSocketChannel.class)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().initialWindowSize(CLIENT_STREAM_WINDOW))
                        .build(), new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                }
            }).connect("127.0.0.1", origin.port()).sync().channel();

        // the slow viewer: never reads, so no WINDOW_UPDATE ever leaves
        final Http2StreamChannel slow = new Http2StreamChannelBootstrap(connection)
            .option(ChannelOption.AUTO_READ, false).handler(new ChannelInboundHandlerAdapter()).open().sync().getNow();
        slow.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("GET").scheme("http")
            .authority("127.0.0.1").path("/live/cam1/360p/" + session.epoch() + "-1.m4s"), true)).sync();
        await().atMost(WAIT).until(() -> origin.chunked("started") == 1);

        LiveTestMedia.feed(sink, units.get(5), random);

        await().atMost(WAIT).until(() -> origin.chunked("slow") == 1);
        await().atMost(WAIT).until(() -> origin.packager().metrics().heldRequests() == 0);
        assertThat(origin.chunked("completed")).isZero();

        // only the viewer's stream was reset: its connection still answers
        final CompletableFuture<String> status = new CompletableFuture<>();
        final Http2StreamChannel next = new Http2StreamChannelBootstrap(connection)
            .handler(new ChannelInboundHandlerAdapter()
            {
                @Override
                public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                {
                    if (msg instanceof Http2HeadersFrame headers)
                    {
                        status.complete(headers.headers().status().toString());
                    }
                    ReferenceCountUtil.release(msg);
                }
            }).open().sync().getNow();
        next.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("GET").scheme("http")
            .authority("127.0.0.1").path("/live/cam1/360p/index.m3u8"), true)).sync();
        assertThat(status.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("200");
        assertThat(connection.isActive()).isTrue();
        session.end();
    }
}
