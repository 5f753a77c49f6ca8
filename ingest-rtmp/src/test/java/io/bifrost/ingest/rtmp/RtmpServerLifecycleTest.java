package io.bifrost.ingest.rtmp;

import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(20)
class RtmpServerLifecycleTest
{
    @Test
    void shouldEndLiveStreamsAndCloseConnectionsWhenTheServerCloses() throws Exception
    {
        final RecordingSink.Factory sinks = new RecordingSink.Factory();
        final RtmpServer server = RtmpServer.start(new RtmpServer.Context().bindAddress("127.0.0.1").port(0)
            .authorizer(StreamKeyAuthorizer.allowAll()).sinkFactory(sinks));
        try (RtmpTestClient client = RtmpTestClient.connect(server.port()))
        {
            client.handshake();
            assertThat(client.publish("live-one", List.of())).isEqualTo("NetStream.Publish.Start");
            server.close();
            assertThat(sinks.last().ended.get()).isEqualTo(StreamEndReason.SERVER_CLOSED);
            assertThat(client.awaitClosedByServer()).isTrue();
        }
        server.close();
    }

    @Test
    void shouldExplainAPortInUse() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")))
        {
            assertThatThrownBy(() -> RtmpServer.start(new RtmpServer.Context().bindAddress("127.0.0.1")
                .port(taken.getLocalPort()).authorizer(StreamKeyAuthorizer.allowAll())
                .sinkFactory(new RecordingSink.Factory())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                .hasMessageContaining("choose another port");
        }
    }

    @Test
    void shouldRefuseAContextWithoutAuthorizerOrWithAChunkSizeAboveTheLimit()
    {
        assertThatThrownBy(() -> new RtmpServer.Context().sinkFactory(new RecordingSink.Factory()).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("authorizer");
        assertThatThrownBy(() -> new RtmpServer.Context().authorizer(StreamKeyAuthorizer.allowAll())
            .sinkFactory(new RecordingSink.Factory()).outboundChunkSize(1 << 20).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunk-size");
    }
}
