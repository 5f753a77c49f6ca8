package io.bifrost.ingest.rtmp;

import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.chunk.RtmpMessageType;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sink that pauses after every tag and resumes a little later on its own thread: the server must stop reading
 * (so its queue stays within the configured bound while the publisher is blocked by TCP) and lose nothing.
 */
@Timeout(30)
class SlowSinkBackpressureTest
{
    private static final int TAGS = 300;
    private static final int TAG_BYTES = 32 * 1024;
    private static final int MAX_PENDING_BYTES = 256 * 1024;

    private final ScheduledExecutorService sinkThread = Executors.newSingleThreadScheduledExecutor();
    private RtmpServer server;

    @AfterEach
    void stop()
    {
        sinkThread.shutdownNow();
        if (null != server)
        {
            server.close();
        }
    }

    @Test
    void shouldKeepQueuedBytesBoundedAndDeliverEveryTagInOrderToASlowSink() throws Exception
    {
        final List<byte[]> received = new CopyOnWriteArrayList<>();
        final AtomicReference<StreamEndReason> ended = new AtomicReference<>();
        final RtmpLimits limits = new RtmpLimits(64 * 1024, 64 * 1024, 16, 256 * 1024, MAX_PENDING_BYTES,
            Amf0Limits.defaults());
        server = RtmpServer.start(new RtmpServer.Context().bindAddress("127.0.0.1").port(0).limits(limits)
            .authorizer(StreamKeyAuthorizer.allowAll())
            .sinkFactory((request, demand) -> new MediaSink()
            {
                @Override
                public boolean onTag(final FlvTag tag)
                {
                    received.add(ByteBufUtil.getBytes(tag.payload()));
                    sinkThread.schedule(demand::resume, 1, TimeUnit.MILLISECONDS);
                    return false;
                }

                @Override
                public void onEnd(final StreamEndReason reason)
                {
                    ended.set(reason);
                }
            }));

        try (RtmpTestClient client = RtmpTestClient.connect(server.port()))
        {
            client.handshake();
            client.setChunkSize(60_000);
            assertThat(client.publish("slow", List.of())).isEqualTo("NetStream.Publish.Start");
            for (int i = 0; i < TAGS; i++)
            {
                client.media(RtmpMessageType.VIDEO, i * 40L, EnhancedRtmpAndChunkingTest.avcNalu(i, TAG_BYTES));
            }
            client.command(1, "deleteStream", 0.0, null, 1.0);

            await().atMost(Duration.ofSeconds(20)).until(() -> null != ended.get());
        }

        assertThat(ended.get()).isEqualTo(StreamEndReason.UNPUBLISHED);
        assertThat(received).hasSize(TAGS);
        for (int i = 0; i < TAGS; i++)
        {
            assertThat(received.get(i)).isEqualTo(EnhancedRtmpAndChunkingTest.avcNalu(i, TAG_BYTES));
        }
        assertThat(server.metrics().sinkPauses()).isGreaterThanOrEqualTo(TAGS);
        assertThat(server.metrics().sinkQueuePeakBytes()).isPositive().isLessThanOrEqualTo(MAX_PENDING_BYTES);
        assertThat(server.metrics().rejected(RejectReason.SINK_OVERFLOW)).isZero();
    }
    @Test
    void shouldNotTakeASinkPauseLongerThanTheIdleTimeoutForPublisherSilence() throws Exception
    {
        final List<FlvTag> received = new CopyOnWriteArrayList<>();
        final AtomicReference<StreamEndReason> ended = new AtomicReference<>();
        final AtomicLong idleTimeoutsWhenEnded = new AtomicLong(-1);
        server = RtmpServer.start(new RtmpServer.Context().bindAddress("127.0.0.1").port(0).idleTimeoutMs(200)
            .authorizer(StreamKeyAuthorizer.allowAll())
            .sinkFactory((request, demand) -> new MediaSink()
            {
                @Override
                public boolean onTag(final FlvTag tag)
                {
                    received.add(tag);
                    if (1 == received.size())
                    {
                        sinkThread.schedule(demand::resume, 700, TimeUnit.MILLISECONDS);
                        return false;
                    }
                    return true;
                }

                @Override
                public void onEnd(final StreamEndReason reason)
                {
                    // Read here, not after the client closes: once the stream is unpublished the connection is
                    // rightly idle, and on a loaded machine the idle timeout may close it before the test does.
                    idleTimeoutsWhenEnded.set(server.metrics().rejected(RejectReason.IDLE_TIMEOUT));
                    ended.set(reason);
                }
            }));

        try (RtmpTestClient client = RtmpTestClient.connect(server.port()))
        {
            client.handshake();
            assertThat(client.publish("paused", List.of())).isEqualTo("NetStream.Publish.Start");
            client.media(RtmpMessageType.VIDEO, 0, EnhancedRtmpAndChunkingTest.avcNalu(0, 100));
            client.media(RtmpMessageType.VIDEO, 40, EnhancedRtmpAndChunkingTest.avcNalu(1, 100));
            // Sent at once, so it waits in the socket while the sink pauses the session: the publisher is silent
            // only during the pause. Sending it after the second tag arrived raced the idle timeout on a loaded
            // machine (the test's own polling and scheduling could exceed 200 ms of real publisher silence).
            client.command(1, "deleteStream", 0.0, null, 1.0);
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
            await().atMost(Duration.ofSeconds(5)).until(() -> null != ended.get());
        }
        assertThat(ended.get()).isEqualTo(StreamEndReason.UNPUBLISHED);
        assertThat(idleTimeoutsWhenEnded.get()).isZero();
    }
}
