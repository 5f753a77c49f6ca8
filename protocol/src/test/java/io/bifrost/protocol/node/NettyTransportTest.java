package io.bifrost.protocol.node;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class NettyTransportTest
{
    @Test
    void shouldPreferIoUringThenEpollThenNio()
    {
        final NettyTransport auto = NettyTransport.select("auto");

        final NettyTransport expected = IoUring.isAvailable() ? NettyTransport.IO_URING :
            Epoll.isAvailable() ? NettyTransport.EPOLL : NettyTransport.NIO;
        assertThat(auto).isEqualTo(expected);
        assertThat(NettyTransport.ioUringUnavailabilityReason() == null).isEqualTo(IoUring.isAvailable());
    }

    @Test
    void shouldHonourAnExplicitChoiceAndFallBackWhenItIsUnavailable()
    {
        assertThat(NettyTransport.select("nio")).isEqualTo(NettyTransport.NIO);
        assertThat(NettyTransport.select("EPOLL")).isEqualTo(Epoll.isAvailable() ? NettyTransport.EPOLL : NettyTransport.NIO);
        assertThat(NettyTransport.select("io_uring").label()).isIn("io_uring", "epoll", "nio");
    }

    @Test
    void shouldGiveMatchingServerAndClientChannelsPerTransport()
    {
        for (final NettyTransport transport : NettyTransport.values())
        {
            assertThat(transport.serverChannelClass().getSimpleName()).startsWith(prefix(transport));
            assertThat(transport.socketChannelClass().getSimpleName()).startsWith(prefix(transport));
        }
    }

    @Test
    void shouldRunEventLoopsOnSizedRingsOrTheDefaultsWhereTheKernelCannotSizeThem() throws Exception
    {
        for (final NettyTransport transport : NettyTransport.values())
        {
            if (transport == NettyTransport.IO_URING && !IoUring.isAvailable() ||
                transport == NettyTransport.EPOLL && !Epoll.isAvailable())
            {
                continue;
            }
            for (final int[] sizes : new int[][] {{4096, 32768}, {0, 16384}, {1024, 0}, {0, 0}})
            {
                final MultiThreadIoEventLoopGroup group =
                    new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory(sizes[0], sizes[1]));
                try
                {
                    assertThat(group.next().submit(() -> transport.label()).get(10, TimeUnit.SECONDS))
                        .isEqualTo(transport.label());
                }
                finally
                {
                    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
                }
            }
        }
    }

    private static String prefix(final NettyTransport transport)
    {
        return switch (transport)
        {
            case IO_URING -> "IoUring";
            case EPOLL -> "Epoll";
            case NIO -> "Nio";
        };
    }
}
