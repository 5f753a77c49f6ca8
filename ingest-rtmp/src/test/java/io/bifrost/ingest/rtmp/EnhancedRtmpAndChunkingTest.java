package io.bifrost.ingest.rtmp;

import io.bifrost.ingest.rtmp.chunk.RtmpMessageType;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.VideoCodec;
import io.bifrost.ingest.rtmp.flv.VideoPacketKind;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publishing with the spec-built Java client over loopback: Enhanced RTMP video, client chunk sizes, timestamps that
 * need the extended field and wrap past 2^32.
 */
@Timeout(30)
class EnhancedRtmpAndChunkingTest
{
    private final RecordingSink.Factory sinks = new RecordingSink.Factory();
    private RtmpServer server;

    @BeforeEach
    void start()
    {
        server = RtmpServer.start(new RtmpServer.Context().bindAddress("127.0.0.1").port(0)
            .authorizer(StreamKeyAuthorizer.allowAll()).sinkFactory(sinks));
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    @Test
    void shouldPassEnhancedRtmpFourCcVideoToTheSinkMarkedWithItsCodec() throws Exception
    {
        try (RtmpTestClient client = RtmpTestClient.connect(server.port()))
        {
            client.handshake();
            assertThat(client.publish("ertmp", List.of("hvc1", "av01", "vp09"))).isEqualTo("NetStream.Publish.Start");
            assertThat(((Map<?, ?>)client.lastConnectResult.get(2)).get("fourCcList")).isEqualTo(List.of("hvc1", "av01", "vp09"));

            client.media(RtmpMessageType.VIDEO, 0, exVideo(1, 0, "hvc1", new byte[]{1, 2, 3}));          // SequenceStart
            client.media(RtmpMessageType.VIDEO, 0, exVideo(1, 1, "hvc1", new byte[]{0, 0, 40, 9, 9})); // CodedFrames, ct 40
            client.media(RtmpMessageType.VIDEO, 40, exVideo(2, 3, "hvc1", new byte[]{7}));              // CodedFramesX
            client.media(RtmpMessageType.VIDEO, 80, exVideo(1, 0, "av01", new byte[]{(byte)0x81}));
            client.media(RtmpMessageType.VIDEO, 80, exVideo(1, 3, "av01", new byte[]{5, 5}));
            client.media(RtmpMessageType.VIDEO, 120, exVideo(1, 1, "vp09", new byte[]{6}));             // no ct for vp09
            client.media(RtmpMessageType.VIDEO, 160, exVideo(1, 4, "hvc1", new byte[]{2, 0, 0}));        // Metadata
            client.media(RtmpMessageType.VIDEO, 200, exVideo(1, 2, "hvc1", new byte[0]));                // SequenceEnd
            client.command(1, "deleteStream", 0.0, null, 1.0);

            await().atMost(Duration.ofSeconds(5)).until(() -> !sinks.sinks.isEmpty() && null != sinks.last().ended.get());
            final RecordingSink sink = sinks.last();
            assertThat(sink.request.fourCcList()).containsExactly("hvc1", "av01", "vp09");
            final List<FlvTag> video = sink.video().stream().map(RecordingSink.Received::tag).toList();
            assertThat(video).extracting(FlvTag::videoCodec).containsExactly(VideoCodec.HEVC, VideoCodec.HEVC,
                VideoCodec.HEVC, VideoCodec.AV1, VideoCodec.AV1, VideoCodec.VP9, VideoCodec.HEVC, VideoCodec.HEVC);
            assertThat(video).extracting(FlvTag::videoPacket).containsExactly(VideoPacketKind.SEQUENCE_HEADER,
                VideoPacketKind.CODED_FRAME, VideoPacketKind.CODED_FRAME, VideoPacketKind.SEQUENCE_HEADER,
                VideoPacketKind.CODED_FRAME, VideoPacketKind.CODED_FRAME, VideoPacketKind.METADATA,
                VideoPacketKind.END_OF_SEQUENCE);
            assertThat(video).allMatch(FlvTag::enhanced);
            assertThat(video.get(1).compositionTimeMs()).isEqualTo(40);
            assertThat(video.get(1).keyframe()).isTrue();
            assertThat(video.get(2).keyframe()).isFalse();
            assertThat(video.get(5).compositionTimeMs()).isZero();
            assertThat(sink.ended.get()).isEqualTo(StreamEndReason.UNPUBLISHED);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 128, 1000, 4096, 65_536})
    void shouldReassembleLargeTagsWhateverChunkSizeThePublisherUses(final int chunkSize) throws Exception
    {
        try (RtmpTestClient client = RtmpTestClient.connect(server.port()))
        {
            client.handshake();
            client.setChunkSize(chunkSize);
            assertThat(client.publish("chunks", List.of())).isEqualTo("NetStream.Publish.Start");
            final int tags = chunkSize < 100 ? 3 : 20;
            for (int i = 0; i < tags; i++)
            {
                client.media(RtmpMessageType.VIDEO, i * 40L, avcNalu(i, 9_000 + i * 1_000));
            }
            client.command(1, "deleteStream", 0.0, null, 1.0);

            await().atMost(Duration.ofSeconds(10)).until(() -> !sinks.sinks.isEmpty() && null != sinks.last().ended.get());
            final List<RecordingSink.Received> video = sinks.last().video();
            assertThat(video).hasSize(tags);
            for (int i = 0; i < tags; i++)
            {
                assertThat(video.get(i).payload()).isEqualTo(avcNalu(i, 9_000 + i * 1_000));
                assertThat(video.get(i).tag().timestampMs()).isEqualTo(i * 40L);
            }
        }
    }

    @Test
    void shouldExtendTimestampsPastTheThirtyTwoBitWrapMonotonically() throws Exception
    {
        try (RtmpTestClient client = RtmpTestClient.connect(server.port()))
        {
            client.handshake();
            assertThat(client.publish("wrap", List.of())).isEqualTo("NetStream.Publish.Start");
            final long[] sent = {0xFFFF_FE00L, 0xFFFF_FF00L, 0x0000_0040L, 0x0000_0080L};
            for (int i = 0; i < sent.length; i++)
            {
                client.media(RtmpMessageType.VIDEO, sent[i], avcNalu(i, 300));
            }
            client.command(1, "deleteStream", 0.0, null, 1.0);

            await().atMost(Duration.ofSeconds(5)).until(() -> !sinks.sinks.isEmpty() && null != sinks.last().ended.get());
            assertThat(sinks.last().video()).extracting(r -> r.tag().timestampMs())
                .containsExactly(0xFFFF_FE00L, 0xFFFF_FF00L, 0x1_0000_0040L, 0x1_0000_0080L);
        }
    }

    static byte[] exVideo(final int frameType, final int packetType, final String fourCc, final byte[] body)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | (frameType << 4) | packetType);
        out.writeBytes(fourCc.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] avcNalu(final int index, final int length)
    {
        final byte[] tag = new byte[length];
        tag[0] = (byte)(index == 0 ? 0x17 : 0x27);
        tag[1] = 1;
        for (int i = 5; i < length; i++)
        {
            tag[i] = (byte)(index * 31 + i);
        }
        return tag;
    }
}
