package io.bifrost.edge.http;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.cache.ssd.SsdTier;
import io.bifrost.edge.fill.FillCoalescer;
import io.bifrost.edge.fill.OriginClient;
import io.bifrost.edge.live.LiveWindowStore;
import io.bifrost.edge.placement.PlacementHooks;
import io.bifrost.edge.player.PlayerService;
import io.bifrost.edge.ring.AccessRing;
import io.bifrost.edge.ring.TierRing;
import io.bifrost.protocol.node.NettyTransport;
import io.bifrost.protocol.node.Readiness;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The edge's viewer-facing HTTP/1.1 server: requests are parsed into content keys, answered from the RAM tier on a
 * hit, and otherwise filled from the origin with request coalescing, streamed to viewers as bytes arrive and stored.
 *
 * <p>Protocols: HTTP/1.1 and HTTP/2 cleartext (upgrade or prior knowledge) on {@code port}; when a certificate is
 * configured, TLS on {@code tlsPort} with ALPN choosing h2 or http/1.1 ({@link EdgeChannelInitializer}).
 *
 * <p>Threads: the event loops never touch the disk. SSD reads and writes (and RAM lookups when
 * {@code edge.ram-hit-path=ring}) go through the {@link TierRing}; one access event per request goes through the
 * {@link AccessRing}.
 *
 * <p>Limits: request line 4 KiB (414 beyond), headers 8 KiB (431 beyond), 16 pipelined requests per connection,
 * idle connections closed after {@code idleTimeout}; see {@link EdgeRequestHandler}.
 */
