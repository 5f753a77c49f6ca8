package io.bifrost.origin.live.passthrough;

import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.ingest.rtmp.flv.AudioPacketKind;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagType;
import io.bifrost.ingest.rtmp.flv.VideoCodec;
import io.bifrost.ingest.rtmp.flv.VideoPacketKind;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.ingest.srt.FlvStreamReader;
import io.bifrost.origin.live.TrackKind;
import io.bifrost.origin.live.ingest.CmafInspector;
import io.bifrost.origin.live.ingest.FlvSource;
import io.bifrost.origin.live.ingest.LiveIngestContext;
import io.bifrost.origin.live.ingest.LiveIngestSinkFactory;
import io.bifrost.origin.live.ingest.LiveMode;
import io.bifrost.origin.live.ingest.MediaProbe;
import io.bifrost.origin.live.ingest.RecordingLiveStreams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Passthrough end to end through the ingest sink: FLV made by the real ffmpeg, pushed tag by tag into
 * {@link LiveIngestSinkFactory} with {@code passthrough} set, remuxed in Java, and the recorded renditions proved by
 * ffprobe decoding them.
 */
class PassthroughIngestTest
{
    @TempDir
    static Path media;
    private static FlvSource audioVideo;
    private static FlvSource videoOnly;
    private static FlvSource short360p;

    @TempDir
    Path work;
    private final RecordingLiveStreams streams = new RecordingLiveStreams();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private LiveIngestSinkFactory factory;

    @BeforeAll
    static void makeSources() throws Exception
    {
        audioVideo = FlvSource.generate(media, "1280x720", 6, true);
        videoOnly = FlvSource.generate(media, "640x360", 3, false);
        short360p = FlvSource.generate(media, "640x360", 2, true);
    }

    @AfterEach
    void close()
    {
        if (null != factory)
        {
            factory.close();
        }
    }

    private LiveIngestSinkFactory factory(final LiveMode defaultMode)
    {
        factory = new LiveIngestSinkFactory(new LiveIngestContext().liveStreams(streams).defaultMode(defaultMode)
            .workDir(work).meterRegistry(meters));
        return factory;
    }

    @Test
    void shouldRemuxH264AndAacIntoDecodableCmafWithEveryFrame() throws Exception
    {
        factory(LiveMode.TRANSCODE);
        audioVideo.publish(factory, FlvSource.request("pass-key", true));
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> !streams.sessions().isEmpty() &&
            streams.only().ended());

        final RecordingLiveStreams.Session session = streams.only();
        assertThat(session.renditions()).containsExactly(PassthroughMuxer.VIDEO_RENDITION,
            PassthroughMuxer.AUDIO_RENDITION);
        assertThat(session.tracks().get(0).kind()).isEqualTo(TrackKind.VIDEO);
        assertThat(session.tracks().get(0).width()).isEqualTo(1280);
        assertThat(session.tracks().get(0).height()).isEqualTo(720);
        assertThat(session.tracks().get(1).kind()).isEqualTo(TrackKind.AUDIO);

        final RecordingLiveStreams.Track video = session.recorded(PassthroughMuxer.VIDEO_RENDITION);
        assertThat(video.ended()).isTrue();
        assertThat(video.violation()).isNull();
        final Path videoFile = Files.write(work.resolve("source.mp4"), video.bytes());
        final JsonNode stream = MediaProbe.stream(videoFile);
        assertThat(stream.path("codec_name").asText()).isEqualTo("h264");
        assertThat(stream.path("width").asInt()).isEqualTo(1280);
        assertThat(stream.path("height").asInt()).isEqualTo(720);
        assertThat(stream.path("nb_read_frames").asInt()).isEqualTo(audioVideo.videoFrames()).isEqualTo(180);
        assertThat(MediaProbe.decodeErrors(videoFile)).isEmpty();
        final List<Double> keyframes = MediaProbe.keyframeTimes(videoFile);
        assertThat(keyframes).hasSize(3);
        assertThat(keyframes.get(1) - keyframes.get(0)).isCloseTo(2.0, within(0.02));
        assertThat(keyframes.get(2) - keyframes.get(1)).isCloseTo(2.0, within(0.02));

