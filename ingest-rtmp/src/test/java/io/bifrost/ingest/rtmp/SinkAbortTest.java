package io.bifrost.ingest.rtmp;

import io.bifrost.ingest.control.ControlPlaneAuthorizer;
import io.bifrost.ingest.control.ControlPlaneClient;
import io.bifrost.ingest.control.FakeControlPlane;
import io.bifrost.ingest.control.FakeControlPlane.StatusReport;
import io.bifrost.ingest.control.StreamStatusSinkFactory;
import io.bifrost.ingest.rtmp.chunk.RtmpMessageType;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.sink.FanOutSinkFactory;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.SinkDemand;
import io.bifrost.ingest.sink.StreamEndReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sink that ends its publish ({@link SinkDemand#abort}) is heard by the publisher: an RTMP client publishing through
 * a fan-out of two sinks (as {@code bifrost ingest} runs the recorder and the relay), the control plane's key check
 * and status reports in front, gets {@code onStatus} level {@code error}, code {@code NetStream.Failed} with the
 * sink's reason, then the server closes the connection; both sinks end {@code ABORTED}, the control plane hears the
 * stream go {@code offline}, the abort is counted, and the same key publishes again at once.
 */
@Timeout(90)
class SinkAbortTest
{
    private static final String KEY = "sk_" + "B".repeat(43);
    private static final String STREAM = "st_" + "fedcba9876543210".repeat(2);
    private static final String REASON = "the origin at http://origin:8083 was unreachable for 30 s";

    private final Sinks aborting = new Sinks();
    private final Sinks bystander = new Sinks();
    private FakeControlPlane control;
    private ControlPlaneClient client;
    private RtmpServer server;

    @BeforeEach
    void start() throws Exception
    {
        control = FakeControlPlane.start(null).stream(KEY, STREAM);
        client = new ControlPlaneClient(URI.create(control.url()), null, Duration.ofSeconds(5),
            new SimpleMeterRegistry());
        server = RtmpServer.start(new RtmpServer.Context()
            .bindAddress("127.0.0.1")
            .port(0)
            .authorizer(new ControlPlaneAuthorizer(client))
            .sinkFactory(new StreamStatusSinkFactory(client, new FanOutSinkFactory(List.of(bystander, aborting)))));
    }

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(server, client, control);
    }

    @Test
    void shouldTellThePublisherWhyThenCloseAndFreeTheKeyWhenASinkAbortsThePublish() throws Exception
    {
        try (RtmpTestClient publisher = RtmpTestClient.connect(server.port(), 30_000))
        {
            publisher.handshake();
            assertThat(publisher.publish(KEY, List.of())).isEqualTo("NetStream.Publish.Start");
            publisher.media(RtmpMessageType.AUDIO, 0, new byte[]{(byte)0xAF, 0x01, 0x21, 0x10});
            await().atMost(Duration.ofSeconds(10)).until(() -> bystander.tags.get() > 0 && aborting.tags.get() > 0 &&
                !control.statusReports.isEmpty());

            assertThat(aborting.demands.get(0).abort(REASON)).as("the publish will end").isTrue();

            final List<Object> status = publisher.awaitCommand("onStatus");
            final Map<?, ?> info = (Map<?, ?>)status.get(3);
            assertThat(info.get("level")).isEqualTo("error");
            assertThat(info.get("code")).isEqualTo("NetStream.Failed");
            assertThat(info.get("description")).isEqualTo(REASON);
            assertThat(publisher.awaitClosedByServer()).as("closed after the status").isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> control.statusReports.size() >= 2);
        assertThat(control.statusReports).containsExactly(new StatusReport(STREAM, "live", "rtmp"),
            new StatusReport(STREAM, "offline", "rtmp"));
        assertThat(bystander.ends).containsExactly(StreamEndReason.ABORTED);
        assertThat(aborting.ends).containsExactly(StreamEndReason.ABORTED);
        assertThat(server.metrics().rejected(RejectReason.SINK_ABORTED)).isOne();

        try (RtmpTestClient again = RtmpTestClient.connect(server.port(), 30_000))
        {
            again.handshake();
            assertThat(again.publish(KEY, List.of())).as("the key is free again").isEqualTo("NetStream.Publish.Start");
        }
    }

    /** Opens sinks that keep their demand handle, the tags they get and how they end. */
    private static final class Sinks implements MediaSinkFactory
    {
        final List<SinkDemand> demands = new CopyOnWriteArrayList<>();
        final AtomicInteger tags = new AtomicInteger();
        final List<StreamEndReason> ends = new CopyOnWriteArrayList<>();

        @Override
        public MediaSink open(final PublishRequest request, final SinkDemand demand)
        {
            demands.add(demand);
            return new MediaSink()
            {
                @Override
                public boolean onTag(final FlvTag tag)
                {
                    tags.incrementAndGet();
                    return true;
                }

                @Override
                public void onEnd(final StreamEndReason reason)
                {
                    ends.add(reason);
                }
            };
        }
    }
}
