package io.bifrost.edge.http;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.fill.FillCoalescer;
import io.bifrost.edge.fill.OriginClient;
import io.bifrost.edge.placement.PlacementHooks;
import io.bifrost.protocol.node.Readiness;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The edge's viewer-facing HTTP/1.1 server: requests are parsed into content keys, answered from the RAM tier on a
 * hit, and otherwise filled from the origin with request coalescing, streamed to viewers as bytes arrive and stored.
 *
 * <p>Limits: request line 4 KiB (414 beyond), headers 8 KiB (431 beyond), 16 pipelined requests per connection,
 * idle connections closed after {@code idleTimeout}; see {@link EdgeRequestHandler}.
 */
public final class EdgeHttpServer implements AutoCloseable
{
    /** Longest request line accepted. */
    static final int MAX_INITIAL_LINE = 4096;
    /** Largest header block accepted. */
    static final int MAX_HEADER_BYTES = 8192;

    private final EventLoopGroup group;
    private final OriginClient originClient;
    private final FillCoalescer coalescer;
    private final PlacementHooks placement;
    private final Channel serverChannel;

    private EdgeHttpServer(
        final EventLoopGroup group,
        final OriginClient originClient,
        final FillCoalescer coalescer,
        final PlacementHooks placement,
        final Channel serverChannel)
    {
        this.group = group;
        this.originClient = originClient;
        this.coalescer = coalescer;
        this.placement = placement;
        this.serverChannel = serverChannel;
    }

    /**
     * Bind and serve.
     *
     * @param context   concluded edge settings.
     * @param ramTier   the RAM tier hits are served from and fills are stored in (owned by the caller).
     * @param readiness what {@code /readyz} on the edge port reports.
     * @return the running server.
     * @throws IllegalStateException when the port cannot be bound.
     */
    public static EdgeHttpServer start(
        final EdgeNode.Context context, final RamTier ramTier, final Supplier<Readiness> readiness)
    {
        context.conclude();
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(
            context.ioThreads(), new DefaultThreadFactory("bifrost-edge"), context.transport().ioHandlerFactory());
        final OriginClient originClient = new OriginClient(context.origins(), group, context.transport(),
            context.originConnectTimeout(), context.originResponseTimeout(), context.maxOriginConnections(),
            context.originCircuitCooldown(), context.clock(), context.meterRegistry());
        final FillCoalescer coalescer = new FillCoalescer(originClient, context.maxFillObjectBytes(),
            PooledByteBufAllocator.DEFAULT,
            (key, head, body) -> ramTier.store(key.path(), key.kind(), head, body, context.clock().getAsLong()),
            context.meterRegistry());
        final TokenGate tokenGate = new TokenGate(context.signedPrefixes(), context.signingKeys(), context.meterRegistry());
        final EdgeRequestHandler.Shared shared = EdgeRequestHandler.Shared.create(
            tokenGate, ramTier, context.staleIfErrorDefault().toMillis(), context.clock(), coalescer, context.meterRegistry(), readiness, context.metricsText());
        final long idleMillis = context.idleTimeout().toMillis();
        try
        {
            final Channel channel = new ServerBootstrap()
                .group(group)
                .channel(context.transport().serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>()
                {
                    @Override
                    protected void initChannel(final Channel ch)
                    {
                        ch.pipeline()
                            .addLast(new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS))
                            .addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 64 * 1024))
                            .addLast(new EdgeRequestHandler(shared));
                    }
                })
                .bind(context.bindAddress(), context.port())
                .syncUninterruptibly()
                .channel();
            return new EdgeHttpServer(group, originClient, coalescer, new PlacementHooks(ramTier, coalescer, context.clock()), channel);
        }
        catch (final RuntimeException ex)
        {
            originClient.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("edge cannot listen on " + context.bindAddress() + ":" + context.port() +
                " (" + ex.getMessage() + "); choose another with --port", ex);
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
     * @return the coalescer, for placement hooks and tests that watch fills.
     */
    public FillCoalescer coalescer()
    {
        return coalescer;
    }

    /**
     * @return prefetch / pin / release, for the control plane's placement commands.
     */
    public PlacementHooks placement()
    {
        return placement;
    }

    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        originClient.close();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
