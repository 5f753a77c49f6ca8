package io.bifrost.origin.http;

import io.bifrost.protocol.http.ClientPrefaceGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutorGroup;

import java.util.function.Supplier;

/**
 * Builds an origin connection's pipeline, as the edge builds its own. Plain port: HTTP/1.1, or HTTP/2 cleartext by
 * upgrade ({@code Upgrade: h2c}, RFC 7540 3.2) or prior knowledge (RFC 7540 3.4). TLS port: ALPN picks h2 or
 * http/1.1. Every HTTP/2 stream is a child channel whose pipeline turns frames into the same request objects HTTP/1.1
 * produces, then runs the same handlers (upload, body bound, {@link OriginRequestHandler} on the blocking executor),
 * so both protocols share one request path, and a blocking playlist reload is held per stream.
 *
 * <p>Writes: handlers on the blocking executor write through their context, which hands every write to the channel's
 * event loop; each response owns its buffers (the store's bytes or a live window's bytes are wrapped per response), so
 * no buffer is written to two streams.
 */
final class OriginChannelInitializer extends ChannelInitializer<Channel>
{
    /** Concurrent HTTP/2 streams a client may open: held playlist and part requests of a few players. */
    static final int MAX_CONCURRENT_STREAMS = 128;
    /** How long a client has to finish the TLS handshake. */
    static final long TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
    private static final String HTTP1_CHAIN = "http1-chain";

    private final int idleTimeoutSeconds;
    private final int maxRequestBodyBytes;
    private final Supplier<ChannelHandler> uploadHandler;
    private final ChannelHandler requests;
    private final RequestMetrics metrics;
    private final EventExecutorGroup blocking;
    private final ChannelGroup connections;
    private final SslContext tls;

    /**
     * @param settings    the server's settings.
     * @param requests    the shared request handler.
     * @param metrics     request counters.
     * @param blocking    where the request handler runs.
     * @param connections every open connection, so a stop can close them all.
     * @param tls         TLS with ALPN for the TLS port, or null for the plain port.
     */
    OriginChannelInitializer(final OriginHttpServer.Settings settings, final ChannelHandler requests,
        final RequestMetrics metrics, final EventExecutorGroup blocking, final ChannelGroup connections,
        final SslContext tls)
    {
        this.idleTimeoutSeconds = settings.idleTimeoutSeconds();
        this.maxRequestBodyBytes = settings.maxRequestBodyBytes();
        this.uploadHandler = settings.uploadHandler();
        this.requests = requests;
        this.metrics = metrics;
        this.blocking = blocking;
        this.connections = connections;
        this.tls = tls;
    }

    @Override
    protected void initChannel(final Channel ch)
    {
        connections.add(ch);
        final ChannelPipeline pipeline = ch.pipeline();
        pipeline.addLast("idle", new IdleStateHandler(0, 0, idleTimeoutSeconds));
        pipeline.addLast("idle-close", new OriginHttpServer.IdleClose());
        if (null != tls)
        {
            final SslHandler ssl = tls.newHandler(ch.alloc());
            ssl.setHandshakeTimeoutMillis(TLS_HANDSHAKE_TIMEOUT_MS);
            pipeline.addLast("tls", ssl);
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
                        ctx.pipeline().addLast("http", http1Codec());
                        addHttp1(ctx.pipeline());
                    }
                }
            });
            return;
        }
        final HttpServerCodec http1 = http1Codec();
        final HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(http1, protocol ->
        {
            // only the first request upgrades: once the HTTP/1.1 path is installed the connection stays HTTP/1.1
            if (!AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol) ||
                null == pipeline.get(HTTP1_CHAIN))
            {
                return null;
            }
            pipeline.remove(HTTP1_CHAIN);
            // The upgrade request (stream 1) is answered once the client's preface is in: the JDK client loses bytes
            // that arrive while it switches to HTTP/2 (ClientPrefaceGate says why).
            return new Http2ServerUpgradeCodec(http2FrameCodec(), http2Multiplexer(), new ClientPrefaceGate());
        })
        {
            @Override
            protected boolean shouldHandleUpgradeRequest(final HttpRequest request)
            {
                // only a request without a body upgrades (the upgrade handler would have to hold the whole body)
                return !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0 &&
                    super.shouldHandleUpgradeRequest(request);
            }
        };
        pipeline.addLast("http", new CleartextHttp2ServerUpgradeHandler(http1, upgrade, new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel priorKnowledge)
            {
                if (null != priorKnowledge.pipeline().get(HTTP1_CHAIN))
                {
                    priorKnowledge.pipeline().remove(HTTP1_CHAIN);
                }
                priorKnowledge.pipeline().addLast(http2FrameCodec(), http2Multiplexer());
            }
        }));
        pipeline.addLast(HTTP1_CHAIN, new Http1Chain());
    }

    /** The HTTP/1.1 request path after the codec (also every HTTP/2 stream's, after the frame-to-object codec). */
    private void addHttp1(final ChannelPipeline pipeline)
    {
        if (null != uploadHandler)
        {
            pipeline.addLast(OriginHttpServer.UPLOAD_HANDLER, uploadHandler.get());
        }
        pipeline.addLast("aggregate", new OriginHttpServer.BoundedAggregator(maxRequestBodyBytes, metrics));
        pipeline.addLast(blocking, "origin", requests);
    }

    private static HttpServerCodec http1Codec()
    {
        return new HttpServerCodec(OriginHttpServer.MAX_INITIAL_LINE, OriginHttpServer.MAX_HEADER_BYTES, 8192);
    }

    private static Http2FrameCodec http2FrameCodec()
    {
        return Http2FrameCodecBuilder.forServer()
            .initialSettings(Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .maxHeaderListSize(OriginHttpServer.MAX_HEADER_BYTES))
            .build();
    }

    private Http2MultiplexHandler http2Multiplexer()
    {
        return new Http2MultiplexHandler(new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel stream)
            {
                stream.pipeline().addLast("http2-to-http", new Http2StreamFrameToHttpObjectCodec(true));
                ClientPrefaceGate.holdUntilPreface(stream);
                addHttp1(stream.pipeline());
            }
        });
    }

    /**
     * On a plain connection that did not become HTTP/2: the first request head installs the HTTP/1.1 request path
     * behind this handler, which then leaves. Anything else that reaches it (nothing does on HTTP/1.1) is dropped.
     */
    private final class Http1Chain extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (!(msg instanceof HttpMessage))
            {
                ReferenceCountUtil.release(msg);
                return;
            }
            addHttp1(ctx.pipeline());
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
        }
    }
}
