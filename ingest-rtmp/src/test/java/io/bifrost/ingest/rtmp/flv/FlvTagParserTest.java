package io.bifrost.ingest.rtmp.flv;

import io.bifrost.ingest.rtmp.RejectReason;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.amf.Amf0EcmaArray;
import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.amf.Amf0Writer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlvTagParserTest
{
    private final FlvTagParser parser = new FlvTagParser(new Amf0Reader(Amf0Limits.defaults()));

    @Test
    void shouldTellAvcSequenceHeaderKeyframeNaluAndEndOfSequenceApart()
    {
        final FlvTag header = parser.video(0, bytes(0x17, 0, 0, 0, 0, 1, 0x64));
        assertThat(header.videoCodec()).isEqualTo(VideoCodec.AVC);
        assertThat(header.videoPacket()).isEqualTo(VideoPacketKind.SEQUENCE_HEADER);

        final FlvTag key = parser.video(40, bytes(0x17, 1, 0, 0, 80, 0, 0, 0, 1, 0x65));
        assertThat(key.videoPacket()).isEqualTo(VideoPacketKind.CODED_FRAME);
        assertThat(key.keyframe()).isTrue();
        assertThat(key.compositionTimeMs()).isEqualTo(80);

        final FlvTag inter = parser.video(80, bytes(0x27, 1, 0xFF, 0xFF, 0xD8, 0x41));
        assertThat(inter.keyframe()).isFalse();
        assertThat(inter.compositionTimeMs()).as("SI24 is signed").isEqualTo(-40);

        assertThat(parser.video(120, bytes(0x17, 2, 0, 0, 0)).videoPacket()).isEqualTo(VideoPacketKind.END_OF_SEQUENCE);
    }

    @Test
    void shouldTellAacSequenceHeaderFromRawFrames()
    {
        final FlvTag config = parser.audio(0, bytes(0xAF, 0, 0x11, 0x90));
        assertThat(config.soundFormat()).isEqualTo(FlvTag.SOUND_FORMAT_AAC);
        assertThat(config.audioPacket()).isEqualTo(AudioPacketKind.SEQUENCE_HEADER);
        assertThat(parser.audio(21, bytes(0xAF, 1, 0x21)).audioPacket()).isEqualTo(AudioPacketKind.RAW);
        assertThat(parser.audio(21, bytes(0x2F, 0xFF)).soundFormat()).as("MP3").isEqualTo(2);
    }

    @Test
    void shouldReadTheEnhancedRtmpHeaderOfAnAv1Frame()
    {
        final FlvTag tag = parser.video(0, bytes(0x93, 'a', 'v', '0', '1', 0x12, 0));
        assertThat(tag.enhanced()).isTrue();
        assertThat(tag.videoCodec()).isEqualTo(VideoCodec.AV1);
        assertThat(tag.videoPacket()).isEqualTo(VideoPacketKind.CODED_FRAME);
        assertThat(tag.keyframe()).isTrue();
        assertThat(tag.fourCc()).isEqualTo(VideoCodec.fourCc("av01"));
    }

    @Test
    void shouldRefuseVideoAndAudioShorterThanTheirHeaders()
    {
        assertRefused(() -> parser.video(0, bytes()));
        assertRefused(() -> parser.video(0, bytes(0x17, 1, 0)));
        assertRefused(() -> parser.video(0, bytes(0x17, 7, 0, 0, 0)));
        assertRefused(() -> parser.video(0, bytes(0x91, 'h', 'v', 'c', '1', 0)));
        assertRefused(() -> parser.audio(0, bytes(0xAF)));
        assertRefused(() -> parser.audio(0, bytes(0xAF, 5)));
    }

    @Test
    void shouldStripSetDataFrameAndExposeOnMetaData()
    {
        final ByteBuf payload = Unpooled.buffer();
        Amf0Writer.writeAll(payload, "@setDataFrame", "onMetaData", new Amf0EcmaArray(Map.of("framerate", 25.0)));
        final FlvTag tag = parser.script(0, payload);
        assertThat(tag.metadata()).containsEntry("framerate", 25.0);
        assertThat(new Amf0Reader(Amf0Limits.defaults()).read(tag.payload().duplicate())).isEqualTo("onMetaData");
    }

    private static void assertRefused(final org.assertj.core.api.ThrowableAssert.ThrowingCallable call)
    {
        assertThatThrownBy(call).isInstanceOfSatisfying(RtmpProtocolException.class,
            ex -> assertThat(ex.reason()).isEqualTo(RejectReason.FLV_MALFORMED));
    }

    private static ByteBuf bytes(final int... values)
    {
        final ByteBuf buf = Unpooled.buffer(values.length);
        for (final int value : values)
        {
            buf.writeByte(value);
        }
        return buf;
    }
}
