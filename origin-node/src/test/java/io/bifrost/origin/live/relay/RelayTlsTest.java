package io.bifrost.origin.live.relay;

import io.bifrost.ingest.relay.OriginRelayContext;
import io.bifrost.ingest.relay.OriginRelaySinkFactory;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagParser;
import io.bifrost.ingest.rtmp.flv.TimestampExtender;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.StreamAuthorization;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.ingest.srt.FlvStreamReader;
import io.bifrost.origin.TestCertificates;
import io.bifrost.origin.live.ingest.FlvSource;
import io.netty.buffer.Unpooled;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay over TLS between an ingest and an origin on loopback, with certificates made by openssl at test time:
 * every tag arrives through the encrypted relay; an origin whose certificate another CA signed, or whose certificate
 * names another host, is refused like an unreachable origin (retried, counted, then given up with the reason).
 */
class RelayTlsTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final FlvTagParser PARSER = new FlvTagParser(new Amf0Reader(Amf0Limits.defaults()));
    private static final byte[] AVC_SEQUENCE_HEADER = {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f};
    private static final byte[] AVC_FRAME = {0x27, 1, 0, 0, 0, 0, 0, 0, 1, 0x41};

    @TempDir
    Path work;
    private RelayOrigin origin;
    private OriginRelaySinkFactory relay;

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(relay, origin);
    }

    @Test
    void shouldRelayEveryTagOverTlsWhenTheOriginHasACertificate() throws Exception
    {
        final FlvSource source = FlvSource.generate(work, "320x240", 3, true);
        final TestCertificates certificate = TestCertificates.selfSigned(work, "origin", "IP:127.0.0.1");
        origin = new RelayOrigin(work.resolve("b"), 0, certificate);
        relay = new OriginRelaySinkFactory(new OriginRelayContext().originUrl(origin.relayUrl())
            .secret(RelayOrigin.SECRET).caFile(certificate.certificate()));
        assertThat(origin.relayUrl().getScheme()).isEqualTo("https");
        final Semaphore resumes = new Semaphore(0);
        final MediaSink sink = relay.open(FlvSource.request("tls-key", true), resumes::release);
        await().atMost(DEADLINE).until(() -> 1 == relay.metrics().connects());

        push(sink, source, resumes);
        sink.onEnd(StreamEndReason.UNPUBLISHED);

        await().atMost(DEADLINE).until(() -> 1 == origin.receiver.metrics().completed());
        assertThat(origin.receiver.metrics().tags()).as("every tag crossed the TLS relay")
            .isEqualTo(source.tags().size());
        final String playlist = "/live/" + StreamAuthorization.derivedStreamId("tls-key") + "/source/index.m3u8";
        await().atMost(DEADLINE).until(() -> contains(origin.get(playlist), "#EXT-X-ENDLIST"));
        assertThat(origin.get(playlist)).contains("#EXT-X-PART:");
        assertThat(relay.metrics().dropped()).isZero();
        assertThat(relay.metrics().tlsFailures()).isZero();
        assertThat(origin.receiver.metrics().tlsFailures()).isZero();
    }

    @Test
    void shouldRefuseAnOriginWhoseCertificateAnotherCaSignedAndGiveUpPastTheBound() throws Exception
    {
        final TestCertificates certificate = TestCertificates.selfSigned(work, "origin", "IP:127.0.0.1");
        final TestCertificates otherCa = TestCertificates.selfSigned(work, "other-ca", "IP:127.0.0.1");
        origin = new RelayOrigin(work.resolve("b"), 0, certificate);

        final RtmpProtocolException refused = refusal(otherCa);

        assertThat(refused.getMessage()).contains("unreachable for 1 s").contains("TLS handshake failed")
            .contains(otherCa.certificate().toString()).contains("ingest.relay-ca-file");
        assertThat(relay.metrics().tlsFailures()).isPositive();
        assertThat(relay.metrics().connects()).isZero();
        assertThat(relay.metrics().gaveUp()).isOne();
        assertThat(origin.receiver.metrics().requests("accepted")).as("the secret never went out").isZero();
        await().atMost(DEADLINE).until(() -> origin.receiver.metrics().tlsFailures() > 0);
    }

    @Test
    void shouldRefuseAnOriginWhoseCertificateNamesAnotherHost() throws Exception
    {
        final TestCertificates elsewhere = TestCertificates.selfSigned(work, "elsewhere", "DNS:elsewhere.invalid");
        origin = new RelayOrigin(work.resolve("b"), 0, elsewhere);

        final RtmpProtocolException refused = refusal(elsewhere);

        assertThat(refused.getMessage()).contains("TLS handshake failed").contains("name 127.0.0.1");
        assertThat(relay.metrics().tlsFailures()).isPositive();
        assertThat(relay.metrics().connects()).isZero();
        assertThat(origin.receiver.metrics().requests("accepted")).isZero();
    }

    /** Publish to a relay trusting {@code trusted} until the publisher is refused; paced like a live publisher. */
    private RtmpProtocolException refusal(final TestCertificates trusted) throws InterruptedException
    {
        relay = new OriginRelaySinkFactory(new OriginRelayContext().originUrl(origin.relayUrl())
            .secret(RelayOrigin.SECRET).caFile(trusted.certificate()).reconnectTimeout(Duration.ofSeconds(1))
            .connectTimeout(Duration.ofMillis(500)));
        final MediaSink sink = relay.open(FlvSource.request("refused-key", true), () -> { });
        assertThat(sink.onTag(video(AVC_SEQUENCE_HEADER, 0))).isTrue();
        final long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long timestamp = 0;
        try
        {
            while (System.nanoTime() < deadline)
            {
                assertThat(sink.onTag(video(AVC_FRAME, timestamp += 33))).as("never paused while refused").isTrue();
                Thread.sleep(30); // paced like a live publisher, not a wait for a condition
            }
        }
        catch (final RtmpProtocolException ex)
        {
            sink.onEnd(StreamEndReason.UNPUBLISHED);
            return ex;
        }
        throw new AssertionError("the relay was never given up");
    }

    /** Push every tag as a session does: after {@code false}, nothing more until the relay resumes the publisher. */
    private static void push(final MediaSink sink, final FlvSource source, final Semaphore resumes)
        throws InterruptedException
    {
        final TimestampExtender timeline = new TimestampExtender();
        for (final FlvStreamReader.Tag raw : source.tags())
        {
            final long timestamp = timeline.extend(raw.timestamp32());
            final FlvTag tag = switch (raw.type())
            {
                case FlvSource.TAG_AUDIO -> PARSER.audio(timestamp, Unpooled.wrappedBuffer(raw.body()));
                case FlvSource.TAG_VIDEO -> PARSER.video(timestamp, Unpooled.wrappedBuffer(raw.body()));
                default -> PARSER.script(timestamp, Unpooled.wrappedBuffer(raw.body()));
            };
            if (!sink.onTag(tag))
            {
                assertThat(resumes.tryAcquire(30, TimeUnit.SECONDS)).as("the relay resumed the publisher").isTrue();
                resumes.drainPermits();
            }
        }
    }

    private static FlvTag video(final byte[] body, final long timestampMs)
    {
        return PARSER.video(timestampMs, Unpooled.wrappedBuffer(body));
    }

    private static boolean contains(final String body, final String text)
    {
        return null != body && body.contains(text);
    }
}
