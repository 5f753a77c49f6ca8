package io.bifrost.protocol.messages;

import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import io.bifrost.protocol.sbe.PlacementAction;
import io.bifrost.protocol.sbe.PlacementCommandDecoder;
import io.bifrost.protocol.sbe.PlacementCommandEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementCommandCodecTest
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final PlacementCommandEncoder encoder = new PlacementCommandEncoder();
    private final PlacementCommandDecoder decoder = new PlacementCommandDecoder();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);

    @ParameterizedTest
    @EnumSource(value = PlacementAction.class, names = "NULL_VAL", mode = EnumSource.Mode.EXCLUDE)
    void shouldRoundTripTargetedRangeCommandForEachAction(final PlacementAction action)
    {
        encoder.wrapAndApplyHeader(buffer, Frames.OFFSET, headerEncoder)
            .commandId(9_000_000_001L)
            .fromMsn(10L)
            .toMsn(42L)
            .expiresAtMs(1_764_050_000_000L)
            .priority(7)
            .action(action)
            .targetEdgeId("edge-ams-03")
            .contentId("vod/abc123")
            .rendition("480p");

        final MessageHeaderDecoder header =
            Frames.readHeader(buffer, Frames.OFFSET, PlacementCommandDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());

        assertThat(decoder.commandId()).isEqualTo(9_000_000_001L);
        assertThat(decoder.fromMsn()).isEqualTo(10L);
        assertThat(decoder.toMsn()).isEqualTo(42L);
        assertThat(decoder.expiresAtMs()).isEqualTo(1_764_050_000_000L);
        assertThat(decoder.priority()).isEqualTo(7);
        assertThat(decoder.action()).isEqualTo(action);
        assertThat(decoder.targetEdgeId()).isEqualTo("edge-ams-03");
        assertThat(decoder.contentId()).isEqualTo("vod/abc123");
        assertThat(decoder.rendition()).isEqualTo("480p");
    }

    @Test
    void shouldRoundTripBroadcastWholeTitleCommandWithEmptyTargetAndRendition()
    {
        encoder.wrapAndApplyHeader(buffer, Frames.OFFSET, headerEncoder)
            .commandId(1L)
            .fromMsn(-1L)
            .toMsn(-1L)
            .expiresAtMs(0L)
            .priority(0)
            .action(PlacementAction.PIN)
            .targetEdgeId("")
            .contentId("live/stream1")
            .rendition("");

        final MessageHeaderDecoder header =
            Frames.readHeader(buffer, Frames.OFFSET, PlacementCommandDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());

        assertThat(decoder.fromMsn()).isEqualTo(-1L);
        assertThat(decoder.toMsn()).isEqualTo(-1L);
        assertThat(decoder.expiresAtMs()).isZero();
        assertThat(decoder.action()).isEqualTo(PlacementAction.PIN);
        assertThat(decoder.targetEdgeIdLength()).isZero();
        assertThat(decoder.targetEdgeId()).isEmpty();
        assertThat(decoder.contentId()).isEqualTo("live/stream1");
        assertThat(decoder.rendition()).isEmpty();
        assertThat(MessageHeaderDecoder.ENCODED_LENGTH + decoder.encodedLength())
            .isEqualTo(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }
}
