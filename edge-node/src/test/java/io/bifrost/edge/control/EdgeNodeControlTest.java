package io.bifrost.edge.control;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.bifrost.edge.EdgeNode;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.node.RunningRole;
import io.bifrost.protocol.sbe.EdgeHealth;
import io.bifrost.protocol.sbe.EdgeHeartbeatDecoder;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link EdgeNode#launch} with {@code edge.control-endpoint=ipc}: the edge heartbeats on the process's shared media
 * driver with its id and URL, and says DRAINING as it closes.
 */
class EdgeNodeControlTest
{
    @TempDir
    Path dir;

    @Test
    void shouldHeartbeatFromLaunchAndAnnounceDrainingOnClose()
    {
        final List<String> seen = new CopyOnWriteArrayList<>();
        try (EmbeddedAeron aeron = EmbeddedAeron.acquire(dir.resolve("aeron"), false);
             Subscription heartbeats = aeron.aeron().addSubscription(AeronChannels.IPC_CHANNEL,
                 AeronChannels.HEARTBEAT_STREAM_ID))
        {
            final FragmentAssembler reader = new FragmentAssembler((buffer, offset, length, header) ->
            {
                final MessageHeaderDecoder messageHeader = new MessageHeaderDecoder().wrap(buffer, offset);
                final EdgeHeartbeatDecoder heartbeat = new EdgeHeartbeatDecoder().wrap(buffer,
                    offset + MessageHeaderDecoder.ENCODED_LENGTH, messageHeader.blockLength(), messageHeader.version());
                final EdgeHealth health = heartbeat.health();
                seen.add(health + " " + heartbeat.edgeId() + " " + heartbeat.region() + " " + heartbeat.baseUrl());
            });
            final RunningRole edge = EdgeNode.launch(new EdgeNode.Context().bindAddress("127.0.0.1").port(0).tlsPort(0)
                .dataDir(dir.resolve("edge")).ramBytes(4L << 20).meterRegistry(new SimpleMeterRegistry())
                .region("eu-west").edgeId("edge-7").publicUrl("https://edge7.example.net")
                .controlEndpoint("ipc").aeronDirectory(dir.resolve("aeron")).heartbeatInterval(Duration.ofMillis(50)));
            await().until(() ->
            {
                heartbeats.poll(reader, 10);
                return seen.size() >= 2;
            });
            assertThat(seen.get(0)).isEqualTo("UP edge-7 eu-west https://edge7.example.net");

            edge.close();
            await().until(() ->
            {
                heartbeats.poll(reader, 10);
                return seen.get(seen.size() - 1).startsWith("DRAINING");
            });
        }
    }

    @Test
    void shouldRefuseAMalformedControlEndpointOrEdgeId()
    {
        assertThatThrownBy(() -> new EdgeNode.Context().controlEndpoint("control:port").conclude())
            .hasMessageContaining("edge.control-endpoint");
        assertThatThrownBy(() -> new EdgeNode.Context().controlEndpoint("ipc").edgeId("bad id").conclude())
            .hasMessageContaining("edge.id");
        assertThatThrownBy(() -> new EdgeNode.Context().controlEndpoint("ipc").publicUrl("http://e1/").conclude())
            .hasMessageContaining("edge.public-url");
        assertThat(EdgeControl.Channels.of("control1", "0.0.0.0:40460").publication())
            .isEqualTo("aeron:udp?endpoint=control1:40458|term-length=1048576");
        assertThat(EdgeControl.Channels.of("[::1]:5000", "[::]:40460").subscription())
            .isEqualTo("aeron:udp?endpoint=[::]:40460|control=[::1]:5001");
    }
}
