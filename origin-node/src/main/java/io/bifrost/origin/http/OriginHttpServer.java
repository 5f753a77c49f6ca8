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
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The origin's HTTP server on Netty (io_uring, epoll or NIO through {@link NettyTransport}): content for edges
 * and players, the management API and the ops endpoints on one port, HTTP/1.1 or HTTP/2 cleartext (upgrade or prior
 * knowledge); with a certificate also on a TLS port where ALPN picks h2 or http/1.1 ({@link OriginChannelInitializer}).
 *
 * <p>Request path per connection (per stream on HTTP/2): {@code HttpServerCodec} (request line 4 KiB, headers 8 KiB)
 * or the HTTP/2 frame-to-object codec, then the optional
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
     * @param tlsPort             the TLS port (0 = ephemeral); used only with a certificate.
     * @param tlsCertificate      PEM certificate chain of the TLS port, or null for no TLS port.
     * @param tlsPrivateKey       PEM PKCS#8 key of the certificate, or null.
     */
    public record Settings(String bindAddress, int port, NettyTransport transport, int ioThreads, int blockingThreads,
        int maxRequestBodyBytes, int idleTimeoutSeconds, Supplier<ChannelHandler> uploadHandler, LiveResponder live,
        int tlsPort, Path tlsCertificate, Path tlsPrivateKey)
    {
        /**
         * Settings without a TLS port.
         */
        public Settings(final String bindAddress, final int port, final NettyTransport transport, final int ioThreads,
            final int blockingThreads, final int maxRequestBodyBytes, final int idleTimeoutSeconds,
            final Supplier<ChannelHandler> uploadHandler, final LiveResponder live)
        {
            this(bindAddress, port, transport, ioThreads, blockingThreads, maxRequestBodyBytes, idleTimeoutSeconds,
                uploadHandler, live, 0, null, null);
        }

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

        /**
         * @param port        the TLS port (0 = ephemeral).
         * @param certificate PEM certificate chain, or null for no TLS port.
         * @param privateKey  PEM PKCS#8 key.
         * @return these settings with a TLS port.
         */
        public Settings withTls(final int port, final Path certificate, final Path privateKey)
        {
            return new Settings(bindAddress, this.port, transport, ioThreads, blockingThreads, maxRequestBodyBytes,
                idleTimeoutSeconds, uploadHandler, live, port, certificate, privateKey);
        }
    }

    private final EventLoopGroup group;
    private final EventExecutorGroup blocking;
    private final Channel serverChannel;
    private final Channel tlsChannel;
    private final ChannelGroup connections;

    private OriginHttpServer(final EventLoopGroup group, final EventExecutorGroup blocking, final Channel serverChannel,
        final Channel tlsChannel, final ChannelGroup connections)
    {
        this.group = group;
        this.blocking = blocking;
        this.serverChannel = serverChannel;
        this.tlsChannel = tlsChannel;
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
     * @throws IllegalStateException when a port cannot be bound.
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
        Channel channel = null;
        try
        {
            final SslContext tls = null == settings.tlsCertificate() ? null :
                OriginTls.server(settings.tlsCertificate(), settings.tlsPrivateKey(), true, "origin");
            channel = bind(settings, settings.port(), "--port",
                new OriginChannelInitializer(settings, handler, metrics, blocking, connections, null), group);
            final Channel tlsChannel = null == tls ? null : bind(settings, settings.tlsPort(), "--origin.tls-port",
                new OriginChannelInitializer(settings, handler, metrics, blocking, connections, tls), group);
            LOG.info("origin HTTP on {}:{} ({}; HTTP/1.1, h2c){}", settings.bindAddress(),
                ((InetSocketAddress)channel.localAddress()).getPort(), settings.transport().label(),
                null == tlsChannel ? "" : ", HTTPS on " + ((InetSocketAddress)tlsChannel.localAddress()).getPort() +
                " (h2, http/1.1)");
            return new OriginHttpServer(group, blocking, channel, tlsChannel, connections);
        }
        catch (final RuntimeException ex)
        {
            if (null != channel)
            {
                channel.close().syncUninterruptibly();
            }
            blocking.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw ex;
        }
    }

    private static Channel bind(final Settings settings, final int port, final String flag,
        final OriginChannelInitializer initializer, final EventLoopGroup group)
    {
        try
        {
            return new ServerBootstrap()
                .group(group)
                .channel(settings.transport().serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer)
                .bind(settings.bindAddress(), port)
                .syncUninterruptibly()
                .channel();
        }
        catch (final Exception ex) // syncUninterruptibly rethrows the checked BindException undeclared
        {
            throw new IllegalStateException("origin cannot listen on " + settings.bindAddress() + ":" + port + " (" +
                ex.getMessage() + "); choose another with " + flag, ex);
        }
    }

    /**
     * @return the bound port.
     */
    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    /**
     * @return the bound TLS port, or -1 when TLS is not configured.
     */
    public int tlsPort()
    {
        return null == tlsChannel ? -1 : ((InetSocketAddress)tlsChannel.localAddress()).getPort();
    }

    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        if (null != tlsChannel)
        {
            tlsChannel.close().syncUninterruptibly();
        }
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        // closed pipelines are torn down on the blocking executor, then on the event loop: stop them in that order,
        // each after a quiet period, so no teardown step finds its executor gone
        blocking.shutdownGracefully(100, 5000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        group.shutdownGracefully(100, 5000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /** Closes a connection that has been idle for the idle timeout. */
    static final class IdleClose extends io.netty.channel.ChannelInboundHandlerAdapter
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
    static final class BoundedAggregator extends HttpObjectAggregator
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
