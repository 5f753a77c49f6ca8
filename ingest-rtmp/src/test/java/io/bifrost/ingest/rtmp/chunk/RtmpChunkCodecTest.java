package io.bifrost.ingest.rtmp.chunk;

import io.bifrost.ingest.rtmp.RejectReason;
import io.bifrost.ingest.rtmp.RtmpLimits;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RtmpChunkCodecTest
{
    private static final RtmpLimits LIMITS = RtmpLimits.defaults();

    @ParameterizedTest
    @ValueSource(ints = {1, 128, 1000, 4096, 65_536})
    void shouldRoundTripMessagesOnEveryHeaderTypeAndBasicHeaderSizeAtAnyChunkSize(final int chunkSize)
    {
        final List<RtmpMessage> sent = new ArrayList<>();
        sent.add(message(2, RtmpMessageType.SET_CHUNK_SIZE, 0, 0, Unpooled.buffer(4).writeInt(chunkSize)));
        final int[] csids = {3, 63, 64, 319, 320, 65_599};
        final int[] lengths = {0, 1, 127, 128, 129, 5_000};
        long timestamp = 0;
        for (int round = 0; round < 4; round++)
        {
            for (final int csid : csids)
            {
                for (final int length : lengths)
                {
                    timestamp += round == 2 ? 0 : 33;                      // equal deltas -> types 2 and 3
                    final int msid = round == 3 && length == 1 ? 7 : 1;     // new stream id -> type 0
                    sent.add(message(csid, RtmpMessageType.VIDEO, timestamp, msid, payload(length, round)));
                }
            }
        }
        sent.add(message(3, RtmpMessageType.VIDEO, 5, 1, payload(10, 9)));  // back in time -> type 0

        final ByteBuf wire = encode(new RtmpChunkEncoder(), sent);
        final List<RtmpMessage> received = decode(wire, LIMITS);

        assertThat(received).hasSize(sent.size() - 1);
        for (int i = 0; i < received.size(); i++)
        {
            final RtmpMessage expected = sent.get(i + 1);
            final RtmpMessage actual = received.get(i);
            assertThat(actual.chunkStreamId()).isEqualTo(expected.chunkStreamId());
            assertThat(actual.typeId()).isEqualTo(expected.typeId());
            assertThat(actual.timestamp()).as("timestamp of message %d", i).isEqualTo(expected.timestamp());
            assertThat(actual.messageStreamId()).isEqualTo(expected.messageStreamId());
            assertThat(ByteBufUtil.getBytes(actual.payload())).isEqualTo(ByteBufUtil.getBytes(expected.payload()));
            actual.release();
        }
        sent.forEach(RtmpMessage::release);
    }

    @Test
    void shouldPickTheSmallestHeaderTypeForEachMessage()
    {
        final RtmpChunkEncoder encoder = new RtmpChunkEncoder();
        final List<Integer> formats = new ArrayList<>();
        final long[] timestamps = {1000, 1040, 1040 + 40, 1080 + 50, 1130 + 50};
        final int[] lengths = {10, 20, 20, 20, 20};
        for (int i = 0; i < timestamps.length; i++)
        {
            final ByteBuf out = Unpooled.buffer();
            encoder.encode(message(5, RtmpMessageType.AUDIO, timestamps[i], 1, payload(lengths[i], i)), out);
            formats.add(out.getUnsignedByte(0) >>> 6);
        }
        assertThat(formats).containsExactly(0, 1, 3, 2, 3);
    }

    @Test
    void shouldCarryExtendedTimestampsOnTypeThreeContinuationChunks()
    {
        final long timestamp = 0x0123_4567L;
        final ByteBuf wire = Unpooled.buffer();
        new RtmpChunkEncoder().encode(message(4, RtmpMessageType.VIDEO, timestamp, 1, payload(300, 1)), wire);

        assertThat(wire.getUnsignedMedium(1)).isEqualTo(0xFF_FFFF);
        assertThat(wire.getUnsignedInt(12)).isEqualTo(timestamp);
        final int continuation = 1 + 11 + 4 + 128;
        assertThat((int)wire.getUnsignedByte(continuation)).isEqualTo((3 << 6) | 4);
        assertThat(wire.getUnsignedInt(continuation + 1)).isEqualTo(timestamp);

        final List<RtmpMessage> received = decode(wire, LIMITS);
        assertThat(received).singleElement().satisfies(m ->
        {
            assertThat(m.timestamp()).isEqualTo(timestamp);
            assertThat(m.payload().readableBytes()).isEqualTo(300);
        });
        received.forEach(RtmpMessage::release);
    }

    @Test
    void shouldReassembleInterleavedChunkStreams()
    {
        final ByteBuf wire = Unpooled.buffer();
        // 200-byte audio on csid 4 and 150-byte video on csid 6, chunk size 128, chunks interleaved A1 B1 A2 B2.
        wire.writeByte(4).writeMedium(10).writeMedium(200).writeByte(8).writeIntLE(1).writeBytes(filled(128, 'a'));
        wire.writeByte(6).writeMedium(20).writeMedium(150).writeByte(9).writeIntLE(1).writeBytes(filled(128, 'v'));
        wire.writeByte(0xC4).writeBytes(filled(72, 'a'));
        wire.writeByte(0xC6).writeBytes(filled(22, 'v'));

        final List<RtmpMessage> received = decode(wire, LIMITS);
        assertThat(received).extracting(RtmpMessage::typeId).containsExactly(8, 9);
        assertThat(ByteBufUtil.getBytes(received.get(0).payload())).isEqualTo(filled(200, 'a'));
        assertThat(ByteBufUtil.getBytes(received.get(1).payload())).isEqualTo(filled(150, 'v'));
        assertThat(received).extracting(RtmpMessage::timestamp).containsExactly(10L, 20L);
        received.forEach(RtmpMessage::release);
    }

    @Test
    void shouldDropThePartialMessageOfAnAbortedChunkStream()
    {
        final ByteBuf wire = Unpooled.buffer();
        wire.writeByte(4).writeMedium(0).writeMedium(200).writeByte(8).writeIntLE(1).writeBytes(filled(128, 'x'));
        wire.writeByte(2).writeMedium(0).writeMedium(4).writeByte(RtmpMessageType.ABORT).writeIntLE(0).writeInt(4);
        wire.writeByte(0x44).writeMedium(0).writeMedium(3).writeByte(8).writeBytes(filled(3, 'y'));

        final List<RtmpMessage> received = decode(wire, LIMITS);
        assertThat(received).singleElement().satisfies(m ->
            assertThat(ByteBufUtil.getBytes(m.payload())).isEqualTo(filled(3, 'y')));
        received.forEach(RtmpMessage::release);
    }

    @Test
    void shouldAcknowledgeEachTimeTheAnnouncedWindowFills()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new RtmpChunkDecoder(LIMITS));
        final List<RtmpMessage> out = new ArrayList<>();
        out.add(message(2, RtmpMessageType.WINDOW_ACK_SIZE, 0, 0, Unpooled.buffer(4).writeInt(1000)));
        for (int i = 0; i < 12; i++)
        {
            out.add(message(6, RtmpMessageType.VIDEO, i, 1, payload(100, i)));
        }
        final ByteBuf wire = encode(new RtmpChunkEncoder(), out);
        final int total = wire.readableBytes();
        channel.writeInbound(wire);

        final RtmpMessage ack = channel.readOutbound();
        assertThat(ack.typeId()).isEqualTo(RtmpMessageType.ACKNOWLEDGEMENT);
        assertThat(ack.payload().getUnsignedInt(0)).isEqualTo(total);
        ack.release();
        out.forEach(RtmpMessage::release);
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldRefuseASetChunkSizeAboveTheConfiguredLimit()
    {
        final ByteBuf wire = Unpooled.buffer();
        wire.writeByte(2).writeMedium(0).writeMedium(4).writeByte(1).writeIntLE(0).writeInt(0x7FFF_FFFF);
        assertRefused(wire, LIMITS, RejectReason.CHUNK_LIMIT);
    }

    @Test
    void shouldRefuseASetChunkSizeWithTheTopBitSet()
    {
        final ByteBuf wire = Unpooled.buffer();
        wire.writeByte(2).writeMedium(0).writeMedium(4).writeByte(1).writeIntLE(0).writeInt(0x8000_0080);
        assertRefused(wire, LIMITS, RejectReason.CHUNK_MALFORMED);
    }

    @Test
    void shouldRefuseAMessageLongerThanTheLimitBeforeAllocatingIt()
    {
        final ByteBuf wire = Unpooled.buffer();
        wire.writeByte(4).writeMedium(0).writeMedium(0xFF_FFFF).writeByte(9).writeIntLE(1);
        final RtmpLimits small = new RtmpLimits(65_536, 1024 * 1024, 4, 2 * 1024 * 1024, 2 * 1024 * 1024,
            Amf0Limits.defaults());
        assertRefused(wire, small, RejectReason.CHUNK_LIMIT);
    }

    @Test
    void shouldRefuseMoreChunkStreamsThanTheLimit()
    {
        final ByteBuf wire = Unpooled.buffer();
        for (int csid = 3; csid < 8; csid++)
        {
            wire.writeByte(csid).writeMedium(0).writeMedium(1).writeByte(8).writeIntLE(1).writeByte(0xAF);
        }
        final RtmpLimits fourStreams = new RtmpLimits(65_536, 65_536, 4, 65_536, 65_536, Amf0Limits.defaults());
        assertRefused(wire, fourStreams, RejectReason.CHUNK_LIMIT);
    }

    @Test
    void shouldRefuseACompressedHeaderOnAChunkStreamThatNeverHadAFullOne()
    {
        final ByteBuf wire = Unpooled.buffer();
        wire.writeByte(0x80 | 5).writeMedium(10);
        assertRefused(wire, LIMITS, RejectReason.CHUNK_MALFORMED);
    }

    @Test
    void shouldRefuseANewHeaderInsideAnUnfinishedMessage()
    {
        final ByteBuf wire = Unpooled.buffer();
        wire.writeByte(4).writeMedium(0).writeMedium(200).writeByte(8).writeIntLE(1).writeBytes(filled(128, 'x'));
        wire.writeByte(0x84).writeMedium(10);
        assertRefused(wire, LIMITS, RejectReason.CHUNK_MALFORMED);
    }

    private static void assertRefused(final ByteBuf wire, final RtmpLimits limits, final RejectReason reason)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new RtmpChunkDecoder(limits));
        assertThatThrownBy(() -> channel.writeInbound(wire))
            .isInstanceOf(DecoderException.class)
            .cause().isInstanceOfSatisfying(RtmpProtocolException.class, ex -> assertThat(ex.reason()).isEqualTo(reason));
        channel.finishAndReleaseAll();
    }

    static RtmpMessage message(final int csid, final int type, final long timestamp, final int msid, final ByteBuf body)
    {
        return new RtmpMessage(csid, type, timestamp, msid, body);
    }

    static ByteBuf payload(final int length, final int seed)
    {
        final ByteBuf buf = Unpooled.buffer(length);
        for (int i = 0; i < length; i++)
        {
            buf.writeByte(i * 13 + seed);
        }
        return buf;
    }

    private static byte[] filled(final int length, final char c)
    {
        final byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte)c);
        return bytes;
    }

    static ByteBuf encode(final RtmpChunkEncoder encoder, final List<RtmpMessage> messages)
    {
        final ByteBuf wire = Unpooled.buffer();
        for (final RtmpMessage message : messages)
        {
            encoder.encode(message, wire);
        }
        return wire;
    }

    static List<RtmpMessage> decode(final ByteBuf wire, final RtmpLimits limits)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new RtmpChunkDecoder(limits));
        while (wire.isReadable())
        {
            channel.writeInbound(wire.readRetainedSlice(Math.min(777, wire.readableBytes())));
        }
        wire.release();
        final List<RtmpMessage> received = new ArrayList<>();
        RtmpMessage message;
        while (null != (message = channel.readInbound()))
        {
            received.add(message);
        }
        channel.finishAndReleaseAll();
        return received;
    }
}
