package io.bifrost.protocol.aeron;

import io.bifrost.protocol.sbe.EdgeHeartbeatDecoder;
import io.bifrost.protocol.sbe.LivePartDecoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import io.bifrost.protocol.sbe.PlacementAction;
import io.bifrost.protocol.sbe.PlacementCommandDecoder;
import io.bifrost.protocol.sbe.PlacementCommandEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageFrameTest
{
    private static final int OFFSET = 24;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final MessageFrame frame = new MessageFrame(PlacementCommandDecoder.TEMPLATE_ID, LivePartDecoder.TEMPLATE_ID);
    private int length;

    @BeforeEach
    void encode()
    {
        final PlacementCommandEncoder encoder = new PlacementCommandEncoder()
            .wrapAndApplyHeader(buffer, OFFSET, new MessageHeaderEncoder())
            .commandId(77).fromMsn(-1).toMsn(-1).expiresAtMs(0).priority(3).action(PlacementAction.PIN)
            .targetEdgeId("").contentId("vod/abc").rendition("720p");
        length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    @Test
    void shouldWrapAValidMessageWithItsActingHeaderValues()
    {
        assertThat(frame.wrap(buffer, OFFSET, length)).isEqualTo(MessageFrame.Verdict.VALID);

        assertThat(frame.templateId()).isEqualTo(PlacementCommandDecoder.TEMPLATE_ID);
        assertThat(frame.blockLength()).isEqualTo(PlacementCommandDecoder.BLOCK_LENGTH);
        assertThat(frame.version()).isEqualTo(PlacementCommandDecoder.SCHEMA_VERSION);
        assertThat(frame.length()).isEqualTo(length);
        assertThat(frame.view().capacity()).isEqualTo(length);
        final PlacementCommandDecoder decoder = new PlacementCommandDecoder()
            .wrap(frame.view(), frame.bodyOffset(), frame.blockLength(), frame.version());
        assertThat(decoder.commandId()).isEqualTo(77);
        assertThat(decoder.targetEdgeId()).isEmpty();
        assertThat(decoder.contentId()).isEqualTo("vod/abc");
    }

    @Test
    void shouldReadAMessageFromANewerSenderWithALongerBlockAndVersion()
    {
        buffer.putShort(OFFSET, (short)(PlacementCommandDecoder.BLOCK_LENGTH + 8), ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(OFFSET + 6, (short)9, ByteOrder.LITTLE_ENDIAN);

        assertThat(frame.wrap(buffer, OFFSET, length)).isEqualTo(MessageFrame.Verdict.VALID);
        assertThat(frame.blockLength()).isEqualTo(PlacementCommandDecoder.BLOCK_LENGTH + 8);
        assertThat(frame.version()).isEqualTo(9);
    }

    @Test
    void shouldCallEveryCutShorterThanTheHeaderTruncated()
    {
        for (int cut = 0; cut < MessageFrame.BODY_OFFSET; cut++)
        {
            assertThat(frame.wrap(buffer, OFFSET, cut)).as("cut " + cut).isEqualTo(MessageFrame.Verdict.TRUNCATED);
            assertThat(frame.templateId()).isEqualTo(-1);
        }
    }

    @Test
    void shouldCallAMessageOutsideItsBufferTruncated()
    {
        assertThat(frame.wrap(buffer, -1, length)).isEqualTo(MessageFrame.Verdict.TRUNCATED);
        assertThat(frame.wrap(buffer, buffer.capacity() - 4, length)).isEqualTo(MessageFrame.Verdict.TRUNCATED);
        assertThat(frame.wrap(buffer, Integer.MAX_VALUE - 2, length)).isEqualTo(MessageFrame.Verdict.TRUNCATED);
        assertThat(frame.wrap(buffer, OFFSET, Integer.MAX_VALUE)).isEqualTo(MessageFrame.Verdict.TRUNCATED);
    }

    @Test
    void shouldTellAnotherSchemaFromAnUnknownTemplate()
    {
        buffer.putShort(OFFSET + 4, (short)4242, ByteOrder.LITTLE_ENDIAN);
        assertThat(frame.wrap(buffer, OFFSET, length)).isEqualTo(MessageFrame.Verdict.FOREIGN_SCHEMA);
        assertThat(frame.wrap(buffer, OFFSET, length).malformed()).isFalse();

        buffer.putShort(OFFSET + 4, (short)MessageHeaderEncoder.SCHEMA_ID, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(OFFSET + 2, (short)EdgeHeartbeatDecoder.TEMPLATE_ID, ByteOrder.LITTLE_ENDIAN);
        assertThat(frame.wrap(buffer, OFFSET, length)).isEqualTo(MessageFrame.Verdict.UNKNOWN_TEMPLATE);
        buffer.putShort(OFFSET + 2, (short)999, ByteOrder.LITTLE_ENDIAN);
        assertThat(frame.wrap(buffer, OFFSET, length)).isEqualTo(MessageFrame.Verdict.UNKNOWN_TEMPLATE);
    }

    @Test
    void shouldRefuseABlockShorterThanTheSchemasOrPastTheEnd()
    {
        buffer.putShort(OFFSET, (short)(PlacementCommandDecoder.BLOCK_LENGTH - 1), ByteOrder.LITTLE_ENDIAN);
        assertThat(frame.wrap(buffer, OFFSET, length)).isEqualTo(MessageFrame.Verdict.BAD_BLOCK);

        buffer.putShort(OFFSET, (short)PlacementCommandDecoder.BLOCK_LENGTH, ByteOrder.LITTLE_ENDIAN);
        final int headerAndBlock = MessageFrame.BODY_OFFSET + PlacementCommandDecoder.BLOCK_LENGTH;
        assertThat(frame.wrap(buffer, OFFSET, headerAndBlock)).isEqualTo(MessageFrame.Verdict.VALID);
        assertThat(frame.wrap(buffer, OFFSET, headerAndBlock - 1)).isEqualTo(MessageFrame.Verdict.BAD_BLOCK);
        assertThat(frame.wrap(buffer, OFFSET, headerAndBlock - 1).malformed()).isTrue();

        buffer.putShort(OFFSET, (short)0xFFFF, ByteOrder.LITTLE_ENDIAN);
        assertThat(frame.wrap(buffer, OFFSET, length)).isEqualTo(MessageFrame.Verdict.BAD_BLOCK);
    }

    @Test
    void shouldRefuseToHandleATemplateTheSchemaDoesNotHave()
    {
        assertThatThrownBy(() -> new MessageFrame(PlacementCommandDecoder.TEMPLATE_ID, 3))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("template 3");
    }
}
