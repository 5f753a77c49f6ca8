package io.bifrost.protocol.aeron;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bifrost.protocol.sbe.EdgeHeartbeatDecoder;
import io.bifrost.protocol.sbe.EdgeTelemetryDecoder;
import io.bifrost.protocol.sbe.LivePartDecoder;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.PlacementCommandDecoder;
import io.bifrost.protocol.sbe.WindowUpdateDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link MessageFrame}: any bytes at any offset and length (inside the buffer or not) give a
 * verdict and never throw; a {@link MessageFrame.Verdict#VALID} frame names a template it was given, its block lies
 * inside the message, and its view covers exactly the message. In a normal build it replays the committed corpus under
 * {@code src/test/resources/io/bifrost/protocol/aeron/MessageFrameFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class MessageFrameFuzzTest
{
    private final MessageFrame frame = new MessageFrame(LivePartDecoder.TEMPLATE_ID, WindowUpdateDecoder.TEMPLATE_ID,
        EdgeHeartbeatDecoder.TEMPLATE_ID, EdgeTelemetryDecoder.TEMPLATE_ID, PlacementCommandDecoder.TEMPLATE_ID);

    @FuzzTest(maxDuration = "30s")
    void anyBytesGiveAVerdictAndAValidFrameStaysInsideTheMessage(final FuzzedDataProvider data)
    {
        final int padding = data.consumeInt(0, 64);
        final int lengthSlack = data.consumeInt(-16, 16);
        final byte[] message = data.consumeRemainingAsBytes();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[padding + message.length + 8]);
        buffer.setMemory(0, buffer.capacity(), (byte)0x7F);
        buffer.putBytes(padding, message);
        final int length = message.length + lengthSlack;

        final MessageFrame.Verdict verdict = frame.wrap(buffer, padding, length);

        assertThat(verdict).isNotNull();
        if (verdict == MessageFrame.Verdict.VALID)
        {
            assertThat(length).isBetween(MessageHeaderDecoder.ENCODED_LENGTH, buffer.capacity() - padding);
            assertThat(frame.view().capacity()).isEqualTo(length);
            assertThat(frame.templateId()).isIn(LivePartDecoder.TEMPLATE_ID, WindowUpdateDecoder.TEMPLATE_ID,
                EdgeHeartbeatDecoder.TEMPLATE_ID, EdgeTelemetryDecoder.TEMPLATE_ID, PlacementCommandDecoder.TEMPLATE_ID);
            assertThat(frame.blockLength()).isBetween(MessageFrame.schemaBlockLength(frame.templateId()),
                length - MessageFrame.BODY_OFFSET);
        }
        else
        {
            assertThat(frame.templateId()).isEqualTo(-1);
        }
    }
}
