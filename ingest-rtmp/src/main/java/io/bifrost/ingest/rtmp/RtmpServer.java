package io.bifrost.ingest.rtmp;

import io.bifrost.ingest.rtmp.chunk.RtmpChunkDecoder;
import io.bifrost.ingest.rtmp.chunk.RtmpChunkEncoder;
import io.bifrost.ingest.rtmp.handshake.RtmpHandshakeHandler;
import io.bifrost.ingest.rtmp.session.PublishRegistry;
import io.bifrost.ingest.rtmp.session.RtmpSession;
import io.bifrost.ingest.rtmp.session.SessionContext;
import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;
import io.bifrost.protocol.node.ContextValidation;
import io.bifrost.protocol.node.NettyTransport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The RTMP listener: accepts publishers on {@code rtmp://host:port/{app}/{streamKey}}, runs handshake, chunk
 * decoding and the publish command flow per connection, and hands each accepted stream's FLV tags to a
 * {@link io.bifrost.ingest.sink.MediaSink}.
 *
 * <p>Lifecycle: build a {@link Context}, {@link #start(Context)} binds (port 0 picks an ephemeral port, see
 * {@link #port()}), {@link #close()} stops accepting, ends every live stream with {@code SERVER_CLOSED}, closes the
 * connections and releases the event loops. Thread-safe: {@link #close()} may be called from any thread.
 */
public final class RtmpServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RtmpServer.class);

    private final Context context;
    private final EventLoopGroup group;
    private final ChannelGroup connections = new DefaultChannelGroup("rtmp", GlobalEventExecutor.INSTANCE);
    private final Channel serverChannel;
    private final RtmpMetrics metrics;
    private final PublishRegistry registry;
    private final NettyTransport transport;

    private RtmpServer(final Context context)
    {
        this.context = context;
        this.metrics = new RtmpMetrics(context.meterRegistry());
        this.transport = NettyTransport.select(context.transport());
        this.registry = context.registry();
        final SessionContext sessionContext = new SessionContext(context.app(), context.outboundChunkSize(),
            context.windowAckSizeBytes(), context.limits(), context.authorizer(), context.sinkFactory(), registry,
            metrics, context.protocol());
        final SslContext tls = context.sslContext();
        this.group = new MultiThreadIoEventLoopGroup(context.ioThreads(), transport.ioHandlerFactory());
        try
        {
            serverChannel = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>()
                {
                    @Override
                    protected void initChannel(final Channel channel)
                    {
                        connections.add(channel);
                        if (null != tls)
                        {
                            final SslHandler ssl = tls.newHandler(channel.alloc());
                            ssl.setHandshakeTimeoutMillis(context.handshakeTimeoutMs());
                            channel.pipeline().addLast("tls", ssl);
                        }
                        channel.pipeline()
                            .addLast("idle", new IdleStateHandler(context.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS))
                            .addLast("handshake", new RtmpHandshakeHandler(context.handshakeTimeoutMs()))
                            .addLast("encoder", new RtmpChunkEncoder())
                            .addLast("decoder", new RtmpChunkDecoder(context.limits()))
                            .addLast("session", new RtmpSession(sessionContext));
                    }
                })
                .bind(new InetSocketAddress(context.bindAddress(), context.port()))
                .syncUninterruptibly()
                .channel();
        }
        catch (final Exception ex) // syncUninterruptibly rethrows the checked BindException undeclared
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException(context.protocol().wireName() + " cannot listen on " + context.bindAddress() +
                ":" + context.port() + " (" + ex.getMessage() + "); choose another port", ex);
        }
        if (NettyTransport.IO_URING == transport)
        {
            LOG.info("{} listening on {} (io_uring), app '{}'", context.protocol().wireName(),
                serverChannel.localAddress(), context.app());
        }
        else
        {
            LOG.info("{} listening on {} ({}; io_uring unavailable: {}), app '{}'", context.protocol().wireName(),
                serverChannel.localAddress(), transport.label(), NettyTransport.ioUringUnavailabilityReason(), context.app());
        }
    }

    /**
     * Validate the context and bind.
     *
     * @param context the settings; {@link Context#conclude()} is called here.
     * @return the running server.
     */
    public static RtmpServer start(final Context context)
    {
        return new RtmpServer(context.conclude());
    }

    /**
     * @return the bound port (the ephemeral one when the context asked for 0).
     */
    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    /**
     * @return the server's counters.
     */
    public RtmpMetrics metrics()
    {
        return metrics;
    }

    /**
     * @return the keys being published now.
     */
    public PublishRegistry registry()
    {
        return registry;
    }

    /**
     * @return the Netty transport in use.
     */
    public NettyTransport transport()
    {
        return transport;
    }

    @Override
    public void close()
    {
        if (!serverChannel.isOpen() && group.isShuttingDown())
        {
            return;
        }
        serverChannel.close().awaitUninterruptibly(context.drainTimeoutMs());
        for (final Channel channel : connections)
        {
            channel.eventLoop().execute(() ->
            {
                final RtmpSession session = channel.pipeline().get(RtmpSession.class);
                if (null != session)
                {
                    session.onServerClose();
                }
                channel.close();
            });
        }
        connections.newCloseFuture().awaitUninterruptibly(context.drainTimeoutMs());
        group.shutdownGracefully(0, context.drainTimeoutMs(), TimeUnit.MILLISECONDS)
            .awaitUninterruptibly(context.drainTimeoutMs() + 1000);
    }

    /**
     * Settings of an RTMP server. Mutable until {@link #conclude()}; not thread-safe while being built.
     */
    public static final class Context
    {
        /** Default RTMP port (IANA "macromedia-fcs", 1935/tcp). */
        public static final int DEFAULT_PORT = 1935;
        /** Default application name in the publish URL. */
        public static final String DEFAULT_APP = "live";
        /** Default time for a complete handshake, milliseconds. */
        public static final long DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;
        /** Default time without a byte from the publisher before the connection is closed, milliseconds. */
        public static final long DEFAULT_IDLE_TIMEOUT_MS = 30_000;
        /** Default chunk size the server sends with (what nginx-rtmp and most servers announce). */
        public static final int DEFAULT_OUTBOUND_CHUNK_SIZE = 4096;
        /** Default acknowledgement window announced to publishers, bytes. */
        public static final int DEFAULT_WINDOW_ACK_SIZE = 2_500_000;

        private String bindAddress = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private String app = DEFAULT_APP;
        private String transport = "auto";
        private int ioThreads = 1;
        private long handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS;
        private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
        private long drainTimeoutMs = 5_000;
        private int outboundChunkSize = DEFAULT_OUTBOUND_CHUNK_SIZE;
        private int windowAckSizeBytes = DEFAULT_WINDOW_ACK_SIZE;
        private RtmpLimits limits = RtmpLimits.defaults();
        private StreamKeyAuthorizer authorizer;
        private MediaSinkFactory sinkFactory;
        private MeterRegistry meterRegistry;
        private IngestProtocol protocol = IngestProtocol.RTMP;
        private SslContext sslContext;
        private PublishRegistry registry;

        public Context bindAddress(final String bindAddress) { this.bindAddress = bindAddress; return this; }
        public String bindAddress() { return bindAddress; }
        public Context port(final int port) { this.port = port; return this; }
        public int port() { return port; }
        public Context app(final String app) { this.app = app; return this; }
        public String app() { return app; }
        public Context transport(final String transport) { this.transport = transport; return this; }
        public String transport() { return transport; }
        public Context ioThreads(final int ioThreads) { this.ioThreads = ioThreads; return this; }
        public int ioThreads() { return ioThreads; }
        public Context handshakeTimeoutMs(final long value) { this.handshakeTimeoutMs = value; return this; }
        public long handshakeTimeoutMs() { return handshakeTimeoutMs; }
        public Context idleTimeoutMs(final long value) { this.idleTimeoutMs = value; return this; }
        public long idleTimeoutMs() { return idleTimeoutMs; }
        public Context drainTimeoutMs(final long value) { this.drainTimeoutMs = value; return this; }
        public long drainTimeoutMs() { return drainTimeoutMs; }
        public Context outboundChunkSize(final int value) { this.outboundChunkSize = value; return this; }
        public int outboundChunkSize() { return outboundChunkSize; }
        public Context windowAckSizeBytes(final int value) { this.windowAckSizeBytes = value; return this; }
        public int windowAckSizeBytes() { return windowAckSizeBytes; }
        public Context limits(final RtmpLimits limits) { this.limits = limits; return this; }
        public RtmpLimits limits() { return limits; }
        public Context authorizer(final StreamKeyAuthorizer authorizer) { this.authorizer = authorizer; return this; }
        public StreamKeyAuthorizer authorizer() { return authorizer; }
        public Context sinkFactory(final MediaSinkFactory sinkFactory) { this.sinkFactory = sinkFactory; return this; }
        public MediaSinkFactory sinkFactory() { return sinkFactory; }
        public Context meterRegistry(final MeterRegistry registry) { this.meterRegistry = registry; return this; }
        public MeterRegistry meterRegistry() { return meterRegistry; }
        /** What publishers of this listener are authorized as; RTMPS when {@link #sslContext} is set. */
        public Context protocol(final IngestProtocol protocol) { this.protocol = protocol; return this; }
        public IngestProtocol protocol() { return protocol; }
        /** TLS in front of the RTMP pipeline (RTMPS); null for plain RTMP. */
        public Context sslContext(final SslContext sslContext) { this.sslContext = sslContext; return this; }
        public SslContext sslContext() { return sslContext; }
        /** The live keys, shared by every listener of one node so a key is published once across RTMP/RTMPS/SRT. */
        public Context registry(final PublishRegistry registry) { this.registry = registry; return this; }
        public PublishRegistry registry() { return registry; }

        /**
         * Validate and fill defaults (a {@link SimpleMeterRegistry} when none is given).
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad key.
         */
        public Context conclude()
        {
            ContextValidation.requireNonBlank("ingest.bind", bindAddress);
            if (port < 0 || port > 65_535)
            {
                throw new IllegalArgumentException("ingest.rtmp-port must be in [0, 65535], was " + port);
            }
            ContextValidation.requireNonBlank("ingest.rtmp.app", app);
            if (app.contains("/") || app.contains("?"))
            {
                throw new IllegalArgumentException("ingest.rtmp.app must be one path segment, was " + app);
            }
            requirePositive("ingest.rtmp.io-threads", ioThreads);
            requirePositive("ingest.rtmp.handshake-timeout-ms", handshakeTimeoutMs);
            requirePositive("ingest.rtmp.idle-timeout-ms", idleTimeoutMs);
            requirePositive("ingest.drain-timeout-ms", drainTimeoutMs);
            if (null == limits)
            {
                throw new IllegalArgumentException("ingest.rtmp limits must be set");
            }
            if (outboundChunkSize < 128 || outboundChunkSize > limits.maxChunkSize())
            {
                throw new IllegalArgumentException("ingest.rtmp.chunk-size must be in [128, " + limits.maxChunkSize() +
                    "], was " + outboundChunkSize);
            }
            requirePositive("ingest.rtmp.window-ack-size", windowAckSizeBytes);
            if (null == authorizer)
            {
                throw new IllegalArgumentException("ingest.rtmp authorizer must be set (stream keys)");
            }
            if (null == sinkFactory)
            {
                throw new IllegalArgumentException("ingest.rtmp sink factory must be set");
            }
            if (null == meterRegistry)
            {
                meterRegistry = new SimpleMeterRegistry();
            }
            if (null == registry)
            {
                registry = new PublishRegistry();
            }
            if (null == protocol || IngestProtocol.SRT == protocol)
            {
                throw new IllegalArgumentException("an RTMP listener's protocol is rtmp or rtmps, was " + protocol);
            }
            if (null != sslContext)
            {
                protocol = IngestProtocol.RTMPS;
            }
            return this;
        }

        private static void requirePositive(final String key, final long value)
        {
            if (value < 1)
            {
                throw new IllegalArgumentException(key + " must be >= 1, was " + value);
            }
        }
    }
}
