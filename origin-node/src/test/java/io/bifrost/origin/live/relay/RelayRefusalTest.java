package io.bifrost.origin.live.relay;

import io.bifrost.ingest.relay.OriginRelayContext;
import io.bifrost.ingest.relay.OriginRelaySinkFactory;
import io.bifrost.ingest.relay.RelayWire;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagParser;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.origin.live.ingest.FlvSource;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What the relay refuses, and when the ingest gives a relay up: wrong secret (401), unknown stream or path (404),
 * wrong method (405), an origin that refuses the ingest's secret, and an origin that stays down past the bound.
 */
class RelayRefusalTest
{
    private static final FlvTagParser PARSER = new FlvTagParser(new Amf0Reader(Amf0Limits.defaults()));
    private static final byte[] AVC_SEQUENCE_HEADER = {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f};
    private static final byte[] AVC_FRAME = {0x27, 1, 0, 0, 0, 0, 0, 0, 1, 0x41};

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger opened = new AtomicInteger();
    private final MediaSinkFactory countingFactory = (request, demand) ->
    {
        opened.incrementAndGet();
        return new MediaSink()
        {
            @Override
            public boolean onTag(final FlvTag tag)
            {
                return true;
            }

            @Override
            public void onEnd(final StreamEndReason reason)
            {
            }
        };
    };
    private RelayReceiver receiver;
    private OriginRelaySinkFactory relay;

    @AfterEach
    void close()
    {
        if (null != relay)
        {
            relay.close();
        }
        if (null != receiver)
        {
            receiver.close();
        }
    }

    @Test
    void shouldAnswer401ToAWrongSecretAnd404ToAnUnknownStream() throws Exception
    {
        receiver = RelayReceiver.start(new RelayReceiverContext().bindAddress("127.0.0.1").port(0)
            .secret(RelayOrigin.SECRET).sinkFactory(countingFactory));
        final String base = "http://127.0.0.1:" + receiver.port();

        assertThat(post(base + RelayWire.path("st_1"), "Bearer wrong-secret-0123456789")).isEqualTo(401);
        assertThat(post(base + RelayWire.path("st_1"), null)).isEqualTo(401);
        assertThat(post(base + RelayWire.path("bad.id"), "Bearer " + RelayOrigin.SECRET)).isEqualTo(404);
        assertThat(post(base + "/internal/v1/other", "Bearer " + RelayOrigin.SECRET)).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + RelayWire.path("st_1")))
            .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(405);

        assertThat(receiver.metrics().requests("unauthorized")).isEqualTo(2);
        assertThat(receiver.metrics().requests("not-found")).isEqualTo(2);
        assertThat(opened).as("no sink for a refused relay").hasValue(0);
    }

    @Test
    void shouldGiveTheRelayUpWhenTheOriginRefusesTheIngestsSecret()
    {
        receiver = RelayReceiver.start(new RelayReceiverContext().bindAddress("127.0.0.1").port(0)
            .secret(RelayOrigin.SECRET).sinkFactory(countingFactory));
        relay = new OriginRelaySinkFactory(new OriginRelayContext()
            .originUrl(URI.create("http://127.0.0.1:" + receiver.port())).secret("not-the-origins-secret"));
        final MediaSink sink = relay.open(FlvSource.request("wrong-secret-key", false), () -> { });
        assertThat(sink.onTag(video(AVC_SEQUENCE_HEADER, 0))).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> 1 == relay.metrics().gaveUp());
        assertThat(relay.metrics().refused(401)).isOne();
        assertThat(receiver.metrics().requests("unauthorized")).isOne();
        assertThatThrownBy(() -> sink.onTag(video(AVC_FRAME, 33))).isInstanceOf(RtmpProtocolException.class)
            .hasMessageContaining("HTTP 401").hasMessageContaining("ingest.relay-secret");
        sink.onEnd(StreamEndReason.UNPUBLISHED);
        assertThat(opened).hasValue(0);
    }

    @Test
    void shouldKeepThePublisherGoingWhileRetryingAndGiveUpPastTheBound() throws Exception
    {
        final int port;
        try (ServerSocket free = new ServerSocket(0))
        {
            port = free.getLocalPort();
        }
        relay = new OriginRelaySinkFactory(new OriginRelayContext().originUrl(URI.create("http://127.0.0.1:" + port))
            .secret(RelayOrigin.SECRET).reconnectTimeout(Duration.ofSeconds(1)).connectTimeout(Duration.ofMillis(500)));
        final MediaSink sink = relay.open(FlvSource.request("down-key", false), () -> { });
        final long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long timestamp = 0;
        RtmpProtocolException refused = null;
        while (null == refused && System.nanoTime() < deadline)
        {
            try
            {
                assertThat(sink.onTag(video(AVC_FRAME, timestamp += 33))).as("never paused while down").isTrue();
                Thread.sleep(30); // paced like a live publisher, not a wait for a condition
            }
            catch (final RtmpProtocolException ex)
            {
                refused = ex;
            }
        }
        assertThat(refused).isNotNull();
        assertThat(refused.getMessage()).contains("unreachable for 1 s");
        assertThat(relay.metrics().gaveUp()).isOne();
        assertThat(relay.metrics().connects()).isZero();
        sink.onEnd(StreamEndReason.UNPUBLISHED);
    }

    private int post(final String url, final String authorization) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofByteArray(RelayWire.FILE_HEADER));
        if (null != authorization)
        {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static FlvTag video(final byte[] body, final long timestampMs)
    {
        return PARSER.video(timestampMs, Unpooled.wrappedBuffer(body));
    }
}
