package io.bifrost.ingest.srt;

import io.bifrost.ingest.rtmp.FfmpegPublisher;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.session.PublishRegistry;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A sink that ends an SRT publish ({@code SinkDemand#abort}, as the relay does when the origin is gone): the bridge
 * stops its ffmpeg listener, which drops the real ffmpeg caller, the stream ends {@code ABORTED}, the key is free and a
 * fresh listener takes the next caller.
 */
@Timeout(120)
class SrtBridgeAbortTest
{
    private static final String KEY = "srt-abort-key";
    private static final int TAGS_BEFORE_ABORT = 50;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PublishRegistry registry = new PublishRegistry();
    private final AtomicInteger tags = new AtomicInteger();
    private final AtomicReference<StreamEndReason> ended = new AtomicReference<>();
    private final AtomicBoolean abortAnswer = new AtomicBoolean();
    private SrtBridge bridge;
    private FfmpegPublisher caller;

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(caller, bridge);
    }

    @Test
    void shouldDropTheCallerAndEndTheStreamAbortedWhenASinkAborts() throws Exception
    {
        assumeTrue(FfmpegPublisher.available(), "ffmpeg is not installed at /usr/bin/ffmpeg: SRT tests skipped");
        final int port;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            port = socket.getLocalPort();
        }
        bridge = SrtBridge.start(new SrtSettings("/usr/bin/ffmpeg", "127.0.0.1", port, 120, 8 << 20,
            StreamKeyAuthorizer.allowAll(), (request, demand) -> new MediaSink()
            {
                @Override
                public boolean onTag(final FlvTag tag)
                {
                    if (TAGS_BEFORE_ABORT == tags.incrementAndGet())
                    {
                        // from another thread, as the relay's event loop calls it
                        CompletableFuture.runAsync(() -> abortAnswer.set(demand.abort("the origin is gone")));
                    }
                    return true;
                }

                @Override
                public void onEnd(final StreamEndReason reason)
                {
                    ended.compareAndSet(null, reason);
                }
            }, registry, meters));
        await().atMost(Duration.ofSeconds(20)).until(bridge::isListening);

        caller = FfmpegPublisher.publish("srt://127.0.0.1:" + port + "?streamid=" + KEY, 90, "mpegts");

        await().atMost(Duration.ofSeconds(60)).until(() -> null != ended.get());
        assertThat(ended.get()).isEqualTo(StreamEndReason.ABORTED);
        assertThat(abortAnswer).isTrue();
        assertThat(bridge.metrics().rejected("sink-aborted")).isOne();
        assertThat(registry.isLive(KEY)).as("the key is free again").isFalse();
        assertThat(caller.awaitExit(60)).as("the caller is dropped long before its 90 s: %s", caller.output())
            .isNotZero();
        await().atMost(Duration.ofSeconds(20)).until(bridge::isListening);
    }
}
