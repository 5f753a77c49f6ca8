package io.bifrost.edge.fill;

import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.node.NettyTransport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The loop guard of tiered fills, with a real {@link OriginClient} against a real HTTP origin on loopback: the hop
 * count a fill sends, and the refusal of a miss that has passed through too many edges.
 */
class FillHopsTest
{
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private EventLoopGroup group;
    private OriginClient client;
    private ShieldOrigin origin;

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(client, origin);
        if (group != null)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void shouldParseSmallDecimalCountsAndRejectEverythingElse()
    {
        assertThat(FillHops.parse(null)).isZero();
        assertThat(FillHops.parse("0")).isZero();
        assertThat(FillHops.parse("1")).isEqualTo(1);
        assertThat(FillHops.parse(" 2\t")).isEqualTo(2);
        assertThat(FillHops.parse("64")).isEqualTo(64);
        assertThat(FillHops.parse("65")).isEqualTo(FillHops.MALFORMED);
        assertThat(FillHops.parse("")).isEqualTo(FillHops.MALFORMED);
        assertThat(FillHops.parse("-1")).isEqualTo(FillHops.MALFORMED);
        assertThat(FillHops.parse("007")).isEqualTo(FillHops.MALFORMED);
        assertThat(FillHops.parse("1,2")).isEqualTo(FillHops.MALFORMED);
        assertThat(FillHops.parse("x")).isEqualTo(FillHops.MALFORMED);
    }

    @Test
    void shouldSendOneHopMoreThanTheRequestThatStartedTheFill() throws Exception
    {
        final FillCoalescer coalescer = coalescer(2);
        origin.put("/vod/a/720p/0.m4s", new byte[100]).put("/vod/a/720p/1.m4s", new byte[100]);

        final Outcome fromViewer = new Outcome();
        coalescer.request(key("/vod/a/720p/0.m4s"), fromViewer);
        final Outcome fromChildEdge = new Outcome();
        coalescer.request(key("/vod/a/720p/1.m4s"), fromChildEdge, 1);

        assertThat(fromViewer.status.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(fromChildEdge.status.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(origin.hops("/vod/a/720p/0.m4s")).containsExactly("1");
        assertThat(origin.hops("/vod/a/720p/1.m4s")).containsExactly("2");
    }

    @Test
    void shouldRefuseAMissThatHasPassedTooManyEdgesWithoutAskingTheOrigin() throws Exception
    {
        final FillCoalescer coalescer = coalescer(2);
        origin.put("/vod/a/720p/0.m4s", new byte[100]);
        final Outcome first = new Outcome();
        final var held = origin.hold();
        final OriginFill running = coalescer.request(key("/vod/a/720p/0.m4s"), first, 0);

        // The same path coming back around the circle must not join the fill that is waiting for it.
        final Outcome looped = new Outcome();
        final OriginFill refused = coalescer.request(key("/vod/a/720p/0.m4s"), looped, 2);
        final Outcome malformed = new Outcome();
        coalescer.request(key("/vod/a/720p/0.m4s"), malformed, FillHops.MALFORMED);
        held.countDown();

        assertThat(refused).isNull();
        assertThat(running).isNotNull();
        assertThat(looped.status.get(1, TimeUnit.SECONDS)).isEqualTo(508);
        assertThat(looped.failure.reason()).isEqualTo(FillFailure.Reason.LOOP_DETECTED);
        assertThat(malformed.status.get(1, TimeUnit.SECONDS)).isEqualTo(508);
        assertThat(first.status.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(origin.requests("/vod/a/720p/0.m4s")).isEqualTo(1);
        assertThat(running.waitersJoinedLate()).isZero();
        assertThat(registry.get("bifrost.edge.fill.loops").counter().count()).isEqualTo(2);
    }

    @Test
    void shouldRejectAHopLimitOutsideItsRange()
    {
        assertThatThrownBy(() -> new FillCoalescer((OriginFill fill) -> { }, 1024, PooledByteBufAllocator.DEFAULT,
            (key, head, body) -> { }, registry, (path, nanos) -> { }, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max fill hops");
    }

    private FillCoalescer coalescer(final int maxHops) throws Exception
    {
        origin = new ShieldOrigin();
        final NettyTransport transport = NettyTransport.NIO;
        group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        client = new OriginClient(List.of(origin.uri()), group, transport, Duration.ofSeconds(2), Duration.ofSeconds(10),
            4, Duration.ofSeconds(5), System::currentTimeMillis, registry);
        return new FillCoalescer(client, 1 << 20, PooledByteBufAllocator.DEFAULT, (key, head, body) -> { }, registry,
            (path, nanos) -> { }, maxHops);
    }

    private static ContentKey key(final String path)
    {
        return (ContentKey)ContentKeyParser.parse(path);
    }

    /** Records how a fill ended for one listener. */
    private static final class Outcome implements FillListener
    {
        final CompletableFuture<Integer> status = new CompletableFuture<>();
        volatile int headStatus;
        volatile FillFailure failure;

        @Override
        public void onHead(final FillHead head)
        {
            headStatus = head.status();
        }

        @Override
        public void onContent(final ByteBuf content)
        {
        }

        @Override
        public void onComplete()
        {
            status.complete(headStatus);
        }

        @Override
        public void onError(final FillFailure failure)
        {
            this.failure = failure;
            status.complete(failure.reason().status());
        }
    }
}
