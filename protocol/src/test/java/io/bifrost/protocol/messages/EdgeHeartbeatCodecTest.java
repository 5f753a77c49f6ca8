package io.bifrost.protocol.messages;

import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.sbe.EdgeHealth;
import io.bifrost.protocol.sbe.EdgeHeartbeatDecoder;
import io.bifrost.protocol.sbe.EdgeHeartbeatEncoder;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeHeartbeatCodecTest
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final EdgeHeartbeatEncoder encoder = new EdgeHeartbeatEncoder();
    private final EdgeHeartbeatDecoder decoder = new EdgeHeartbeatDecoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);

    @ParameterizedTest
    @EnumSource(value = EdgeHealth.class, names = "NULL_VAL", mode = EnumSource.Mode.EXCLUDE)
    void shouldRoundTripEveryFieldForEachHealth(final EdgeHealth health)
    {
        encoder.wrapAndApplyHeader(buffer, Frames.OFFSET, headerEncoder)
            .timestampMs(1_764_047_441_250L)
            .sequence(86_400L)
            .startTimeMs(1_764_000_000_000L)
            .ramCapacityBytes(64L << 30)
            .ramUsedBytes(48L << 30)
            .ssdCapacityBytes(4L << 40)
            .ssdUsedBytes(3L << 40)
            .egressBitsPerSecond(25_000_000_000L)
            .activeConnections(120_000)
            .cpuLoadPermille(1000)
            .health(health)
            .edgeId("edge-fra-01")
            .region("eu-central")
            .baseUrl("https://edge-fra-01.cdn.example.net:8443");

        final MessageHeaderDecoder header = Frames.readHeader(buffer, Frames.OFFSET, EdgeHeartbeatDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());

        assertThat(decoder.timestampMs()).isEqualTo(1_764_047_441_250L);
        assertThat(decoder.sequence()).isEqualTo(86_400L);
        assertThat(decoder.startTimeMs()).isEqualTo(1_764_000_000_000L);
        assertThat(decoder.ramCapacityBytes()).isEqualTo(64L << 30);
        assertThat(decoder.ramUsedBytes()).isEqualTo(48L << 30);
        assertThat(decoder.ssdCapacityBytes()).isEqualTo(4L << 40);
        assertThat(decoder.ssdUsedBytes()).isEqualTo(3L << 40);
        assertThat(decoder.egressBitsPerSecond()).isEqualTo(25_000_000_000L);
        assertThat(decoder.activeConnections()).isEqualTo(120_000);
        assertThat(decoder.cpuLoadPermille()).isEqualTo(1000);
        assertThat(decoder.health()).isEqualTo(health);
        assertThat(decoder.edgeId()).isEqualTo("edge-fra-01");
        assertThat(decoder.region()).isEqualTo("eu-central");
        assertThat(decoder.baseUrl()).isEqualTo("https://edge-fra-01.cdn.example.net:8443");
        assertThat(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength())
            .isLessThan(AeronChannels.MTU_LENGTH);
    }

    @Test
    void shouldRoundTripEdgeWithoutSsdTierAndEmptyText()
    {
        encoder.wrapAndApplyHeader(buffer, Frames.OFFSET, headerEncoder)
            .timestampMs(1L)
            .sequence(0L)
            .startTimeMs(1L)
            .ramCapacityBytes(1L << 30)
            .ramUsedBytes(0L)
            .ssdCapacityBytes(0L)
            .ssdUsedBytes(0L)
            .egressBitsPerSecond(0L)
            .activeConnections(0)
            .cpuLoadPermille(0)
            .health(EdgeHealth.UP)
            .edgeId("e")
            .region("")
            .baseUrl("");

        final MessageHeaderDecoder header = Frames.readHeader(buffer, Frames.OFFSET, EdgeHeartbeatDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());

        assertThat(decoder.sequence()).isZero();
        assertThat(decoder.ssdCapacityBytes()).isZero();
        assertThat(decoder.cpuLoadPermille()).isZero();
        assertThat(decoder.health()).isEqualTo(EdgeHealth.UP);
        assertThat(decoder.edgeId()).isEqualTo("e");
        assertThat(decoder.region()).isEmpty();
        assertThat(decoder.baseUrl()).isEmpty();
    }
}
