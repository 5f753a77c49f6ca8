package io.bifrost.origin.live.transcode;

import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.srt.FlvStreamReader;
import io.bifrost.origin.TestClips;
import io.bifrost.origin.live.TrackKind;
import io.bifrost.origin.live.ingest.CmafInspector;
import io.bifrost.origin.live.ingest.FlvSource;
import io.bifrost.origin.live.ingest.LiveIngestContext;
import io.bifrost.origin.live.ingest.LiveIngestSinkFactory;
import io.bifrost.origin.live.ingest.LiveMode;
import io.bifrost.origin.live.ingest.MediaProbe;
import io.bifrost.origin.live.ingest.RecordingLiveStreams;
import io.bifrost.transcoder.ladder.LadderRung;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The live transcoder end to end through the ingest sink: FLV made by the real ffmpeg, pushed tag by tag (with the
 * publisher paused whenever the sink says so) into {@link LiveIngestSinkFactory} in transcode mode, one real ffmpeg
 * writing the ladder into named pipes, and every recorded rendition proved by ffprobe decoding it.
 */
class TranscodeIngestTest
{
    @TempDir
    static Path media;
    private static FlvSource source720p;

    @TempDir
    Path work;
    private final RecordingLiveStreams streams = new RecordingLiveStreams();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private LiveIngestSinkFactory factory;

    @BeforeAll
    static void makeSource() throws Exception
    {
        source720p = FlvSource.generate(media, "1280x720", 6, true);
    }

    @AfterEach
    void close()
    {
        if (null != factory)
        {
            factory.close();
        }
    }

    private LiveIngestContext context()
    {
        return new LiveIngestContext().liveStreams(streams).defaultMode(LiveMode.TRANSCODE).workDir(work.resolve("pipes"))
            .meterRegistry(meters).ffmpeg(TestClips.FFMPEG);
    }

    @Test
    void shouldTranscodeTheLadderUpToTheSourceWithKeyframesOnTheSegmentGrid() throws Exception
    {
        // one keyframe per segment (the interval equal to the segment): TranscodeKeyframeIntervalTest has the default
        factory = new LiveIngestSinkFactory(context().highWaterBytes(64 * 1024).keyframeSeconds(2));
        final int pauses = source720p.publish(factory, FlvSource.request("ladder", false));
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> !streams.sessions().isEmpty() &&
            streams.only().ended());

        assertThat(pauses).as("the publisher was paused by backpressure").isPositive();
        assertThat(factory.metrics().pauses()).isPositive();
        assertThat(factory.lastFailure(streams.only().streamId())).isNull();
        final RecordingLiveStreams.Session session = streams.only();
        assertThat(session.renditions()).containsExactly("240p", "360p", "480p", "720p", "audio");
        final Map<String, int[]> sizes = Map.of("240p", new int[]{ 426, 240 }, "360p", new int[]{ 640, 360 },
            "480p", new int[]{ 854, 480 }, "720p", new int[]{ 1280, 720 });
        for (final String rung : List.of("240p", "360p", "480p", "720p"))
        {
            final RecordingLiveStreams.Track track = session.recorded(rung);
            assertThat(track.ended()).as(rung).isTrue();
            assertThat(track.violation()).as(rung).isNull();
            final Path file = Files.write(work.resolve(rung + ".mp4"), track.bytes());
            final JsonNode stream = MediaProbe.stream(file);
            assertThat(stream.path("codec_name").asText()).isEqualTo("h264");
            assertThat(stream.path("width").asInt()).as(rung).isEqualTo(sizes.get(rung)[0]);
            assertThat(stream.path("height").asInt()).as(rung).isEqualTo(sizes.get(rung)[1]);
            assertThat(stream.path("nb_read_frames").asInt()).as(rung).isBetween(178, 182);
            // every 2 s from 0, and nowhere else (ffmpeg may end on one more frame at 6.0, forced too)
            assertThat(MediaProbe.keyframeTimes(file)).as(rung).hasSizeBetween(3, 4).allSatisfy(time ->
                assertThat(time - 2.0 * Math.round(time / 2.0)).isCloseTo(0.0, within(0.02)));
            final CmafInspector fragments = CmafInspector.inspect(track.bytes());
            final List<CmafInspector.Fragment> all = fragments.fragments();
            assertThat(all).as(rung).hasSizeGreaterThanOrEqualTo(17);
            for (final CmafInspector.Fragment fragment : all.subList(0, all.size() - 1))
            {
                assertThat(fragments.durationMs(fragment)).as(rung).isBetween(300.0, 400.0);
                final double start = fragments.startSeconds(fragment) - fragments.startSeconds(all.get(0));
                final boolean onGrid = Math.abs(start - 2.0 * Math.round(start / 2.0)) < 0.02;
                assertThat(fragment.startsWithSync()).as("%s fragment at %s s", rung, start).isEqualTo(onGrid);
            }
        }
        assertThat(session.tracks()).filteredOn(track -> TrackKind.VIDEO == track.kind())
            .allSatisfy(track -> assertThat(track.height()).isLessThanOrEqualTo(720));

