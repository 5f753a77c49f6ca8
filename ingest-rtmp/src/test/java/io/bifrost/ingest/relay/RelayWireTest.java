package io.bifrost.ingest.relay;

import io.bifrost.ingest.rtmp.flv.FlvTagType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay's FLV framing: an arrival tag then the tag, each a well-formed FLV tag with its PreviousTagSize, and the
 * origin's status line parsing.
 */
class RelayWireTest
{
    private static final long ARRIVAL_MS = 1_767_225_600_123L;

    @Test
    void shouldWriteAnArrivalTagBeforeEveryTag()
    {
        final ByteBuf payload = Unpooled.wrappedBuffer(new byte[]{0x17, 1, 0, 0, 0, 9, 9});
        final ByteBuf out = Unpooled.buffer();
        final long timestamp = 0x1_2345_6789L; // past the 32-bit wrap: the low 32 bits go on the wire

        RelayWire.writeTag(out, FlvTagType.VIDEO.id(), timestamp, payload, ARRIVAL_MS);

        assertThat(out.readableBytes()).isEqualTo(RelayWire.framedSize(7));
        assertThat(payload.readerIndex()).as("payload not consumed").isZero();
        assertThat(out.readUnsignedByte()).isEqualTo((short)RelayWire.TAG_SCRIPT);
        assertThat(out.readUnsignedMedium()).isEqualTo(RelayWire.ARRIVAL_BODY_SIZE);
        assertThat(out.readUnsignedMedium() | (out.readUnsignedByte() << 24)).isEqualTo(0x2345_6789);
        out.skipBytes(3);
        assertThat(RelayWire.arrivalOf(out.readSlice(RelayWire.ARRIVAL_BODY_SIZE))).isEqualTo(ARRIVAL_MS);
        assertThat(out.readInt()).isEqualTo(RelayWire.TAG_HEADER_SIZE + RelayWire.ARRIVAL_BODY_SIZE);
        assertThat(out.readUnsignedByte()).isEqualTo((short)FlvTagType.VIDEO.id());
        assertThat(out.readUnsignedMedium()).isEqualTo(7);
        out.skipBytes(7);
        assertThat(out.readSlice(7)).isEqualTo(payload);
        assertThat(out.readInt()).isEqualTo(RelayWire.TAG_HEADER_SIZE + 7);
        assertThat(out.isReadable()).isFalse();
    }

    @Test
    void shouldNotTakeOtherScriptDataForAnArrivalTag()
    {
        final ByteBuf onMetaData = Unpooled.buffer().writeByte(2).writeShort(10).writeBytes("onMetaData".getBytes())
            .writeByte(0).writeDouble(1);

        assertThat(RelayWire.arrivalOf(onMetaData)).isEqualTo(-1);
        assertThat(RelayWire.arrivalOf(Unpooled.EMPTY_BUFFER)).isEqualTo(-1);
    }

    @Test
    void shouldReadTheStatusOfAnHttpStatusLine()
    {
        assertThat(RelayAnswerReader.statusOf("HTTP/1.1 401 Unauthorized")).isEqualTo(401);
        assertThat(RelayAnswerReader.statusOf("HTTP/1.0 200")).isEqualTo(200);
        assertThat(RelayAnswerReader.statusOf("SSH-2.0-OpenSSH")).isZero();
        assertThat(RelayAnswerReader.statusOf("HTTP/1.1 2x0 OK")).isZero();
    }

    @Test
    void shouldTellATlsRecordAndQuoteAnAnswerThatIsNotHttp()
    {
        assertThat(RelayAnswerReader.printable("SSH-2.0\u0000\u00ff")).isEqualTo("\"SSH-2.0\\x00\\xff\"");
        assertThat(RelayAnswerReader.printable("x".repeat(100))).isEqualTo("\"" + "x".repeat(64) + "...\"");
        assertThat(TlsProbe.isTlsRecord(22, 3)).as("handshake").isTrue();
        assertThat(TlsProbe.isTlsRecord(21, 3)).as("alert").isTrue();
        assertThat(TlsProbe.isTlsRecord('H', 'T')).isFalse();
    }
}