public final class EdgeHttpServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(EdgeHttpServer.class);

    /** Longest request line accepted. */
    static final int MAX_INITIAL_LINE = 4096;
    /** Largest header block accepted. */
    static final int MAX_HEADER_BYTES = 8192;

    private final EventLoopGroup group;
    private final OriginClient originClient;
    private final FillCoalescer coalescer;
    private final PlacementHooks placement;
    private final Channel serverChannel;
    private final Channel tlsChannel;
    private final ChannelGroup connections;
    private final RamTier ramTier;
    private final TierRing tierRing;
    private final AccessRing accessRing;

    private EdgeHttpServer(
        final EventLoopGroup group,
        final OriginClient originClient,
        final FillCoalescer coalescer,
        final PlacementHooks placement,
        final Channel serverChannel,
        final Channel tlsChannel,
        final ChannelGroup connections,
        final RamTier ramTier,
        final TierRing tierRing,
        final AccessRing accessRing)
    {
        this.ramTier = ramTier;
        this.tierRing = tierRing;
        this.accessRing = accessRing;
        this.tlsChannel = tlsChannel;
        this.connections = connections;
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
        return start(context, ramTier, null, readiness);
    }

    /**
     * Bind and serve, with an SSD tier behind the RAM tier.
     *
     * @param context   concluded edge settings.
     * @param ramTier   the RAM tier (owned by the caller).
     * @param ssdTier   the SSD tier, or null for none; owned by the caller, who closes it after this server, and
     *                  used only from the tier ring's thread from now on.
     * @param readiness what {@code /readyz} on the edge port reports.
     * @return the running server.
     * @throws IllegalStateException when the port cannot be bound.
     */
    public static EdgeHttpServer start(
        final EdgeNode.Context context, final RamTier ramTier, final SsdTier ssdTier, final Supplier<Readiness> readiness)
    {
        return start(context, ramTier, ssdTier, null, readiness);
    }

    /**
     * Bind and serve, answering live paths from the live window first.
     *
     * @param context   concluded edge settings.
     * @param ramTier   the RAM tier (owned by the caller).
     * @param ssdTier   the SSD tier, or null for none (owned by the caller).
     * @param live      the live window replicated from the origin, or null; owned by the caller, closed after this
     *                  server.
     * @param readiness what {@code /readyz} on the edge port reports.
     * @return the running server.
     * @throws IllegalStateException when the port cannot be bound.
     */
    public static EdgeHttpServer start(
        final EdgeNode.Context context,
        final RamTier ramTier,
        final SsdTier ssdTier,
        final LiveWindowStore live,
        final Supplier<Readiness> readiness)
    {
        context.conclude();
        final boolean ramViaRing = RamHitPath.named(context.ramHitPath()) == RamHitPath.RING;
        final TierRing tierRing = ssdTier == null && !ramViaRing ? null : new TierRing(ramTier, ssdTier,
            context.tierRingSlots(), context.ssdWriteQueueBytes(), context.clock(), context.meterRegistry());
        if (tierRing != null && tierRing.hasSsd())
        {
            ramTier.demoteTo(tierRing);
        }
        final AccessRing accessRing = new AccessRing(context.accessRingSlots(), context.meterRegistry(),
            context.accessObserver());
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(
            context.ioThreads(), new DefaultThreadFactory("bifrost-edge"), ioHandlerFactory(context));
        final OriginClient originClient = new OriginClient(context.origins(), group, context.transport(),
            context.originConnectTimeout(), context.originResponseTimeout(), context.maxOriginConnections(),
            context.originCircuitCooldown(), context.clock(), context.meterRegistry());
        final FillCoalescer coalescer = new FillCoalescer(originClient, context.maxFillObjectBytes(),
            PooledByteBufAllocator.DEFAULT,
            (key, head, body) ->
            {
                ramTier.store(key, head, body, context.clock().getAsLong());
                if (tierRing != null)
                {
                    tierRing.offerFill(key, head, body);
                }
            },
            context.meterRegistry(), context.fillObserver(), context.maxFillHops());
        final TokenGate tokenGate = new TokenGate(context.signedPrefixes(), context.signingKeys(), context.meterRegistry());
        final RequestServices shared = RequestServices.create(new RequestServices.Context()
            .tokenGate(tokenGate)
            .ramTier(ramTier)
            .staleIfErrorMs(context.staleIfErrorDefault().toMillis())
            .requestHeadTimeoutMs(context.requestHeadTimeout().toMillis())
            .clock(context.clock())
            .coalescer(coalescer)
            .meterRegistry(context.meterRegistry())
            .readiness(readiness)
            .metricsText(context.metricsText())
            .tierRing(tierRing)
            .ramHitViaRing(ramViaRing)
            .accessRing(accessRing)
            .live(live));
        final long idleMillis = context.idleTimeout().toMillis();
        final PlayerService player = new PlayerService(context.meterRegistry(), context.playerHlsJsDir(),
            context.beaconObserver());
        final ChannelGroup connections = new DefaultChannelGroup("bifrost-edge-viewers", group.next());
        Channel channel = null;
        try
        {
            channel = bind(context, group, new EdgeChannelInitializer(shared, idleMillis, null, connections, player,
                context.liveEncodedAnswers()), context.port(), "--port");
            final Channel tlsChannel = context.tlsCertificate() == null ? null : bind(context, group,
                new EdgeChannelInitializer(shared, idleMillis, tlsContext(context), connections,
                    player, context.liveEncodedAnswers()), context.tlsPort(), "--tls-port");
            return new EdgeHttpServer(group, originClient, coalescer,
                new PlacementHooks(ramTier, tierRing, coalescer, context.clock()), channel, tlsChannel, connections,
                ramTier, tierRing, accessRing);
        }
        catch (final RuntimeException ex)
        {
            if (channel != null)
            {
                channel.close().syncUninterruptibly();
            }
            originClient.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            closeRings(ramTier, tierRing, accessRing);
            throw ex;
        }
    }

    /**
     * The event loops' IO handler: io_uring with the context's ring sizes, so that a wake answering thousands of held
     * viewers on one loop neither submits in small batches nor overflows the completion queue (a kernel without
     * IORING_SETUP_CQSIZE keeps its default completion queue); epoll and NIO as the transport makes them.
     */
    static IoHandlerFactory ioHandlerFactory(final EdgeNode.Context context)
    {
        return context.transport().ioHandlerFactory(context.ioUringRingSize(), context.ioUringCqSize());
    }

    private static Channel bind(
        final EdgeNode.Context context,
        final EventLoopGroup group,
        final EdgeChannelInitializer initializer,
        final int port,
        final String flag)
    {
        try
        {
            return new ServerBootstrap()
                .group(group)
                .channel(context.transport().serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer)
                .bind(context.bindAddress(), port)
                .syncUninterruptibly()
                .channel();
        }
        catch (final Exception ex) // syncUninterruptibly rethrows the checked BindException undeclared
        {
            throw new IllegalStateException("edge cannot listen on " + context.bindAddress() + ":" + port +
                " (" + ex.getMessage() + "); choose another with " + flag, ex);
        }
    }

    /**
     * TLS with ALPN offering h2 then http/1.1, on OpenSSL (netty-tcnative) where it loads, else the JDK.
     */
    private static SslContext tlsContext(final EdgeNode.Context context)
    {
        final SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        try
        {
            final SslContext tls = SslContextBuilder
                .forServer(context.tlsCertificate().toFile(), context.tlsPrivateKey().toFile())
                .sslProvider(provider)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
            LOG.info("edge TLS uses {} with ALPN h2, http/1.1", provider);
            return tls;
        }
        catch (final javax.net.ssl.SSLException | IllegalArgumentException ex)
        {
            throw new IllegalStateException("edge TLS: cannot use certificate " + context.tlsCertificate() + " with key " +
                context.tlsPrivateKey() + " (" + ex.getMessage() + "); give a PEM certificate chain and a PEM PKCS#8 key", ex);
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
        return tlsChannel == null ? -1 : ((InetSocketAddress)tlsChannel.localAddress()).getPort();
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
        if (tlsChannel != null)
        {
            tlsChannel.close().syncUninterruptibly();
        }
        // Listeners are closed: no new viewers. Close the open connections so clients reconnect elsewhere instead of
        // waiting on sockets nobody reads (responses already written are flushed first).
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        originClient.close();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        closeRings(ramTier, tierRing, accessRing);
    }

    private static void closeRings(final RamTier ramTier, final TierRing tierRing, final AccessRing accessRing)
    {
        if (tierRing != null)
        {
            ramTier.demoteTo(null);
            tierRing.close();
        }
        accessRing.close();
    }
}
