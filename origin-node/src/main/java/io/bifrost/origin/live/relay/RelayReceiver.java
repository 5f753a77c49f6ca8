package io.bifrost.origin.live.relay;

import io.bifrost.origin.http.OriginTls;
import io.bifrost.protocol.node.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The origin's listener for ingest nodes on other hosts ({@code bifrost ingest --ingest.origin-url}): HTTP/1.1 on its
 * own port, one streaming request per published stream ({@link RelayRequestHandler}), tags into the live ingest.
 * With a certificate ({@code origin.relay-tls-cert}/{@code origin.relay-tls-key}) the port speaks only TLS, so the
 * relay secret and the stream cross the network encrypted (ingests use {@code https://}).
 *
 * <p>Why its own port and not a route on the origin's public port: the public pipeline aggregates request bodies and
 * answers on a blocking executor, while a relay is a body that never ends and must be read under backpressure on the
 * event loop; the live ingest it feeds exists only once the origin is up; and internal traffic on its own port can be
 * firewalled away from viewers and edges, as the Aeron channel is. It also answers {@code /healthz}.
 *
 * <p>A stream relayed again while an older relay of it is still open (an ingest that reconnected before the origin
 * noticed the old connection die) replaces the older one, which is closed. Thread-safe; {@link #close()} closes every
 * relay (their sessions end) and the port.
 */
public final class RelayReceiver implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RelayReceiver.class);
    /** Longest request line accepted. */
    static final int MAX_INITIAL_LINE = 4096;
    /** Largest header block accepted. */
    static final int MAX_HEADER_BYTES = 8192;
    /** Largest body piece the codec hands on at once. */
    static final int MAX_CHUNK_BYTES = 64 * 1024;
    /** How long a client has to finish the TLS handshake. */
    static final long TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

    private final RelayReceiverContext context;
    private final RelayReceiverMetrics metrics;
    private final EventLoopGroup group;
    private final ChannelGroup connections;
    private final ConcurrentHashMap<String, Channel> relays = new ConcurrentHashMap<>();
    private final Channel serverChannel;

    private RelayReceiver(final RelayReceiverContext context)
    {
        this.context = context;
        this.metrics = new RelayReceiverMetrics(context.meterRegistry());
        final NettyTransport transport = NettyTransport.select(context.transport());
        this.group = new MultiThreadIoEventLoopGroup(context.ioThreads(), new DefaultThreadFactory("bifrost-relay-in"),
            transport.ioHandlerFactory());
        this.connections = new DefaultChannelGroup("bifrost-relay-connections", group.next());
        final long idleMs = context.idleTimeout().toMillis();
        final SslContext tls = context.tls() ?
            OriginTls.server(context.tlsCertificate(), context.tlsPrivateKey(), false, "origin relay") : null;
        try
        {
            serverChannel = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        connections.add(ch);
                        if (null != tls)
                        {
                            final SslHandler ssl = tls.newHandler(ch.alloc());
                            ssl.setHandshakeTimeoutMillis(TLS_HANDSHAKE_TIMEOUT_MS);
                            ch.pipeline().addLast("tls", ssl);
                            ch.pipeline().addLast("tls-outcome", new HandshakeOutcome(metrics));
                        }
                        ch.pipeline().addLast("idle", new IdleStateHandler(idleMs, 0, 0, TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES,
                            MAX_CHUNK_BYTES));
                        ch.pipeline().addLast("relay", new RelayRequestHandler(RelayReceiver.this));
                    }
                })
                .bind(context.bindAddress(), context.port())
                .syncUninterruptibly()
                .channel();
        }
        catch (final Exception ex) // syncUninterruptibly rethrows the checked BindException undeclared
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("origin relay cannot listen on " + context.bindAddress() + ":" +
                context.port() + " (" + ex.getMessage() + "); choose another with --origin.relay-port", ex);
        }
        LOG.info("origin relay listener on {}:{} ({}, {})", context.bindAddress(), port(), transport.label(),
            null == tls ? "plain HTTP" : "TLS");
    }

    /**
     * @param context the settings; concluded here.
     * @return the listening receiver.
     * @throws IllegalStateException when the port cannot be bound.
     */
    public static RelayReceiver start(final RelayReceiverContext context)
    {
        return new RelayReceiver(context.conclude());
    }

    /**
     * @return the bound port.
     */
    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    /**
     * @return the counters.
     */
    public RelayReceiverMetrics metrics()
    {
        return metrics;
    }

    RelayReceiverContext context()
    {
        return context;
    }

    /** The stream is now relayed on {@code channel}; an older relay of it is closed. */
    void claim(final String streamId, final Channel channel)
    {
        final Channel older = relays.put(streamId, channel);
        if (null != older && older != channel)
        {
            metrics.onReplaced();
            LOG.info("relay {}: a new relay replaces the one from {}", streamId, older.remoteAddress());
            older.close();
        }
    }

    /** The relay on {@code channel} ended; forget it unless a newer one took its place. */
    void release(final String streamId, final Channel channel)
    {
        relays.remove(streamId, channel);
    }

    /** Counts a failed TLS handshake (logged once per connection), then leaves the pipeline. */
    private static final class HandshakeOutcome extends ChannelInboundHandlerAdapter
    {
        private final RelayReceiverMetrics metrics;

        HandshakeOutcome(final RelayReceiverMetrics metrics)
        {
            this.metrics = metrics;
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) throws Exception
        {
            if (evt instanceof SslHandshakeCompletionEvent handshake)
            {
                if (!handshake.isSuccess())
                {
                    metrics.onTlsFailure();
                    LOG.info("relay TLS handshake with {} failed: {}", ctx.channel().remoteAddress(),
                        handshake.cause().toString());
                }
                super.userEventTriggered(ctx, evt);
                ctx.pipeline().remove(this);
                return;
            }
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
