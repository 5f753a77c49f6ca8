package io.bifrost.protocol.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2SettingsFrame;
import io.netty.handler.codec.http2.Http2Settings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate's contract on its own: a stream's requests wait until the connection has read the client's SETTINGS, then
 * pass in order; a stream that ends first releases what it held. The edge's and origin's h2c tests show it on the wire.
 */
class ClientPrefaceGateTest
{
    @Test
    void shouldHoldAStreamsRequestsUntilTheClientsSettingsArriveThenPassThemInOrder()
    {
        final ClientPrefaceGate gate = new ClientPrefaceGate();
        final EmbeddedChannel connection = new EmbeddedChannel(gate);
        final EmbeddedChannel stream = new EmbeddedChannel(gate.newStreamHold());

        stream.writeInbound("head", "body");
        assertThat((Object)stream.readInbound()).as("held before the preface").isNull();

        connection.writeInbound(new DefaultHttp2SettingsFrame(Http2Settings.defaultSettings()));

        assertThat(gate.prefaceReceived()).isTrue();
        assertThat((Object)stream.readInbound()).isEqualTo("head");
        assertThat((Object)stream.readInbound()).isEqualTo("body");
        assertThat((Object)connection.readInbound()).as("the SETTINGS frame goes on").isNotNull();
        assertThat(connection.pipeline().get(ClientPrefaceGate.class)).as("the gate leaves once open").isNull();
        stream.writeInbound("next");
        assertThat((Object)stream.readInbound()).as("no hold once open").isEqualTo("next");
    }

    @Test
    void shouldReleaseWhatAStreamHeldWhenTheStreamEndsBeforeThePreface()
    {
        final ClientPrefaceGate gate = new ClientPrefaceGate();
        final EmbeddedChannel connection = new EmbeddedChannel(gate);
        final EmbeddedChannel stream = new EmbeddedChannel(gate.newStreamHold());
        final var body = Unpooled.buffer(16).writeLong(42);

        stream.writeInbound(body);
        stream.close();
        connection.writeInbound(new DefaultHttp2SettingsFrame(Http2Settings.defaultSettings()));

        assertThat(body.refCnt()).isZero();
        assertThat((Object)stream.readInbound()).isNull();
    }
}
