package io.bifrost.protocol.messages;

import io.bifrost.protocol.sbe.EdgeHealth;
import io.bifrost.protocol.sbe.EdgeHeartbeatDecoder;
import io.bifrost.protocol.sbe.EdgeTelemetryDecoder;
import io.bifrost.protocol.sbe.LivePartDecoder;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.PartFlagsEncoder;
import io.bifrost.protocol.sbe.PlacementAction;
import io.bifrost.protocol.sbe.PlacementCommandDecoder;
import io.bifrost.protocol.sbe.SigningKeysDecoder;
import io.bifrost.protocol.sbe.WindowKind;
import io.bifrost.protocol.sbe.WindowUpdateDecoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The numbers that nodes of different builds must agree on. A failure here means a wire-incompatible change: add a
 * new id or value instead of changing one (see the conventions at the top of bifrost-messages.xml).
 */
class SchemaContractTest
{
    @Test
    void shouldKeepSchemaIdentity()
    {
        assertThat(MessageHeaderDecoder.SCHEMA_ID).isEqualTo(7001);
        // 2: WindowKind.HLS_MEDIA_PLAYLIST_DELTA, 3: EdgeTelemetry QoE fields, 4: SigningKeys
        assertThat(MessageHeaderDecoder.SCHEMA_VERSION).isEqualTo(4);
        assertThat(MessageHeaderDecoder.ENCODED_LENGTH).isEqualTo(8);
    }

    @Test
    void shouldKeepTemplateIds()
    {
        assertThat(LivePartDecoder.TEMPLATE_ID).isEqualTo(1);
        assertThat(WindowUpdateDecoder.TEMPLATE_ID).isEqualTo(2);
        assertThat(EdgeHeartbeatDecoder.TEMPLATE_ID).isEqualTo(10);
        assertThat(EdgeTelemetryDecoder.TEMPLATE_ID).isEqualTo(11);
        assertThat(PlacementCommandDecoder.TEMPLATE_ID).isEqualTo(20);
        assertThat(SigningKeysDecoder.TEMPLATE_ID).isEqualTo(21);
    }

    @Test
    void shouldKeepFixedBlockLengths()
    {
        assertThat(LivePartDecoder.BLOCK_LENGTH).isEqualTo(33);
        assertThat(WindowUpdateDecoder.BLOCK_LENGTH).isEqualTo(53);
        assertThat(EdgeHeartbeatDecoder.BLOCK_LENGTH).isEqualTo(71);
        assertThat(EdgeTelemetryDecoder.BLOCK_LENGTH).isEqualTo(20);
        assertThat(EdgeTelemetryDecoder.ContentsDecoder.sbeBlockLength()).isEqualTo(86);
        assertThat(PlacementCommandDecoder.BLOCK_LENGTH).isEqualTo(37);
    }

    @Test
    void shouldKeepEnumValues()
    {
        assertThat(WindowKind.HLS_MEDIA_PLAYLIST.value()).isEqualTo((short)0);
        assertThat(WindowKind.HLS_MASTER_PLAYLIST.value()).isEqualTo((short)1);
        assertThat(WindowKind.DASH_MPD.value()).isEqualTo((short)2);
        assertThat(WindowKind.END_OF_STREAM.value()).isEqualTo((short)3);
        assertThat(WindowKind.HLS_MEDIA_PLAYLIST_DELTA.value()).isEqualTo((short)4);

        assertThat(EdgeHealth.UP.value()).isEqualTo((short)0);
        assertThat(EdgeHealth.DRAINING.value()).isEqualTo((short)1);
        assertThat(EdgeHealth.DEGRADED.value()).isEqualTo((short)2);

        assertThat(PlacementAction.PREFETCH.value()).isEqualTo((short)0);
        assertThat(PlacementAction.PIN.value()).isEqualTo((short)1);
        assertThat(PlacementAction.RELEASE.value()).isEqualTo((short)2);
    }

    @Test
    void shouldKeepPartFlagBits()
    {
        assertThat(PartFlagsEncoder.independent((byte)0, true)).isEqualTo((byte)0b0001);
        assertThat(PartFlagsEncoder.segmentEnd((byte)0, true)).isEqualTo((byte)0b0010);
        assertThat(PartFlagsEncoder.gap((byte)0, true)).isEqualTo((byte)0b0100);
        assertThat(PartFlagsEncoder.discontinuity((byte)0, true)).isEqualTo((byte)0b1000);
    }
}
