package io.bifrost.origin.live.ingest;

import io.bifrost.ingest.rtmp.flv.AudioPacketKind;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagType;
import io.bifrost.ingest.rtmp.flv.VideoCodec;
import io.bifrost.ingest.rtmp.flv.VideoPacketKind;
import io.bifrost.origin.live.passthrough.DecoderConfigTest;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the first tags of a publish decide the renditions it gets.
 */
class SourceProbeTest
{
    private final SourceProbe probe = new SourceProbe(1000, 1 << 20);

    @Test
    void shouldBeReadyAtTheFirstFrameOnceVideoAndAudioAreConfigured()
    {
        assertThat(probe.offer(metadata(Map.of("width", 1280.0, "height", 720.0, "framerate", 30.0,
            "videodatarate", 2500.0, "audiocodecid", 10.0)))).isNull();
        assertThat(probe.offer(avcSequenceHeader(0))).isNull();
        final LiveSource source = probe.offer(aacSequenceHeader(0));
        assertThat(source).isNotNull();
        assertThat(source.width()).isEqualTo(1280);
        assertThat(source.height()).isEqualTo(720);
        assertThat(source.frameRate()).isEqualTo(30.0);
        assertThat(source.videoBitrateBps()).isEqualTo(2_500_000);
        assertThat(source.hasAudio()).isTrue();
        assertThat(source.aac().sampleRateHz()).isEqualTo(44_100);
        assertThat(probe.tags()).hasSize(3);
    }

    @Test
    void shouldTakeAStreamWithoutAudioMetadataAsVideoOnlyAtItsFirstFrame()
    {
        assertThat(probe.offer(avcSequenceHeader(0))).isNull();
        final LiveSource source = probe.offer(avcFrame(0, true));
        assertThat(source.hasAudio()).isFalse();
        assertThat(source.aac()).isNull();
        assertThat(source.width()).as("from the SPS").isEqualTo(1280);
    }

    @Test
    void shouldGoOnWithoutAudioWhenAnnouncedAudioNeverComesWithinTheWindow()
    {
        probe.offer(metadata(Map.of("audiocodecid", 10.0)));
        probe.offer(avcSequenceHeader(0));
        for (int ms = 0; ms < 1000; ms += 33)
        {
            assertThat(probe.offer(avcFrame(ms, 0 == ms))).isNull();
        }
        final LiveSource source = probe.offer(avcFrame(1001, false));
        assertThat(source.hasAudio()).isFalse();
    }

    @Test
    void shouldRefuseAStreamWithoutVideoConfigurationAfterTheWindow()
    {
        for (int ms = 0; ms < 1000; ms += 33)
        {
            probe.offer(avcFrame(ms, false));
        }
        assertThatThrownBy(() -> probe.offer(avcFrame(1000, false))).isInstanceOf(LiveStreamException.class)
            .hasMessageContaining("no usable video configuration");
    }

    @Test
    void shouldRefuseAMalformedSequenceHeaderAtOnce()
    {
        final byte[] body = { 0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f, (byte)0xff, (byte)0xe1, 0, 40, 0x67 };
        assertThatThrownBy(() -> probe.offer(video(0, VideoPacketKind.SEQUENCE_HEADER, true, body)))
            .isInstanceOf(LiveStreamException.class).hasMessageContaining("malformed H.264 sequence header");
    }

    static CopiedTag metadata(final Map<String, Object> properties)
    {
        return CopiedTag.of(new FlvTag(FlvTagType.SCRIPT, 0, Unpooled.EMPTY_BUFFER, null, 0, false, null, false, 0,
            -1, null, properties));
    }

    static CopiedTag avcSequenceHeader(final long timestamp)
    {
        final byte[] record = DecoderConfigTest.HIGH_720P;
        final byte[] body = new byte[5 + record.length];
        body[0] = 0x17;
        System.arraycopy(record, 0, body, 5, record.length);
        return video(timestamp, VideoPacketKind.SEQUENCE_HEADER, true, body);
    }

    static CopiedTag avcFrame(final long timestamp, final boolean key)
    {
        final byte[] body = { (byte)(key ? 0x17 : 0x27), 1, 0, 0, 0, 0, 0, 0, 2, 0x65, 0x00 };
        return video(timestamp, VideoPacketKind.CODED_FRAME, key, body);
    }

    static CopiedTag video(final long timestamp, final VideoPacketKind kind, final boolean key, final byte[] body)
    {
        return CopiedTag.of(new FlvTag(FlvTagType.VIDEO, timestamp, Unpooled.wrappedBuffer(body), VideoCodec.AVC,
            VideoCodec.LEGACY_CODEC_ID_AVC, false, kind, key, 0, -1, null, Map.of()));
    }

    static CopiedTag aacSequenceHeader(final long timestamp)
    {
        final byte[] body = { (byte)0xAF, 0, 0x12, 0x10 };
        return CopiedTag.of(new FlvTag(FlvTagType.AUDIO, timestamp, Unpooled.wrappedBuffer(body), null, 0, false,
            null, false, 0, FlvTag.SOUND_FORMAT_AAC, AudioPacketKind.SEQUENCE_HEADER, Map.of()));
    }
}
