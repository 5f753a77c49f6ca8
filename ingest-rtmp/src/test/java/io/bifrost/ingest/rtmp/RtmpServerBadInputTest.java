package io.bifrost.ingest.rtmp;

import io.bifrost.ingest.sink.StreamKeyAuthorizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile or silent peers over loopback: each is closed with its counter, and a good publisher next to it goes on.
 */
@Timeout(30)
class RtmpServerBadInputTest
{
    private final RecordingSink.Factory sinks = new RecordingSink.Factory();
    private RtmpServer server;

    @BeforeEach
    void start()
    {
        server = RtmpServer.start(new RtmpServer.Context().bindAddress("127.0.0.1").port(0)
            .handshakeTimeoutMs(300).idleTimeoutMs(600)
            .authorizer(StreamKeyAuthorizer.allowAll()).sinkFactory(sinks));
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    @Test
    void shouldCloseAClientThatAsksForAnotherRtmpVersion() throws Exception
    {
        try (RtmpTestClient client = RtmpTestClient.connect(server.port()))
        {
            client.writeRaw(new byte[]{6, 0, 0, 0});
            assertThat(client.awaitClosedByServer()).isTrue();
        }
        await().until(() -> server.metrics().rejected(RejectReason.HANDSHAKE_VERSION) == 1);
    }

    @Test
    void shouldCloseAClientThatDoesNotFinishTheHandshakeInTime() throws Exception
    {
        try (RtmpTestClient client = RtmpTestClient.connect(server.port()))
        {
            client.writeRaw(new byte[]{3, 0, 0});
            assertThat(client.awaitClosedByServer()).isTrue();
        }
        assertThat(server.metrics().rejected(RejectReason.HANDSHAKE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void shouldCloseAPublisherThatGoesSilentAndEndItsStream() throws Exception
    {
        try (RtmpTestClient client = RtmpTestClient.connect(server.port()))
        {
            client.handshake();
            assertThat(client.publish("silent", List.of())).isEqualTo("NetStream.Publish.Start");
            assertThat(client.awaitClosedByServer()).isTrue();
        }
        await().until(() -> null != sinks.last().ended.get());
        assertThat(server.metrics().rejected(RejectReason.IDLE_TIMEOUT)).isEqualTo(1);
        assertThat(server.registry().isLive("silent")).isFalse();
    }

    @Test
    void shouldCloseOnlyTheConnectionThatSendsAMalformedChunk() throws Exception
    {
        try (RtmpTestClient good = RtmpTestClient.connect(server.port());
            RtmpTestClient bad = RtmpTestClient.connect(server.port()))
        {
            good.handshake();
            bad.handshake();
            bad.writeRaw(new byte[]{(byte)0x43, 0, 0, 0, 0, 0, 10, 20}); // type-1 header on a new chunk stream
            assertThat(bad.awaitClosedByServer()).isTrue();
            assertThat(good.publish("good", List.of())).isEqualTo("NetStream.Publish.Start");
        }
        assertThat(server.metrics().rejected(RejectReason.CHUNK_MALFORMED)).isEqualTo(1);
    }

    @Test
    void shouldRefuseASetChunkSizeAboveTheLimit() throws Exception
    {
        try (RtmpTestClient client = RtmpTestClient.connect(server.port()))
        {
            client.handshake();
            client.setChunkSize(0x7FFF_FFFF);
            assertThat(client.awaitClosedByServer()).isTrue();
        }
        await().until(() -> server.metrics().rejected(RejectReason.CHUNK_LIMIT) == 1);
    }

    @Test
    void shouldRefuseASecondPublisherOfALiveKeyWithBadName() throws Exception
    {
        try (RtmpTestClient first = RtmpTestClient.connect(server.port());
            RtmpTestClient second = RtmpTestClient.connect(server.port()))
        {
            first.handshake();
            second.handshake();
            assertThat(first.publish("dup", List.of())).isEqualTo("NetStream.Publish.Start");
            assertThat(second.publish("dup", List.of())).isEqualTo("NetStream.Publish.BadName");
            assertThat(second.awaitClosedByServer()).isTrue();
            assertThat(server.registry().isLive("dup")).isTrue();
        }
        assertThat(server.metrics().rejected(RejectReason.PUBLISH_DUPLICATE)).isEqualTo(1);
    }
}
