package io.bifrost.ingest.relay;

import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.SinkDemand;
import io.bifrost.protocol.node.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Relays every accepted publish to an origin on another host (DESIGN.md section 2, Live): one chunked HTTP/1.1 request
 * per stream over its own connection, carrying the FLV tags with their arrival times ({@link RelayWire}). The
 * ingest's half of {@code bifrost ingest --ingest.origin-url http://origin:8083} feeding {@code bifrost origin}; with
 * an {@code https://} URL over TLS, a connection counting only once the origin's certificate is verified (a failed
 * handshake is retried and given up like an unreachable origin, and counted).
 *
 * <p>Backpressure end to end: the origin stops reading when its live pipeline is behind; the relay's outbound buffer
 * is bounded by Netty's write-buffer water marks ({@code highWaterBytes}); past it {@link MediaSink#onTag} answers
 * false and the publisher's session stops reading until the channel drains to half. Failures: a relay that cannot
 * connect or drops is retried with backoff (100 ms doubling to 2 s) for {@code reconnectTimeout}; meanwhile the
 * publisher goes on, tags since the last keyframe are kept (bounded, {@code gopCacheBytes}) and replayed to the new
 * connection, older ones are dropped and counted. The origin starts a new session (a new epoch) for the new request.
 * Past {@code reconnectTimeout}, or at once when the origin refuses the relay (401/403/404/400), the stream is given up
 * and its publish ended through {@link SinkDemand#abort}: the publisher is told why (RTMP {@code onStatus}
 * {@code NetStream.Failed}) instead of streaming on into nothing, since this relay is the stream's only way to viewers.
 * A URL that does not fit the port it names (plain HTTP to a TLS port, {@code https://} to a plain one, a port that
 * does not answer HTTP) is given up at once too, with an error naming the setting to change ({@link OriginMismatch}).
 *
 * <p>Thread-safe. {@link #close()} ends every relay and stops the client's event loop.
 */
public final class OriginRelaySinkFactory implements MediaSinkFactory, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(OriginRelaySinkFactory.class);

    private final OriginRelayContext context;
    private final RelayMetrics metrics;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Set<RelayedStream> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param context the settings; concluded here.
     */
    public OriginRelaySinkFactory(final OriginRelayContext context)
    {
        this.context = context.conclude();
        this.metrics = new RelayMetrics(context.meterRegistry());
        final NettyTransport transport = NettyTransport.select(context.transport());
        this.group = new MultiThreadIoEventLoopGroup(context.ioThreads(), new DefaultThreadFactory("bifrost-relay"),
            transport.ioHandlerFactory());
        this.bootstrap = new Bootstrap()
            .group(group)
            .channel(transport.socketChannelClass())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)context.connectTimeout().toMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(context.highWaterBytes() / 2, context.highWaterBytes()));
        LOG.info("ingest relays published streams to {} ({}{})", context.originUrl(), transport.label(),
            null == context.sslContext() ? ", plain HTTP" : ", TLS verified against " +
            (null == context.caFile() ? "the JVM's trust store" : context.caFile()));
    }

    @Override
    public MediaSink open(final PublishRequest request, final SinkDemand demand)
    {
        if (closed)
        {
            throw new IllegalStateException("the origin relay is closed");
        }
        if (null == request.streamId() || !RelayWire.STREAM_ID.matcher(request.streamId()).matches())
        {
            throw new IllegalArgumentException("stream id " + request.streamId() + " cannot be relayed");
        }
        final RelayedStream stream = new RelayedStream(this, request, demand);
        streams.add(stream);
        stream.connect();
        return stream;
    }

    /**
     * @return the counters.
     */
    public RelayMetrics metrics()
    {
        return metrics;
    }

    OriginRelayContext context()
    {
        return context;
    }

    Bootstrap bootstrap()
    {
        return bootstrap;
    }

    EventLoopGroup group()
    {
        return group;
    }

    void forget(final RelayedStream stream)
    {
        streams.remove(stream);
    }

    @Override
    public void close()
    {
        closed = true;
        for (final RelayedStream stream : streams)
        {
            stream.shutdown();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
