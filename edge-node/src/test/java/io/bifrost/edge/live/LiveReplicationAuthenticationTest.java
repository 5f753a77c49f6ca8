package io.bifrost.edge.live;

import io.aeron.Publication;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.auth.SequencedAuthenticator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live replication with fleet keys, over UDP through a real embedded media driver: the edge stores what the origin
 * signed and refuses, before its window store, what is unsigned, signed with a key it does not hold, altered, stale or
 * replayed; an edge that joins mid-stream accepts the current messages at once.
 */
@Timeout(60)
class LiveReplicationAuthenticationTest
{
    private static final String SECRET = Base64.getUrlEncoder().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
        32});
    private static final String OTHER_SECRET = Base64.getUrlEncoder().encodeToString(new byte[32]);
    private static final FleetKeys FLEET = FleetKeys.parse("live1:" + SECRET, "test");

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 1024, 64));
    private final SequencedAuthenticator origin = new SequencedAuthenticator(FLEET);
    private EmbeddedAeron aeron;
    private Publication publication;
    private LiveEdge edge;
    private LiveEdge lateEdge;
    private int controlPort;

    @BeforeEach
    void start() throws Exception
    {
        aeron = EmbeddedAeron.acquire(dir.resolve("aeron"), false);
        publication = aeron.aeron().addPublication(LiveEdgeFixture.livePublicationChannelOnAnyPort(),
            AeronChannels.LIVE_STREAM_ID);
        controlPort = LiveEdgeFixture.controlPort(publication);
        edge = follow(registry);
        await().atMost(Duration.ofSeconds(20)).until(publication::isConnected);
    }

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(lateEdge, edge, publication, aeron);
    }

    @Test
    void shouldStoreSignedPartsAndRefuseUnsignedForgedStaleAndReplayedOnesBeforeTheStore()
    {
        final long now = System.currentTimeMillis();
        offer(signed(part(0), now));
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.store().hasPart("cam1", "720p", 1, 0, 0));

        offer(part(1));
        awaitRefused("missing");

        final SequencedAuthenticator stranger = new SequencedAuthenticator(FleetKeys.parse("live9:" + OTHER_SECRET, "t"));
        offer(stranger.sign(buffer, 0, part(2), now));
        awaitRefused("unknown_key");

        final int forged = signed(part(3), now);
        buffer.putByte(forged - SequencedAuthenticator.OVERHEAD - 1, (byte)0x55); // last payload byte
        offer(forged);
        awaitRefused("bad_mac");

        offer(signed(part(4), now - TimeUnit.MINUTES.toMillis(2)));
        awaitRefused("stale");

        final int genuine = signed(part(5), now);
        final byte[] capture = new byte[genuine];
        buffer.getBytes(0, capture);
        offer(genuine);
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.store().hasPart("cam1", "720p", 1, 0, 5));
        buffer.putBytes(0, capture);
        offer(genuine);
        awaitRefused("replayed");

        offer(signed(part(6), now));
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.store().hasPart("cam1", "720p", 1, 0, 6));

        for (int refused = 1; refused <= 4; refused++)
        {
            assertThat(edge.store().hasPart("cam1", "720p", 1, 0, refused)).as("part " + refused).isFalse();
        }
        assertThat(counter(registry, "bifrost.edge.live.messages", "result", "part"))
            .as("only the authentic, new messages were decoded").isEqualTo(3);
        assertThat(counter(registry, "bifrost.edge.live.messages", "result", "malformed")).isZero();
    }

    @Test
    void shouldAcceptCurrentMessagesOnAnEdgeThatJoinsMidStream()
    {
        final long now = System.currentTimeMillis();
        for (int i = 0; i < 10; i++)
        {
            offer(signed(part(i), now));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.store().hasPart("cam1", "720p", 1, 0, 9));

        final SimpleMeterRegistry lateRegistry = new SimpleMeterRegistry();
        lateEdge = follow(lateRegistry);
        await().atMost(Duration.ofSeconds(20)).until(() ->
            1 == lateRegistry.get("bifrost.edge.live.images").gauge().value());
        offer(signed(part(10), now));

        await().atMost(Duration.ofSeconds(10)).until(() -> lateEdge.store().hasPart("cam1", "720p", 1, 0, 10));
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.store().hasPart("cam1", "720p", 1, 0, 10));
        assertThat(lateRegistry.find("bifrost.edge.live.auth.rejected").counters())
            .allSatisfy(c -> assertThat(c.count()).isZero());
    }

    private LiveEdge follow(final MeterRegistry meters)
    {
        return LiveEdge.start(aeron.aeron(), AeronChannels.liveSubscriptionChannel("localhost", 0, "localhost",
            controlPort), 16L << 20, PooledByteBufAllocator.DEFAULT, meters, FLEET);
    }

    /** Part {@code index} of segment 0, encoded at the start of the buffer; a multi-fragment message (past the MTU). */
    private int part(final int index)
    {
        return TestLivePublisher.encodePart(buffer, "cam1", "720p", 1, 0, index, false, LiveParts.bytes(1, 0, index));
    }

    private int signed(final int length, final long nowMs)
    {
        return origin.sign(buffer, 0, length, nowMs);
    }

    private void offer(final int length)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long result;
        while ((result = publication.offer(buffer, 0, length)) < 0)
        {
            assertThat(System.nanoTime() - deadline).as("offer accepted in time, last result %d", result).isNegative();
            Thread.onSpinWait();
        }
    }

    private void awaitRefused(final String reason)
    {
        await().atMost(Duration.ofSeconds(10)).until(() ->
            1 == counter(registry, "bifrost.edge.live.auth.rejected", "reason", reason));
    }

    private static double counter(final MeterRegistry meters, final String name, final String tag, final String value)
    {
        return meters.get(name).tag(tag, value).counter().count();
    }
}
