package io.bifrost.edge.http;

import io.bifrost.edge.player.PlayerService;
import io.bifrost.protocol.http.ClientPrefaceGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.TimeUnit;

/**
 * Builds a viewer connection's pipeline. Plain port: HTTP/1.1, or HTTP/2 cleartext by upgrade or prior knowledge.
 * TLS port: ALPN chooses h2 or http/1.1. Every HTTP/2 stream gets its own {@link EdgeRequestHandler} behind a codec
 * that turns HTTP/2 frames into the same request objects HTTP/1.1 produces, so both protocols share one request path.
 * The reference player's handler ({@link PlayerService}) sits just before every {@link EdgeRequestHandler}: it answers
 * {@code /player} requests and passes everything else on.
 */
final class EdgeChannelInitializer extends ChannelInitializer<Channel>
{
    /** Concurrent HTTP/2 streams a viewer may open. */
    static final int MAX_CONCURRENT_STREAMS = 128;

    private final RequestServices shared;
    private final long idleMillis;
    private final SslContext tls;
    private final ChannelGroup connections;
    private final PlayerService player;
    private final boolean encodedAnswers;

    /**
     * @param shared         what every connection shares.
     * @param idleMillis     idle timeout for connections with nothing in progress.
     * @param tls            TLS context with ALPN for the TLS port, or null for the plain port.
     * @param connections    every open viewer connection, so a stop can close them all.
     * @param player         the reference player, or null to serve no {@code /player} paths.
     * @param encodedAnswers write woken live answers pre-encoded below the HTTP/1.1 codec
     *                       ({@link EncodedResponseWriter}); false: through the codec. RAM hits on plain keep-alive
     *                       GETs are written pre-encoded either way ({@link EncodedHitHead}).
     */
    EdgeChannelInitializer(
        final RequestServices shared,
        final long idleMillis,
        final SslContext tls,
        final ChannelGroup connections,
        final PlayerService player,
        final boolean encodedAnswers)
    {
        this.shared = shared;
        this.idleMillis = idleMillis;
        this.tls = tls;
        this.connections = connections;
        this.player = player;
        this.encodedAnswers = encodedAnswers;
    }

    @Override
    protected void initChannel(final Channel ch)
    {
        final ChannelPipeline pipeline = ch.pipeline();
        connections.add(ch);
        shared.openConnections().incrementAndGet();
        ch.closeFuture().addListener(closed -> shared.openConnections().decrementAndGet());
        pipeline.addLast(new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS));
        if (tls != null)
        {
            pipeline.addLast(tls.newHandler(ch.alloc()));
            pipeline.addLast(new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1)
            {
                @Override
                protected void configurePipeline(final ChannelHandlerContext ctx, final String protocol)
                {
                    if (ApplicationProtocolNames.HTTP_2.equals(protocol))
                    {
                        ctx.pipeline().addLast(http2FrameCodec(), http2Multiplexer());
                    }
                    else
                    {
                        addHttp1(ctx.pipeline());
                    }
                }
            });
            return;
        }
        // The HTTP/1.1 head deadline leaves the pipeline when the connection becomes HTTP/2 (its requests are handled in
        // stream channels and HTTP/2 frames are not request heads).
        final RequestHeadDeadline deadline = new RequestHeadDeadline(shared.requestHeadTimeoutMs());
        // Below the HTTP/1.1 codec: RAM hits and woken live answers (encoded once per wake) are written from here. It
        // leaves with the deadline when the connection becomes HTTP/2 (HTTP/2 viewers take the normal path).
        final EncodedResponseWriter encodedWriter = new EncodedResponseWriter(encodedAnswers);
        pipeline.addLast(deadline);
        pipeline.addLast(encodedWriter);
        final HttpServerCodec http1 = http1Codec();
        final HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(http1, protocol ->
        {
            if (!AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol))
            {
                return null;
            }
            deadline.headComplete();
            pipeline.remove(deadline);
            removeIfPresent(pipeline, encodedWriter);
            // The upgrade request (stream 1) is answered once the client's preface is in (ClientPrefaceGate says why).
            return new Http2ServerUpgradeCodec(http2FrameCodec(), http2Multiplexer(), new ClientPrefaceGate());
        })
        {
            @Override
            protected boolean shouldHandleUpgradeRequest(final HttpRequest request)
            {
                // A request with a body (a QoE beacon POST) stays HTTP/1.1: the upgrade handler would have to hold the
                // whole body, and answers 413 past its limit of 0 bytes.
                return !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0 &&
                    super.shouldHandleUpgradeRequest(request);
            }
        };
        pipeline.addLast(new CleartextHttp2ServerUpgradeHandler(http1, upgrade, new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel prior)
            {
                deadline.headComplete();
                prior.pipeline().remove(deadline);
                removeIfPresent(prior.pipeline(), encodedWriter);
                prior.pipeline().addLast(http2FrameCodec(), http2Multiplexer());
            }
        }));
        pipeline.addLast(new SimpleChannelInboundHandler<HttpMessage>()
        {
            @Override
            protected void channelRead0(final ChannelHandlerContext ctx, final HttpMessage msg)
            {
                // No upgrade was asked for: plain HTTP/1.1 from here on.
                if (player != null)
                {
                    ctx.pipeline().addAfter(ctx.name(), null, new EdgeRequestHandler(shared));
                    ctx.pipeline().replace(this, null, player.newHandler(deadline::headComplete));
                }
                else
                {
                    ctx.pipeline().replace(this, null, new EdgeRequestHandler(shared));
                }
                ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
            }
        });
    }

    private void addHttp1(final ChannelPipeline pipeline)
    {
        final RequestHeadDeadline deadline = new RequestHeadDeadline(shared.requestHeadTimeoutMs());
        pipeline.addLast(deadline);
        pipeline.addLast(new EncodedResponseWriter(encodedAnswers));
        pipeline.addLast(http1Codec());
        if (player != null)
        {
            pipeline.addLast(player.newHandler(deadline::headComplete));
        }
        pipeline.addLast(new EdgeRequestHandler(shared));
    }

    private static void removeIfPresent(final ChannelPipeline pipeline, final EncodedResponseWriter writer)
    {
        if (pipeline.context(writer) != null)
        {
            pipeline.remove(writer);
        }
    }

    private static HttpServerCodec http1Codec()
    {
        return new HttpServerCodec(EdgeHttpServer.MAX_INITIAL_LINE, EdgeHttpServer.MAX_HEADER_BYTES, 64 * 1024);
    }

    private static io.netty.handler.codec.http2.Http2FrameCodec http2FrameCodec()
    {
        return Http2FrameCodecBuilder.forServer()
            .initialSettings(Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .maxHeaderListSize(EdgeHttpServer.MAX_HEADER_BYTES))
            .build();
    }

    private Http2MultiplexHandler http2Multiplexer()
    {
        return new Http2MultiplexHandler(new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel stream)
            {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
                ClientPrefaceGate.holdUntilPreface(stream);
                if (player != null)
                {
                    stream.pipeline().addLast(player.newHandler());
                }
                stream.pipeline().addLast(new EdgeRequestHandler(shared));
            }
        });
    }
}
