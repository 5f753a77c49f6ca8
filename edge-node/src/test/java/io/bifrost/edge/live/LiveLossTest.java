package io.bifrost.edge.live;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.ext.DebugReceiveChannelEndpoint;
import io.aeron.driver.ext.LossGenerator;
import io.aeron.driver.ext.RandomLossGenerator;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No part is lost under 5% packet loss on the edge's receive side (STACK.md: no netem here, so Aeron's own debug
 * receive endpoint drops a random 5% of the data frames the edge's media driver receives): Aeron's NAKs and
 * retransmits deliver every part, in order, so the edge never has to catch up over HTTP.
 */
class LiveLossTest
{
    private static final int SEGMENTS = 40;

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryPartUnderFivePercentReceiveLoss() throws Exception
    {
        final AtomicLong dropped = new AtomicLong();
        final LossGenerator random = new RandomLossGenerator(0.05, 42);
        final LossGenerator counting = (address, buffer, length) ->
        {
            final boolean drop = random.shouldDropFrame(address, buffer, length);
            if (drop)
            {
                dropped.incrementAndGet();
            }
            return drop;
        };
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final EmbeddedAeron originAeron = EmbeddedAeron.acquire(dir.resolve("origin-aeron"), false);
        final MediaDriver edgeDriver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(dir.resolve("edge-aeron").toString())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .receiveChannelEndpointSupplier((channel, dispatcher, status, context) ->
                new DebugReceiveChannelEndpoint(channel, dispatcher, status, context, counting, (a, b, l) -> false)));
        final Aeron edgeAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(edgeDriver.aeronDirectoryName()));
        final TestLivePublisher publisher = new TestLivePublisher(originAeron.aeron(),
            LiveEdgeFixture.livePublicationChannelOnAnyPort());
        final int controlPort = LiveEdgeFixture.controlPort(publisher.publication());
        final LiveEdge live = LiveEdge.start(edgeAeron,
            AeronChannels.liveSubscriptionChannel("localhost", 0, "localhost", controlPort), 64L << 20,
            PooledByteBufAllocator.DEFAULT, registry);
        try
        {
            await().atMost(Duration.ofSeconds(20)).until(() -> publisher.publication().isConnected());

            for (long msn = 0; msn < SEGMENTS; msn++)
            {
                for (int part = 0; part < LiveParts.PARTS_PER_SEGMENT; part++)
                {
                    final boolean end = part == LiveParts.PARTS_PER_SEGMENT - 1;
                    publisher.part("cam1", "720p", 1, msn, part, end, LiveParts.bytes(1, msn, part));
                    final LiveWindow window = new LiveWindow(1, 0, end ? msn : msn - 1, 0, end ? -1 : part, 2000, 500);
                    publisher.window("cam1", "720p", WindowKind.HLS_MEDIA_PLAYLIST, window, "#EXTM3U\n");
                }
            }

            await().atMost(Duration.ofSeconds(30)).until(() ->
                live.store().hasPart("cam1", "720p", 1, SEGMENTS - 1, LiveParts.PARTS_PER_SEGMENT - 1));
            for (long msn = 0; msn < SEGMENTS; msn++)
            {
                for (int part = 0; part < LiveParts.PARTS_PER_SEGMENT; part++)
                {
                    assertThat(live.store().hasPart("cam1", "720p", 1, msn, part)).as(msn + "." + part).isTrue();
                }
            }
            assertThat(dropped.get()).as("frames the loss generator dropped").isPositive();
            assertThat(registry.get("bifrost.edge.live.gaps").counter().count()).as("gaps needing HTTP catch-up").isZero();
            assertThat(registry.get("bifrost.edge.live.parts").counter().count()).isEqualTo(SEGMENTS * 4);
            assertThat(registry.get("bifrost.edge.live.messages").tag("result", "malformed").counter().count()).isZero();
        }
        finally
        {
            CloseHelper.closeAll(live, publisher, edgeAeron, edgeDriver, originAeron);
        }
    }
}