        final CmafInspector fragments = CmafInspector.inspect(video.bytes());
        assertThat(fragments.timescale()).isEqualTo(90_000);
        final List<CmafInspector.Fragment> all = fragments.fragments();
        assertThat(all).hasSizeGreaterThanOrEqualTo(17);
        for (final CmafInspector.Fragment fragment : all.subList(0, all.size() - 1))
        {
            assertThat(fragments.durationMs(fragment)).isBetween(300.0, 400.0);
            final boolean onGrid = Math.abs(fragments.startSeconds(fragment) % 2.0) < 0.02;
            assertThat(fragment.startsWithSync()).as("fragment at %s s", fragments.startSeconds(fragment))
                .isEqualTo(onGrid);
        }

        final RecordingLiveStreams.Track audio = session.recorded(PassthroughMuxer.AUDIO_RENDITION);
        assertThat(audio.ended()).isTrue();
        final Path audioFile = Files.write(work.resolve("audio.mp4"), audio.bytes());
        final JsonNode audioStream = MediaProbe.stream(audioFile);
        assertThat(audioStream.path("codec_name").asText()).isEqualTo("aac");
        assertThat(audioStream.path("sample_rate").asInt()).isEqualTo(44_100);
        assertThat(audioStream.path("nb_read_frames").asInt()).isGreaterThan(250);
        assertThat(MediaProbe.decodeErrors(audioFile)).isEmpty();
        final CmafInspector audioFragments = CmafInspector.inspect(audio.bytes());
        for (final CmafInspector.Fragment fragment : audioFragments.fragments().subList(0,
            audioFragments.fragments().size() - 1))
        {
            assertThat(audioFragments.durationMs(fragment)).isBetween(300.0, 360.0);
        }
        assertThat(meters.counter("bifrost.live.ingest.streams", "mode", "passthrough").count()).isEqualTo(1.0);
    }

    @Test
    void shouldGiveAVideoOnlySourceNoAudioRendition() throws Exception
    {
        factory(LiveMode.PASSTHROUGH);
        videoOnly.publish(factory, FlvSource.request("video-only", false));
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> !streams.sessions().isEmpty() &&
            streams.only().ended());

        assertThat(streams.only().renditions()).containsExactly(PassthroughMuxer.VIDEO_RENDITION);
        final Path file = Files.write(work.resolve("video-only.mp4"),
            streams.only().recorded(PassthroughMuxer.VIDEO_RENDITION).bytes());
        final JsonNode stream = MediaProbe.stream(file);
        assertThat(stream.path("width").asInt()).isEqualTo(640);
        assertThat(stream.path("nb_read_frames").asInt()).isEqualTo(videoOnly.videoFrames()).isEqualTo(90);
    }

    @Test
    void shouldStartANewSessionWhenThePublisherChangesResolution() throws Exception
    {
        factory(LiveMode.PASSTHROUGH);
        final FlvSource second = FlvSource.generate(work, "320x240", 2, true);
        final List<FlvStreamReader.Tag> tags = new ArrayList<>(short360p.tags());
        final long offset = tags.get(tags.size() - 1).timestamp32() + 33;
        boolean audioHeaderSkipped = false;
        for (final FlvStreamReader.Tag tag : second.tags())
        {
            final boolean audioHeader = FlvSource.TAG_AUDIO == tag.type() && 0 == tag.body()[1];
            if (FlvSource.TAG_VIDEO != tag.type() && FlvSource.TAG_AUDIO != tag.type() ||
                audioHeader && !audioHeaderSkipped)
            {
                audioHeaderSkipped |= audioHeader;
                continue; // the publisher keeps its audio; no new onMetaData
            }
            tags.add(new FlvStreamReader.Tag(tag.type(), tag.timestamp32() + offset, tag.body()));
        }
        FlvSource.of(tags).publish(factory, FlvSource.request("resized", false));
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> 2 == streams.sessions().size() &&
            streams.sessions().get(1).ended());

        assertThat(streams.sessions().get(0).ended()).isTrue();
        assertThat(factory.metrics().restarts()).isEqualTo(1);
        final int[][] sizes = { { 640, 360 }, { 320, 240 } };
        final int[] frames = { short360p.videoFrames(), second.videoFrames() };
        for (int i = 0; i < 2; i++)
        {
            final RecordingLiveStreams.Session session = streams.sessions().get(i);
            assertThat(session.renditions()).containsExactly(PassthroughMuxer.VIDEO_RENDITION,
                PassthroughMuxer.AUDIO_RENDITION);
            final Path file = Files.write(work.resolve("resized-" + i + ".mp4"),
                session.recorded(PassthroughMuxer.VIDEO_RENDITION).bytes());
            final JsonNode stream = MediaProbe.stream(file);
            assertThat(stream.path("width").asInt()).isEqualTo(sizes[i][0]);
            assertThat(stream.path("height").asInt()).isEqualTo(sizes[i][1]);
            assertThat(stream.path("nb_read_frames").asInt()).isEqualTo(frames[i]);
            assertThat(MediaProbe.decodeErrors(Files.write(work.resolve("resized-audio-" + i + ".mp4"),
                session.recorded(PassthroughMuxer.AUDIO_RENDITION).bytes()))).isEmpty();
        }
    }

    @Test
    void shouldRemuxH264SentInEnhancedRtmpTags() throws Exception
    {
        factory(LiveMode.PASSTHROUGH);
        final FlvSource enhanced = short360p.enhanced();
        enhanced.publish(factory, FlvSource.request("enhanced-avc", false));
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> !streams.sessions().isEmpty() &&
            streams.only().ended());

        final Path file = Files.write(work.resolve("enhanced.mp4"),
            streams.only().recorded(PassthroughMuxer.VIDEO_RENDITION).bytes());
        final JsonNode stream = MediaProbe.stream(file);
        assertThat(stream.path("width").asInt()).isEqualTo(640);
        assertThat(stream.path("nb_read_frames").asInt()).isEqualTo(enhanced.videoFrames()).isEqualTo(60);
        assertThat(MediaProbe.decodeErrors(file)).isEmpty();
    }

    @Test
    void shouldRefuseHevcOverEnhancedRtmpWithAClearMessage() throws Exception
    {
        factory(LiveMode.PASSTHROUGH);
        final MediaSink sink = factory.open(FlvSource.request("hevc", true), () -> { });
        final byte[] sequenceStart = { (byte)0x90, 'h', 'v', 'c', '1', 1, 2, 3 };
        sink.onTag(enhancedVideo(0, VideoPacketKind.SEQUENCE_HEADER, true, sequenceStart));
        for (int i = 0; i < 90; i++)
        {
            final byte[] frame = { (byte)(i % 30 == 0 ? 0x93 : 0xA3), 'h', 'v', 'c', '1', 0, 0, 0, 0, 1, 0x26 };
            assertThat(sink.onTag(enhancedVideo(i * 33L, VideoPacketKind.CODED_FRAME, i % 30 == 0, frame)))
                .isTrue();
        }
        sink.onEnd(StreamEndReason.UNPUBLISHED);

        await().atMost(FlvSource.STREAM_DEADLINE).until(() ->
            meters.counter("bifrost.live.ingest.failures", "reason", "source").count() == 1.0);
        assertThat(streams.sessions()).isEmpty();
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> 0 == factory.metrics().active());
    }

    @Test
    void shouldRefuseAPublishWithoutVideoAfterTheProbeWindow() throws Exception
    {
        factory(LiveMode.PASSTHROUGH);
        final MediaSink sink = factory.open(FlvSource.request("audio-only", true), () -> { });
        final List<FlvStreamReader.Tag> audioTags = audioVideo.tags().stream()
            .filter(tag -> FlvSource.TAG_AUDIO == tag.type()).toList();
        for (final FlvStreamReader.Tag tag : audioTags)
        {
            final int kind = tag.body()[1];
            sink.onTag(new FlvTag(FlvTagType.AUDIO, tag.timestamp32(), Unpooled.wrappedBuffer(tag.body()), null, 0,
                false, null, false, 0, FlvTag.SOUND_FORMAT_AAC, 0 == kind ? AudioPacketKind.SEQUENCE_HEADER :
                AudioPacketKind.RAW, Map.of()));
        }
        sink.onEnd(StreamEndReason.UNPUBLISHED);
        await().atMost(FlvSource.STREAM_DEADLINE).until(() ->
            meters.counter("bifrost.live.ingest.failures", "reason", "source").count() == 1.0);
        assertThat(streams.sessions()).isEmpty();
    }

    private static FlvTag enhancedVideo(final long timestamp, final VideoPacketKind kind, final boolean key,
        final byte[] body)
    {
        return new FlvTag(FlvTagType.VIDEO, timestamp, Unpooled.wrappedBuffer(body), VideoCodec.HEVC,
            VideoCodec.HEVC.fourCc(), true, kind, key, 0, -1, null, Map.of());
    }
}
