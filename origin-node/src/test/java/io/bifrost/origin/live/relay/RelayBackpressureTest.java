package io.bifrost.origin.live.relay;

import io.bifrost.ingest.relay.OriginRelayContext;
import io.bifrost.ingest.relay.OriginRelaySinkFactory;
import io.bifrost.ingest.relay.RelayWire;
import io.bifrost.ingest.rtmp.RtmpServer;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;
import io.bifrost.ingest.srt.FlvStreamReader;
import io.bifrost.origin.TestClips;
import io.bifrost.origin.live.ingest.FlvSource;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A slow origin holds the whole chain back instead of filling memory: its sink pauses after every tag and resumes a
 * few milliseconds later, the relay receiver stops reading, the relay's outbound buffer reaches its high-water mark
 * and pauses the RTMP session, and ffmpeg (publishing a heavy file as fast as it can) is held back by TCP. Nothing is
 * dropped and the relay never buffers more than the mark plus one tag.
 */
class RelayBackpressureTest
{
    private static final int HIGH_WATER_BYTES = 64 * 1024;

    @TempDir
    Path work;
    private final ScheduledExecutorService slow = Executors.newSingleThreadScheduledExecutor();
    private RelayReceiver receiver;
    private OriginRelaySinkFactory relay;
    private RtmpServer rtmp;

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(rtmp, relay, receiver);
        slow.shutdownNow();
    }

    @Test
    void shouldBoundTheRelaysBufferAndDropNothingWhenTheOriginIsSlow() throws Exception
    {
        final Path source = work.resolve("heavy.flv");
        TestClips.run(List.of(TestClips.FFMPEG.toString(), "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
            "testsrc2=size=1280x720:rate=30", "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "8",
            "-g", "30", "-pix_fmt", "yuv420p", "-f", "flv", source.toString()));
        final List<FlvStreamReader.Tag> tags = FlvSource.read(source).tags();
        final long videoTags = tags.stream().filter(tag -> FlvSource.TAG_VIDEO == tag.type()).count();
        final int largestTag = tags.stream().mapToInt(tag -> tag.body().length).max().orElseThrow();
        final long totalBytes = tags.stream().mapToLong(tag -> tag.body().length).sum();
        assertThat(totalBytes).as("more than the sockets between the nodes hold").isGreaterThan(4L << 20);

        final AtomicInteger received = new AtomicInteger();
        final AtomicBoolean ended = new AtomicBoolean();
        receiver = RelayReceiver.start(new RelayReceiverContext().bindAddress("127.0.0.1").port(0)
            .secret(RelayOrigin.SECRET).sinkFactory((request, demand) -> new MediaSink()
            {
                @Override
                public boolean onTag(final FlvTag tag)
                {
                    if (tag.isVideo())
                    {
                        received.incrementAndGet();
                    }
                    slow.schedule(demand::resume, 3, TimeUnit.MILLISECONDS);
                    return false;
                }

                @Override
                public void onEnd(final StreamEndReason reason)
                {
                    ended.set(StreamEndReason.UNPUBLISHED == reason);
                }
            }));
        relay = new OriginRelaySinkFactory(new OriginRelayContext()
            .originUrl(URI.create("http://127.0.0.1:" + receiver.port())).secret(RelayOrigin.SECRET)
            .highWaterBytes(HIGH_WATER_BYTES));
        rtmp = RtmpServer.start(new RtmpServer.Context().bindAddress("127.0.0.1").port(0)
            .authorizer(StreamKeyAuthorizer.allowAll()).sinkFactory(relay));

        final TestClips.Result publish = TestClips.tryRun(List.of(TestClips.FFMPEG.toString(), "-nostdin", "-v",
            "error", "-i", source.toString(), "-c", "copy", "-f", "flv",
            "rtmp://127.0.0.1:" + rtmp.port() + "/live/heavy-key"));

        assertThat(publish.exitCode()).as(publish.output()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilTrue(ended);
        assertThat(received).as("every frame arrived").hasValue((int)videoTags);
        assertThat(relay.metrics().pauses()).as("the relay's buffer filled and paused the publisher").isPositive();
        assertThat(receiver.metrics().pauses()).isPositive();
        // the tags cached while the first connection was being made are replayed at once when it is up
        assertThat(relay.metrics().maxBufferedBytes()).as("bounded by the water mark plus one tag, plus the replay")
            .isLessThanOrEqualTo(HIGH_WATER_BYTES + RelayWire.framedSize(largestTag) + 16L +
                relay.metrics().maxReplayedBytes());
        assertThat(relay.metrics().dropped()).isZero();
    }
}
