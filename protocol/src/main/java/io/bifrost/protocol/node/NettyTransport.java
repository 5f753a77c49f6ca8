package io.bifrost.protocol.node;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.util.Locale;

/**
 * The Netty transport a server runs on: io_uring where the kernel and native library allow it, then epoll, then NIO.
 * The choice is logged by the caller and exported as the {@code bifrost_transport_info} metric.
 *
 * <p>Every Netty server and client in Bifrost (edge, origin, control plane, RTMP, the ops endpoint) selects its
 * transport here, so there is one fallback rule. Netty is an optional dependency of {@code protocol}: modules that
 * use this class declare the Netty transport artifacts themselves.
 */
public enum NettyTransport
{
    /** Linux io_uring (the fastest here). */
    IO_URING,
    /** Linux epoll. */
    EPOLL,
    /** Portable Java NIO. */
    NIO;

    /** Netty's own logging facade: SLF4J where the module has it, so protocol needs no logging dependency. */
    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(NettyTransport.class);

    /**
     * Pick the best available transport, or the one asked for.
     *
     * @param preferred "auto", "io_uring", "epoll" or "nio".
     * @return the transport to use; a preferred one that is unavailable falls back to the next available.
     */
    public static NettyTransport select(final String preferred)
    {
        final String wanted = preferred.toLowerCase(Locale.ROOT);
        if (("auto".equals(wanted) || "io_uring".equals(wanted)) && IoUring.isAvailable())
        {
            return IO_URING;
        }
        if (!"nio".equals(wanted) && Epoll.isAvailable())
        {
            return EPOLL;
        }
        return NIO;
    }

    /**
     * @return why io_uring is not used, for the log line, or null when it is available.
     */
    public static String ioUringUnavailabilityReason()
    {
        return IoUring.isAvailable() ? null : String.valueOf(IoUring.unavailabilityCause());
    }

    /**
     * @return the IO handler factory for a {@code MultiThreadIoEventLoopGroup}.
     */
    public IoHandlerFactory ioHandlerFactory()
    {
        return switch (this)
        {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    /**
     * The IO handler factory with sized io_uring rings: a submission queue of {@code ringSize} entries and a
     * completion queue of {@code cqSize} (servers and load clients that complete thousands of operations per pass
     * overflow Netty's default completion queue). A kernel that cannot size the completion queue gets the submission
     * size only and its default completion queue; that is logged once, here, with the reason. Other transports ignore
     * both sizes.
     *
     * @param ringSize submission queue entries per event loop; 0 or less keeps Netty's default.
     * @param cqSize   completion queue entries per event loop; 0 or less keeps the kernel's default.
     * @return the IO handler factory for a {@code MultiThreadIoEventLoopGroup}.
     */
    public IoHandlerFactory ioHandlerFactory(final int ringSize, final int cqSize)
    {
        if (this != IO_URING || (ringSize <= 0 && cqSize <= 0))
        {
            return ioHandlerFactory();
        }
        if (cqSize > 0)
        {
            try
            {
                final IoHandlerFactory factory = IoUringIoHandler.newFactory(ringConfig(ringSize).setCqSize(cqSize));
                LOG.info("io_uring rings: {} submission, {} completion entries per event loop",
                    ringSize > 0 ? ringSize : "default", cqSize);
                return factory;
            }
            catch (final UnsupportedOperationException noCqSize)
            {
                LOG.warn("io_uring: this kernel cannot size the completion queue ({}); {} submission entries and the " +
                    "kernel's default completion queue", noCqSize.getMessage(), ringSize > 0 ? ringSize : "default");
            }
        }
        return IoUringIoHandler.newFactory(ringConfig(ringSize));
    }

    private static IoUringIoHandlerConfig ringConfig(final int ringSize)
    {
        final IoUringIoHandlerConfig config = new IoUringIoHandlerConfig();
        return ringSize > 0 ? config.setRingSize(ringSize) : config;
    }

    /**
     * @return the server channel class for this transport.
     */
    public Class<? extends ServerChannel> serverChannelClass()
    {
        return switch (this)
        {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    /**
     * @return the client socket channel class for this transport (origin fills, Aeron-less HTTP clients).
     */
    public Class<? extends SocketChannel> socketChannelClass()
    {
        return switch (this)
        {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /**
     * @return the lower-case name used in logs and metrics.
     */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
