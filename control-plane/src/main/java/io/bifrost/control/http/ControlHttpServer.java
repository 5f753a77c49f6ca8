package io.bifrost.control.http;

import io.bifrost.protocol.node.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The control plane's HTTP/1.1 server on Netty: the operator API, the internal API for ingest nodes, and
 * {@code /healthz}, {@code /readyz}, {@code /metrics}, all on one port and answered through one {@link Router}.
 *
 * <p>Threads: the event loops only decode and encode; route handlers run on a fixed pool of API workers (they may
 * block on the database). The pool's queue is bounded: when it is full, requests are answered 503 at once.
 *
 * <p>Limits: request line {@value #MAX_INITIAL_LINE} bytes (414), headers {@value #MAX_HEADER_BYTES} bytes (431), body
 * {@code maxBodyBytes} (413), {@value ApiChannelHandler#MAX_QUEUED} pipelined requests per connection, idle
 * connections closed after {@code idleTimeout}.
 */
public final class ControlHttpServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ControlHttpServer.class);

    /** Longest request line accepted. */
    static final int MAX_INITIAL_LINE = 8192;
    /** Largest header block accepted. */
    static final int MAX_HEADER_BYTES = 16384;
    /** Requests that may wait for an API worker before new ones are refused with 503. */
    static final int MAX_WAITING_REQUESTS = 256;

    private final EventLoopGroup group;
    private final ThreadPoolExecutor workers;
    private final Channel serverChannel;
    private final ChannelGroup connections;

    private ControlHttpServer(
        final EventLoopGroup group, final ThreadPoolExecutor workers, final Channel serverChannel, final ChannelGroup connections)
    {
        this.group = group;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    /**
     * Server settings.
     *
     * @param bindAddress  the address to listen on.
     * @param port         the port; 0 picks a free one.
     * @param transport    the Netty transport.
     * @param ioThreads    event-loop threads.
     * @param apiThreads   API worker threads (and so the most requests handled at once).
     * @param maxBodyBytes the largest request body accepted.
     * @param idleTimeout  how long a connection may sit idle between requests.
     */
    public record Settings(
        String bindAddress, int port, NettyTransport transport, int ioThreads, int apiThreads, int maxBodyBytes,
        Duration idleTimeout)
    {
    }

    /**
     * Bind and serve.
     *
     * @param settings the listener settings.
     * @param router   the routes; not changed after this call.
     * @param guard    the access checks.
     * @param metrics  request counters.
     * @return the running server.
     * @throws IllegalStateException when the port cannot be bound.
     */
    public static ControlHttpServer start(
        final Settings settings, final Router router, final AccessGuard guard, final ApiMetrics metrics)
    {
        final ThreadPoolExecutor workers = new ThreadPoolExecutor(settings.apiThreads(), settings.apiThreads(),
            0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_WAITING_REQUESTS),
            new DefaultThreadFactory("bifrost-control-api", true), new ThreadPoolExecutor.AbortPolicy());
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(
            settings.ioThreads(), new DefaultThreadFactory("bifrost-control"), settings.transport().ioHandlerFactory());
        final ApiDispatcher dispatcher = new ApiDispatcher(router, guard, metrics, workers);
        final ChannelGroup connections = new DefaultChannelGroup("bifrost-control-clients", group.next());
        final long idleMillis = settings.idleTimeout().toMillis();
        try
        {
            final Channel channel = new ServerBootstrap()
                .group(group)
                .channel(settings.transport().serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>()
                {
                    @Override
                    protected void initChannel(final Channel ch)
                    {
                        connections.add(ch);
                        ch.pipeline().addLast(
                            new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS),
                            new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192),
                            new BoundedBodyAggregator(dispatcher, settings.maxBodyBytes()),
                            new ApiChannelHandler(dispatcher));
                    }
                })
                .bind(settings.bindAddress(), settings.port())
                .syncUninterruptibly()
                .channel();
            LOG.info("control plane API listening on {}:{} ({} transport)", settings.bindAddress(),
                ((InetSocketAddress)channel.localAddress()).getPort(), settings.transport().label());
            return new ControlHttpServer(group, workers, channel, connections);
        }
        catch (final Exception ex)
        {
            // Exception, not RuntimeException: syncUninterruptibly() rethrows bind's IOException unchecked.
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownNow();
            throw new IllegalStateException("control plane cannot listen on " + settings.bindAddress() + ":" +
                settings.port() + " (" + ex.getMessage() + "); choose another with --control.port", ex);
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
     * Stop listening, let running handlers finish (up to 5 s; requests arriving meanwhile get 503), close the open
     * connections (answers already written are flushed), then release the threads.
     */
    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        workers.shutdown();
        try
        {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS))
            {
                workers.shutdownNow();
            }
        }
        catch (final InterruptedException ex)
        {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
