package io.bifrost.ingest.rtmp;

import io.bifrost.ingest.rtmp.flv.AudioPacketKind;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.VideoCodec;
import io.bifrost.ingest.rtmp.flv.VideoPacketKind;
import io.bifrost.ingest.sink.StreamEndReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The RTMP server with the real ffmpeg 5.1 as publisher, on loopback.
 */
@Timeout(60)
class RtmpServerFfmpegTest
{
    private final RecordingSink.Factory sinks = new RecordingSink.Factory();
    private RtmpServer server;

    @BeforeEach
    void requireFfmpeg()
    {
        assumeTrue(FfmpegPublisher.available(), "ffmpeg is not installed at /usr/bin/ffmpeg: RTMP system tests skipped");
    }

    @AfterEach
    void closeServer()
    {
        if (null != server)
        {
            server.close();
        }
    }

    private void startServer(final int outboundChunkSize)
    {
        server = RtmpServer.start(new RtmpServer.Context()
            .bindAddress("127.0.0.1")
            .port(0)
            .outboundChunkSize(outboundChunkSize)
            .authorizer(StreamKeyAuthorizer.matching(request -> request.streamKey().startsWith("key-")))
            .sinkFactory(sinks));
    }

    private String url(final String name)
    {
        return "rtmp://127.0.0.1:" + server.port() + "/live/" + name;
    }

    @Test
    void shouldDeliverSequenceHeadersFirstMonotonicTimestampsAndEveryFrameFromFfmpeg() throws Exception
    {
        startServer(RtmpServer.Context.DEFAULT_OUTBOUND_CHUNK_SIZE);
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.publish(url("key-main?token=abc"), 3))
        {
            assertThat(ffmpeg.awaitExit(30)).as(ffmpeg.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> !sinks.sinks.isEmpty() && null != sinks.last().ended.get());
            final RecordingSink sink = sinks.last();

            assertThat(sink.request.streamKey()).isEqualTo("key-main");
            assertThat(sink.request.query()).isEqualTo("token=abc");
            assertThat(sink.ended.get()).isEqualTo(StreamEndReason.UNPUBLISHED);

            final List<RecordingSink.Received> video = sink.video();
            final List<RecordingSink.Received> audio = sink.audio();
            assertThat(video.get(0).tag().videoCodec()).isEqualTo(VideoCodec.AVC);
            assertThat(video.get(0).tag().videoPacket()).isEqualTo(VideoPacketKind.SEQUENCE_HEADER);
            assertThat(audio.get(0).tag().soundFormat()).isEqualTo(FlvTag.SOUND_FORMAT_AAC);
            assertThat(audio.get(0).tag().audioPacket()).isEqualTo(AudioPacketKind.SEQUENCE_HEADER);
            assertThat(video.get(1).tag().keyframe()).isTrue();

            final long frames = video.stream().filter(r -> r.tag().videoPacket() == VideoPacketKind.CODED_FRAME).count();
            assertThat(frames).isEqualTo(ffmpeg.framesReported()).isEqualTo(75);
            assertThat(audio.stream().filter(r -> r.tag().audioPacket() == AudioPacketKind.RAW).count())
                .isGreaterThan(130);
            assertNonDecreasing(video);
            assertNonDecreasing(audio);
            assertThat(sink.tags.get(0).tag().metadata()).containsEntry("width", 320.0).containsEntry("height", 240.0);
            assertThat(server.registry().isLive("key-main")).isFalse();
        }
    }

    @Test
    void shouldRefuseWrongKeyAndMakeFfmpegExitNonZero() throws Exception
    {
        startServer(RtmpServer.Context.DEFAULT_OUTBOUND_CHUNK_SIZE);
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.publish(url("wrong"), 1))
        {
            assertThat(ffmpeg.awaitExit(30)).isNotZero();
            assertThat(sinks.sinks).isEmpty();
            assertThat(server.metrics().rejected(RejectReason.PUBLISH_DENIED)).isEqualTo(1);
        }
    }

    @Test
    void shouldEndStreamWhenPublisherIsKilledAndAcceptTheSameKeyRightAfter() throws Exception
    {
        startServer(RtmpServer.Context.DEFAULT_OUTBOUND_CHUNK_SIZE);
        try (FfmpegPublisher first = FfmpegPublisher.publish(url("key-again"), 30))
        {
            await().atMost(Duration.ofSeconds(15)).until(() -> !sinks.sinks.isEmpty() && sinks.last().video().size() > 10);
            first.kill();
            await().atMost(Duration.ofSeconds(5)).until(() -> null != sinks.sinks.get(0).ended.get());
            assertThat(sinks.sinks.get(0).ended.get()).isEqualTo(StreamEndReason.DISCONNECTED);
        }
        try (FfmpegPublisher second = FfmpegPublisher.publish(url("key-again"), 1))
        {
            assertThat(second.awaitExit(30)).as(second.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> sinks.sinks.size() == 2 && null != sinks.last().ended.get());
            assertThat(sinks.last().video()).hasSizeGreaterThan(20);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 65_536})
    void shouldServeFfmpegWhateverChunkSizeTheServerSendsWith(final int outboundChunkSize) throws Exception
    {
        startServer(outboundChunkSize);
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.publish(url("key-chunks"), 1))
        {
            assertThat(ffmpeg.awaitExit(30)).as(ffmpeg.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> !sinks.sinks.isEmpty() && null != sinks.last().ended.get());
            assertThat(sinks.last().video().stream().filter(r -> r.tag().videoPacket() == VideoPacketKind.CODED_FRAME))
                .hasSize(ffmpeg.framesReported());
        }
    }

    private static void assertNonDecreasing(final List<RecordingSink.Received> tags)
    {
        long previous = Long.MIN_VALUE;
        for (final RecordingSink.Received received : tags)
        {
            assertThat(received.tag().timestampMs()).isGreaterThanOrEqualTo(previous);
            previous = received.tag().timestampMs();
        }
    }
}
