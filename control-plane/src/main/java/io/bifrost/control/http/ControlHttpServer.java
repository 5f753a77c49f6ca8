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
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The control plane's HTTP/1.1 server on Netty: the operator API, the internal API for ingest nodes, and
 * {@code /healthz}, {@code /readyz}, {@code /metrics}, all on one port and answered through one {@link Router}.
 *
 * <p>Threads: the event loops only decode and encode; route handlers run on a fixed pool of API workers (they may
 * block on the database). The pool's queue is bounded: when it is full, requests are answered 503 at once.
 *
 * <p>Stream-key checks ({@code POST /api/v1/internal/streams/authorize}) have their own small lane of
 * {@code keyCheckThreads} workers and {@code keyCheckQueue} waiting places: a publisher is refused when its check
 * fails, so a burst of status reports (an encoder farm leaving at once) or of operator calls, which fills the general
 * pool, must neither delay a key check nor answer it 503. A key check is answered 503 only when its own lane is full.
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
    /** Default workers of the key-check lane. */
    public static final int DEFAULT_KEY_CHECK_THREADS = 2;
    /** Default key checks that may wait for a key-check worker before new ones are refused with 503. */
    public static final int DEFAULT_KEY_CHECK_QUEUE = 1024;

    private final EventLoopGroup group;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor keyCheckWorkers;
    private final Channel serverChannel;
    private final ChannelGroup connections;

    private ControlHttpServer(
        final EventLoopGroup group, final ThreadPoolExecutor workers, final ThreadPoolExecutor keyCheckWorkers,
        final Channel serverChannel, final ChannelGroup connections)
    {
        this.group = group;
        this.workers = workers;
        this.keyCheckWorkers = keyCheckWorkers;
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
     * @param keyCheckThreads workers of the stream-key check lane, at least 1.
     * @param keyCheckQueue   key checks that may wait for one of them before new ones are answered 503, at least 0.
     */
    public record Settings(
        String bindAddress, int port, NettyTransport transport, int ioThreads, int apiThreads, int maxBodyBytes,
        Duration idleTimeout, int keyCheckThreads, int keyCheckQueue)
    {
        /**
         * Settings with the default key-check lane ({@value #DEFAULT_KEY_CHECK_THREADS} workers,
         * {@value #DEFAULT_KEY_CHECK_QUEUE} waiting).
         *
         * @param bindAddress  the address to listen on.
         * @param port         the port; 0 picks a free one.
         * @param transport    the Netty transport.
         * @param ioThreads    event-loop threads.
         * @param apiThreads   API worker threads.
         * @param maxBodyBytes the largest request body accepted.
         * @param idleTimeout  how long a connection may sit idle between requests.
         */
        public Settings(
            final String bindAddress, final int port, final NettyTransport transport, final int ioThreads,
            final int apiThreads, final int maxBodyBytes, final Duration idleTimeout)
        {
            this(bindAddress, port, transport, ioThreads, apiThreads, maxBodyBytes, idleTimeout,
                DEFAULT_KEY_CHECK_THREADS, DEFAULT_KEY_CHECK_QUEUE);
        }

        /**
         * @throws IllegalArgumentException when the key-check lane has no worker or a negative queue.
         */
        public Settings
        {
            if (keyCheckThreads < 1 || keyCheckQueue < 0)
            {
                throw new IllegalArgumentException("the key-check lane needs at least 1 worker and a queue of 0 or " +
                    "more, got " + keyCheckThreads + " and " + keyCheckQueue);
            }
        }
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
        final ThreadPoolExecutor keyCheckWorkers = new ThreadPoolExecutor(settings.keyCheckThreads(),
            settings.keyCheckThreads(), 0, TimeUnit.MILLISECONDS, 0 == settings.keyCheckQueue() ?
            new SynchronousQueue<>() : new ArrayBlockingQueue<>(settings.keyCheckQueue()),
            new DefaultThreadFactory("bifrost-control-key-check", true), new ThreadPoolExecutor.AbortPolicy());
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(
            settings.ioThreads(), new DefaultThreadFactory("bifrost-control"), settings.transport().ioHandlerFactory());
        final ApiDispatcher dispatcher = new ApiDispatcher(router, guard, metrics, workers, keyCheckWorkers);
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
            return new ControlHttpServer(group, workers, keyCheckWorkers, channel, connections);
        }
        catch (final Exception ex)
        {
            // Exception, not RuntimeException: syncUninterruptibly() rethrows bind's IOException unchecked.
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownNow();
            keyCheckWorkers.shutdownNow();
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
        keyCheckWorkers.shutdown();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            if (!workers.awaitTermination(5, TimeUnit.SECONDS))
            {
                workers.shutdownNow();
            }
            if (!keyCheckWorkers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
            {
                keyCheckWorkers.shutdownNow();
            }
        }
        catch (final InterruptedException ex)
        {
            workers.shutdownNow();
            keyCheckWorkers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
