package io.bifrost.launcher.ops;

import io.bifrost.protocol.node.NettyTransport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The process-wide operations endpoint: {@code /healthz} (the process is alive), {@code /readyz} (every role it runs
 * can take traffic; 503 with the reasons otherwise) and {@code /metrics} (Prometheus text).
 *
 * <p>It runs on its own single event loop, so a slow scrape never delays data-plane traffic. Roles with their own
 * HTTP port answer the same three paths there too; this port exists so that roles without HTTP (ingest, transcode)
 * and a whole {@code bifrost all} process have one place to be probed.
 */
public final class OpsHttpServer implements AutoCloseable
{
    /** Prometheus text exposition format 0.0.4. */
    static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final EventLoopGroup group;
    private final Channel channel;
    private final NettyTransport transport;

    private OpsHttpServer(final EventLoopGroup group, final Channel channel, final NettyTransport transport)
    {
        this.group = group;
        this.channel = channel;
        this.transport = transport;
    }

    /**
     * Bind and start serving.
     *
     * @param bindAddress address to bind.
     * @param port        port, 0 for any free one.
     * @param transport   the Netty transport.
     * @param metrics     the process registry.
     * @param readiness   supplies the current readiness report; called on the server's event loop, must not block.
     * @return the started server.
     * @throws IllegalStateException when the port cannot be bound, with the address in the message.
     */
    public static OpsHttpServer start(
        final String bindAddress,
        final int port,
        final NettyTransport transport,
        final NodeMetrics metrics,
        final Supplier<ProcessReadiness> readiness)
    {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("bifrost-ops"), transport.ioHandlerFactory());
        final ObjectMapper json = new ObjectMapper();
        try
        {
            final Channel channel = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .childHandler(new ChannelInitializer<>()
                {
                    @Override
                    protected void initChannel(final Channel ch)
                    {
                        ch.pipeline()
                            .addLast(new HttpServerCodec())
                            .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                            .addLast(new OpsRequestHandler(metrics, readiness, json));
                    }
                })
                .bind(bindAddress, port)
                .syncUninterruptibly()
                .channel();
            return new OpsHttpServer(group, channel, transport);
        }
        catch (final Exception ex) // syncUninterruptibly rethrows the checked BindException undeclared
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on " + bindAddress + ":" + port +
                " for the ops endpoint (" + ex.getMessage() + "); set another with --ops-port", ex);
        }
    }

    /**
     * @return the bound port.
     */
    public int port()
    {
        return ((InetSocketAddress)channel.localAddress()).getPort();
    }

    /**
     * @return the transport it runs on.
     */
    public NettyTransport transport()
    {
        return transport;
    }

    @Override
    public void close()
    {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Answers the three ops paths; everything else is 404, methods other than GET/HEAD are 405.
     */
    static final class OpsRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        private final NodeMetrics metrics;
        private final Supplier<ProcessReadiness> readiness;
        private final ObjectMapper json;

        OpsRequestHandler(final NodeMetrics metrics, final Supplier<ProcessReadiness> readiness, final ObjectMapper json)
        {
            this.metrics = metrics;
            this.readiness = readiness;
            this.json = json;
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request) throws Exception
        {
            if (!request.decoderResult().isSuccess())
            {
                respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "application/json",
                    jsonBytes(Map.of("error", "malformed HTTP request")));
                return;
            }
            final HttpMethod method = request.method();
            if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method))
            {
                final FullHttpResponse response = response(request, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "application/json", jsonBytes(Map.of("error", "only GET and HEAD are served here")));
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
                write(ctx, request, response);
                return;
            }
            final String uri = request.uri();
            final int query = uri.indexOf('?');
            final String path = query < 0 ? uri : uri.substring(0, query);
            switch (path)
            {
                case "/healthz" -> respond(ctx, request, HttpResponseStatus.OK, "application/json",
                    jsonBytes(Map.of("status", "up")));
                case "/readyz" ->
                {
                    final ProcessReadiness report = readiness.get();
                    respond(ctx, request, report.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "application/json", jsonBytes(report));
                }
                case "/metrics" -> respond(ctx, request, HttpResponseStatus.OK, PROMETHEUS_CONTENT_TYPE,
                    metrics.scrape().getBytes(StandardCharsets.UTF_8));
                default -> respond(ctx, request, HttpResponseStatus.NOT_FOUND, "application/json",
                    jsonBytes(Map.of("error", "no such path; this port serves /healthz, /readyz and /metrics")));
            }
        }

        private byte[] jsonBytes(final Object value) throws Exception
        {
            return json.writeValueAsBytes(value);
        }

        private static void respond(
            final ChannelHandlerContext ctx,
            final FullHttpRequest request,
            final HttpResponseStatus status,
            final String contentType,
            final byte[] body)
        {
            write(ctx, request, response(request, status, contentType, body));
        }

        private static FullHttpResponse response(
            final FullHttpRequest request, final HttpResponseStatus status, final String contentType, final byte[] body)
        {
            final boolean head = HttpMethod.HEAD.equals(request.method());
            final ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
            response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            return response;
        }

        private static void write(final ChannelHandlerContext ctx, final FullHttpRequest request, final FullHttpResponse response)
        {
            final boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
            if (keepAlive)
            {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            }
            else
            {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }
}
