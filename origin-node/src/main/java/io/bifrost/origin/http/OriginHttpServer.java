package io.bifrost.origin.http;

import io.bifrost.origin.live.LiveResponder;
import io.bifrost.origin.keys.KeyEndpoints;
import io.bifrost.origin.store.OriginStore;
import io.bifrost.protocol.node.LingeringClose;
import io.bifrost.protocol.node.NettyTransport;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The origin's HTTP/1.1 server on Netty (io_uring, epoll or NIO through {@link NettyTransport}): content for edges
 * and players, the management API and the ops endpoints on one port.
 *
 * <p>Pipeline per connection: {@code HttpServerCodec} (request line 4 KiB, headers 8 KiB), then the optional
 * upload handler (the tus service: it answers its own paths and passes every other request on), then an aggregator
 * that bounds request bodies ({@code maxRequestBodyBytes}, 413 beyond), then {@link OriginRequestHandler} on a
 * separate executor group ({@code blockingThreads}) because store reads and API work block; event loops never do.
 * Connections idle for {@code idleTimeoutSeconds} are closed.
 */
public final class OriginHttpServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(OriginHttpServer.class);
    /** Longest request line accepted. */
    static final int MAX_INITIAL_LINE = 4096;
    /** Largest header block accepted. */
    static final int MAX_HEADER_BYTES = 8192;
    /** Name of the upload handler in the pipeline. */
    public static final String UPLOAD_HANDLER = "upload";

    /**
     * What the server needs, from the origin's concluded context.
     *
     * @param bindAddress         address to bind.
     * @param port                port (0 = ephemeral).
     * @param transport           Netty transport.
     * @param ioThreads           event loop threads.
     * @param blockingThreads     threads that run request handling (store reads, API).
     * @param maxRequestBodyBytes largest request body passed to the API.
     * @param idleTimeoutSeconds  idle connections are closed after this.
     * @param uploadHandler       makes the upload handler of a new connection, or null for none.
     * @param live                answers {@code /live/} from the live packager, or null when this origin packages no
     *                            live streams (then {@code /live/} is 404).
     */
    public record Settings(String bindAddress, int port, NettyTransport transport, int ioThreads, int blockingThreads,
        int maxRequestBodyBytes, int idleTimeoutSeconds, Supplier<ChannelHandler> uploadHandler, LiveResponder live)
    {
        /**
         * Settings without live packaging.
         */
        public Settings(final String bindAddress, final int port, final NettyTransport transport, final int ioThreads,
            final int blockingThreads, final int maxRequestBodyBytes, final int idleTimeoutSeconds,
            final Supplier<ChannelHandler> uploadHandler)
        {
            this(bindAddress, port, transport, ioThreads, blockingThreads, maxRequestBodyBytes, idleTimeoutSeconds,
                uploadHandler, null);
        }
    }

    private final EventLoopGroup group;
    private final EventExecutorGroup blocking;
    private final Channel serverChannel;
    private final ChannelGroup connections;

    private OriginHttpServer(final EventLoopGroup group, final EventExecutorGroup blocking, final Channel serverChannel,
        final ChannelGroup connections)
    {
        this.group = group;
        this.blocking = blocking;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    /**
     * Bind and serve.
     *
     * @param settings    server settings.
     * @param store       where content is read (owned by the caller).
     * @param router      the API routes.
     * @param readiness   what {@code /readyz} reports.
     * @param metricsText the Prometheus text {@code /metrics} serves.
     * @param registry    where request counters go.
     * @return the running server.
     * @throws IllegalStateException when the port cannot be bound.
     */
    public static OriginHttpServer start(final Settings settings, final OriginStore store, final ApiRouter router,
        final Supplier<Readiness> readiness, final Supplier<String> metricsText, final MeterRegistry registry)
    {
        return start(settings, store, router, readiness, metricsText, registry, null);
    }

    /**
     * Bind and serve, with the key URLs of protected titles.
     *
     * @param settings    server settings.
     * @param store       where content is read (owned by the caller).
     * @param router      the API routes.
     * @param readiness   what {@code /readyz} reports.
     * @param metricsText the Prometheus text {@code /metrics} serves.
     * @param registry    where request counters go.
     * @param keys        the AES-128 key and ClearKey licence URLs, or null for none.
     * @return the running server.
     */
    public static OriginHttpServer start(final Settings settings, final OriginStore store, final ApiRouter router,
        final Supplier<Readiness> readiness, final Supplier<String> metricsText, final MeterRegistry registry,
        final KeyEndpoints keys)
    {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(settings.ioThreads(),
            new DefaultThreadFactory("bifrost-origin"), settings.transport().ioHandlerFactory());
        final EventExecutorGroup blocking = new DefaultEventExecutorGroup(settings.blockingThreads(),
            new DefaultThreadFactory("bifrost-origin-store"));
        final RequestMetrics metrics = new RequestMetrics(registry);
        final OriginRequestHandler handler = new OriginRequestHandler(store, router, readiness, metricsText, metrics,
            settings.live(), keys);
        final ChannelGroup connections = new DefaultChannelGroup("bifrost-origin-connections", group.next());
        try
        {
            final Channel channel = new ServerBootstrap()
                .group(group)
                .channel(settings.transport().serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        connections.add(ch);
                        final ChannelPipeline pipeline = ch.pipeline();
                        pipeline.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutSeconds()));
                        pipeline.addLast("idle-close", new IdleClose());
                        pipeline.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192));
                        if (settings.uploadHandler() != null)
                        {
                            pipeline.addLast(UPLOAD_HANDLER, settings.uploadHandler().get());
                        }
                        pipeline.addLast("aggregate", new BoundedAggregator(settings.maxRequestBodyBytes(), metrics));
                        pipeline.addLast(blocking, "origin", handler);
                    }
                })
                .bind(settings.bindAddress(), settings.port())
                .syncUninterruptibly()
                .channel();
            LOG.info("origin HTTP on {}:{} ({})", settings.bindAddress(),
                ((InetSocketAddress)channel.localAddress()).getPort(), settings.transport().label());
            return new OriginHttpServer(group, blocking, channel, connections);
        }
        catch (final Exception ex) // syncUninterruptibly rethrows the checked BindException undeclared
        {
            blocking.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("origin cannot listen on " + settings.bindAddress() + ":" +
                settings.port() + " (" + ex.getMessage() + "); choose another with --port", ex);
        }
    }

    /**
     * @return the bound port.
     */
    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        // closed pipelines are torn down on the blocking executor, then on the event loop: stop them in that order,
        // each after a quiet period, so no teardown step finds its executor gone
        blocking.shutdownGracefully(100, 5000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        group.shutdownGracefully(100, 5000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /** Closes a connection that has been idle for the idle timeout. */
    private static final class IdleClose extends io.netty.channel.ChannelInboundHandlerAdapter
    {
        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof io.netty.handler.timeout.IdleStateEvent)
            {
                ctx.close();
            }
            else
            {
                ctx.fireUserEventTriggered(evt);
            }
        }
    }

    /** The body bound of API requests: an oversized request is counted, answered 413 and its connection closed. */
    private static final class BoundedAggregator extends HttpObjectAggregator
    {
        private final RequestMetrics metrics;

        BoundedAggregator(final int maxBytes, final RequestMetrics metrics)
        {
            super(maxBytes);
            this.metrics = metrics;
        }

        @Override
        protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized)
        {
            metrics.count(RequestMetrics.Outcome.TOO_LARGE);
            final FullHttpResponse response = OriginRequestHandler.errorText(
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "http.body_too_large",
                "request body is larger than " + maxContentLength() + " bytes");
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            LingeringClose.writeAndClose(ctx, response);
        }
    }
}
