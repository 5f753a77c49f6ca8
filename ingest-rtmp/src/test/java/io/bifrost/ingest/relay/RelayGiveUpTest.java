package io.bifrost.ingest.relay;

import io.bifrost.ingest.rtmp.FfmpegPublisher;
import io.bifrost.ingest.rtmp.RtmpServer;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.sink.FanOutSinkFactory;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.SinkDemand;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The relay's give-up reaches the publisher: ffmpeg publishes RTMP to an ingest whose only way to viewers is the relay
 * (beside a recorder, as {@code bifrost ingest} runs it), the origin is down or refuses the relay, and ffmpeg exits
 * with an error that names the reason, within the reconnect bound, while every sink ends {@code ABORTED}.
 */
@Timeout(120)
class RelayGiveUpTest
{
    /** Longer than any wait below: a publisher that exits has been stopped, not run out. */
    private static final int PUBLISH_SECONDS = 90;

    private final EndSink.Factory recorder = new EndSink.Factory();
    private OriginRelaySinkFactory relay;
    private RtmpServer server;
    private FfmpegPublisher publisher;
    private ServerSocket refusingOrigin;

    @BeforeEach
    void requireFfmpeg()
    {
        assumeTrue(FfmpegPublisher.available(), "ffmpeg is not installed at /usr/bin/ffmpeg: relay give-up tests skipped");
    }

    @AfterEach
    void close() throws IOException
    {
        CloseHelper.closeAll(publisher, server, relay, refusingOrigin);
    }

    @Test
    void shouldEndThePublishNamingTheOriginWhenItStaysUnreachablePastTheBound() throws Exception
    {
        final int downPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            downPort = free.getLocalPort();
        }
        start(URI.create("http://127.0.0.1:" + downPort));

        publisher = FfmpegPublisher.publish(url("down-key"), PUBLISH_SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.opened.get() > 0);
        final int exit = publisher.awaitExit(30);

        assertThat(exit).as("ffmpeg fails before its %d s are up: %s", PUBLISH_SECONDS, publisher.output()).isNotZero();
        assertThat(publisher.output()).contains("Server error").contains("unreachable for 1 s")
            .contains("127.0.0.1:" + downPort);
        await().atMost(Duration.ofSeconds(5)).until(() -> StreamEndReason.ABORTED == recorder.ended.get());
        assertThat(relay.metrics().gaveUp()).isOne();
        assertThat(relay.metrics().publishesEnded()).isOne();
        assertThat(relay.metrics().connects()).isZero();
        assertThat(recorder.tags.get()).as("the recorder got the stream until the end").isPositive();
    }

    @Test
    void shouldEndThePublishAtOnceWhenTheOriginRefusesTheRelaysSecret() throws Exception
    {
        final AtomicInteger requests = new AtomicInteger();
        refusingOrigin = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        final Thread origin = new Thread(() -> answerUnauthorized(refusingOrigin, requests), "refusing-origin");
        origin.setDaemon(true);
        origin.start();
        start(URI.create("http://127.0.0.1:" + refusingOrigin.getLocalPort()));

        publisher = FfmpegPublisher.publish(url("refused-key"), PUBLISH_SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.opened.get() > 0);
        final int exit = publisher.awaitExit(30);

        assertThat(exit).as("ffmpeg fails before its %d s are up: %s", PUBLISH_SECONDS, publisher.output()).isNotZero();
        assertThat(publisher.output()).contains("Server error").contains("HTTP 401").contains("ingest.relay-secret");
        await().atMost(Duration.ofSeconds(5)).until(() -> StreamEndReason.ABORTED == recorder.ended.get());
        assertThat(requests).hasValue(1);
        assertThat(relay.metrics().refused(401)).isOne();
        assertThat(relay.metrics().gaveUp()).isOne();
        assertThat(relay.metrics().publishesEnded()).isOne();
    }

    private void start(final URI origin)
    {
        relay = new OriginRelaySinkFactory(new OriginRelayContext().originUrl(origin).secret("relay-secret")
            .reconnectTimeout(Duration.ofSeconds(1)).connectTimeout(Duration.ofMillis(500)));
        final List<MediaSinkFactory> sinks = List.of(recorder, relay);
        server = RtmpServer.start(new RtmpServer.Context()
            .bindAddress("127.0.0.1")
            .port(0)
            .authorizer(StreamKeyAuthorizer.allowAll())
            .sinkFactory(new FanOutSinkFactory(sinks)));
    }

    private String url(final String key)
    {
        return "rtmp://127.0.0.1:" + server.port() + "/live/" + key;
    }

    /** An origin that reads the request head and answers 401, as one with another relay secret does. */
    private static void answerUnauthorized(final ServerSocket listener, final AtomicInteger requests)
    {
        while (!listener.isClosed())
        {
            try (Socket socket = listener.accept())
            {
                final InputStream in = socket.getInputStream();
                int matched = 0;
                while (matched < 4)
                {
                    final int b = in.read();
                    if (b < 0)
                    {
                        break;
                    }
                    matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : ('\r' == b ? 1 : 0);
                }
                requests.incrementAndGet();
                final OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            catch (final IOException ex)
            {
                return; // closed by the test
            }
        }
    }

    /** A sink that counts tags and keeps how the stream ended. */
    static final class EndSink implements MediaSink
    {
        private final Factory factory;

        EndSink(final Factory factory)
        {
            this.factory = factory;
        }

        @Override
        public boolean onTag(final FlvTag tag)
        {
            factory.tags.incrementAndGet();
            return true;
        }

        @Override
        public void onEnd(final StreamEndReason reason)
        {
            factory.ended.compareAndSet(null, reason);
        }

        static final class Factory implements MediaSinkFactory
        {
            final AtomicLong tags = new AtomicLong();
            final AtomicInteger opened = new AtomicInteger();
            final AtomicReference<StreamEndReason> ended = new AtomicReference<>();

            @Override
            public MediaSink open(final PublishRequest request, final SinkDemand demand)
            {
                opened.incrementAndGet();
                return new EndSink(this);
            }
        }
    }
}
