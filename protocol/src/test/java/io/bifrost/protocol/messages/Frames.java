package io.bifrost.protocol.messages;

import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every round-trip test does around a message: frames start at a non-zero offset (as in an Aeron term), and a
 * reader checks the header the way a real subscriber does before it wraps a decoder.
 */
final class Frames
{
    /** Messages are written this far into the buffer, so a codec that ignores its offset fails. */
    static final int OFFSET = 32;

    private Frames()
    {
    }

    /**
     * Reads and checks the header of a frame, as a subscriber does.
     *
     * @param buffer             the frame.
     * @param offset             where the header starts.
     * @param expectedTemplateId the message the test wrote.
     * @return the header, wrapped, for the acting block length and version.
     */
    static MessageHeaderDecoder readHeader(final DirectBuffer buffer, final int offset, final int expectedTemplateId)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        assertThat(header.schemaId()).isEqualTo(MessageHeaderEncoder.SCHEMA_ID);
        assertThat(header.version()).isEqualTo(MessageHeaderEncoder.SCHEMA_VERSION);
        assertThat(header.templateId()).isEqualTo(expectedTemplateId);
        return header;
    }

    /**
     * @param header a header read by {@link #readHeader}.
     * @return the offset of the message body that follows it.
     */
    static int bodyOffset(final MessageHeaderDecoder header)
    {
        return header.offset() + MessageHeaderDecoder.ENCODED_LENGTH;
    }
}