        final RecordingLiveStreams.Track audio = session.recorded("audio");
        final Path audioFile = Files.write(work.resolve("audio.mp4"), audio.bytes());
        final JsonNode audioStream = MediaProbe.stream(audioFile);
        assertThat(audioStream.path("codec_name").asText()).isEqualTo("aac");
        assertThat(audioStream.path("sample_rate").asInt()).isEqualTo(48_000);
        assertThat(audioStream.path("nb_read_frames").asInt()).isGreaterThan(250);
        final CmafInspector audioFragments = CmafInspector.inspect(audio.bytes());
        for (final CmafInspector.Fragment fragment : audioFragments.fragments().subList(0,
            audioFragments.fragments().size() - 1))
        {
            assertThat(audioFragments.durationMs(fragment)).isBetween(330.0, 360.0);
        }
        assertThat(meters.counter("bifrost.live.ingest.streams", "mode", "transcode").count()).isEqualTo(1.0);
        assertThat(factory.metrics().ffmpegFailures()).isZero();
        try (var left = Files.list(work.resolve("pipes")))
        {
            assertThat(left).as("named pipes removed").isEmpty();
        }
    }

    @Test
    void shouldGiveAVideoOnlySourceBelowTheLowestRungOneRenditionAtItsOwnSize() throws Exception
    {
        factory = new LiveIngestSinkFactory(context());
        FlvSource.generate(work, "320x180", 2, false).publish(factory, FlvSource.request("small", false));
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> !streams.sessions().isEmpty() &&
            streams.only().ended());

        assertThat(streams.only().renditions()).containsExactly("240p");
        final Path file = Files.write(work.resolve("small.mp4"), streams.only().recorded("240p").bytes());
        final JsonNode stream = MediaProbe.stream(file);
        assertThat(stream.path("width").asInt()).isEqualTo(320);
        assertThat(stream.path("height").asInt()).isEqualTo(180);
        assertThat(stream.path("nb_read_frames").asInt()).isBetween(59, 61);
    }

    @Test
    void shouldEndTheSessionWithFfmpegsOwnWordsWhenItRejectsTheInput() throws Exception
    {
        factory = new LiveIngestSinkFactory(context());
        final List<FlvStreamReader.Tag> tags = new ArrayList<>();
        final FlvStreamReader.Tag sequenceHeader = source720p.tags().stream()
            .filter(tag -> FlvSource.TAG_VIDEO == tag.type()).findFirst().orElseThrow();
        tags.add(sequenceHeader);
        final Random random = new Random(7);
        for (int i = 0; i < 90; i++)
        {
            final byte[] garbage = new byte[3000];
            random.nextBytes(garbage);
            final byte[] body = new byte[5 + 4 + garbage.length];
            body[0] = (byte)(i % 30 == 0 ? 0x17 : 0x27); // key/inter frame, AVC
            body[1] = 1; // NALU
            body[7] = (byte)(garbage.length >>> 8); // 4-byte NAL unit length
            body[8] = (byte)garbage.length;
            System.arraycopy(garbage, 0, body, 9, garbage.length);
            tags.add(new FlvStreamReader.Tag(FlvSource.TAG_VIDEO, i * 33L, body));
        }
        final PublishRequest request = FlvSource.request("garbage", false);
        FlvSource.of(tags).publish(factory, request);

        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> 1 == factory.metrics().ffmpegFailures());
        assertThat(streams.only().ended()).isTrue();
        assertThat(streams.only().recorded("240p").ended()).isTrue();
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> null != factory.lastFailure(request.streamId()));
        assertThat(factory.lastFailure(request.streamId())).contains("ffmpeg").contains("exit");
    }

    @Test
    void shouldTranscodeH264SentInEnhancedRtmpTags() throws Exception
    {
        factory = new LiveIngestSinkFactory(context().rungs(List.of(LadderRung.P240)));
        source720p.enhanced().publish(factory, FlvSource.request("enhanced", false));
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> !streams.sessions().isEmpty() &&
            streams.only().ended());

        assertThat(streams.only().renditions()).containsExactly("240p", "audio");
        final Path file = Files.write(work.resolve("enhanced-240p.mp4"), streams.only().recorded("240p").bytes());
        final JsonNode stream = MediaProbe.stream(file);
        assertThat(stream.path("height").asInt()).isEqualTo(240);
        assertThat(stream.path("nb_read_frames").asInt()).isBetween(178, 182);
        assertThat(factory.metrics().ffmpegFailures()).isZero();
    }

    @Test
    void shouldFailClearlyWhenFfmpegCannotStart() throws Exception
    {
        factory = new LiveIngestSinkFactory(context().ffmpeg(work.resolve("no-such-ffmpeg")));
        final PublishRequest request = FlvSource.request("no-ffmpeg", false);
        source720p.publish(factory, request);

        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> null != factory.lastFailure(request.streamId()));
        assertThat(factory.lastFailure(request.streamId())).contains("could not be started");
        assertThat(factory.metrics().ffmpegFailures()).isEqualTo(1);
        assertThat(streams.only().ended()).isTrue();
    }
}
