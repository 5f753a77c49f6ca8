package io.bifrost.origin.live.transcode;

import io.bifrost.origin.TestClips;
import io.bifrost.origin.live.CmafTrackSink;
import io.bifrost.origin.live.LiveListener;
import io.bifrost.origin.live.LivePackager;
import io.bifrost.origin.live.LivePartEvent;
import io.bifrost.origin.live.LiveSession;
import io.bifrost.origin.live.LiveStreams;
import io.bifrost.origin.live.LiveTrack;
import io.bifrost.origin.live.LiveWindowEvent;
import io.bifrost.origin.live.ingest.FlvSource;
import io.bifrost.origin.live.ingest.LiveIngestContext;
import io.bifrost.origin.live.ingest.LiveIngestSinkFactory;
import io.bifrost.origin.live.ingest.LiveMode;
import io.bifrost.origin.live.ingest.MediaProbe;
import io.bifrost.origin.live.ingest.RecordingLiveStreams;
import io.bifrost.protocol.sbe.WindowKind;
import io.bifrost.transcoder.ladder.LadderRung;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The live ladder's keyframe interval end to end: the real ffmpeg transcodes a published FLV with the default settings
 * (2 s segments, 333 ms parts, a keyframe every second) into the real {@link LivePackager}, and a copy of every byte
 * is kept for ffprobe. The packager must still cut 2 s segments on the segment grid, while the part that starts at
 * 1 s into each segment is independent (INDEPENDENT=YES), where hls.js can switch renditions mid-segment. With 1 s
 * segments ({@code origin.live-segment-seconds = 1}) every segment is three parts and starts with the keyframe.
 */
class TranscodeKeyframeIntervalTest
{
    private static final String RENDITION = "240p";

    @TempDir
    static Path media;
    private static FlvSource source;

    @TempDir
    Path work;
    private final List<LivePartEvent> parts = new CopyOnWriteArrayList<>();
    private final List<LiveWindowEvent> windows = new CopyOnWriteArrayList<>();
    private final RecordingLiveStreams recording = new RecordingLiveStreams();
    private LiveIngestSinkFactory factory;

    @BeforeAll
    static void makeSource() throws Exception
    {
        source = FlvSource.generate(media, "640x360", 6, true);
    }

    @AfterEach
    void close()
    {
        if (null != factory)
        {
            factory.close();
        }
    }

    @Test
    void shouldMakeThePartAtOneSecondIndependentAndStillCutTwoSecondSegments() throws Exception
    {
        final LivePackager packager = packager(new LivePackager.Context());
        final LiveIngestContext context = new LiveIngestContext().liveStreams(new Tee(packager, recording))
            .defaultMode(LiveMode.TRANSCODE).rungs(List.of(LadderRung.P240)).ffmpeg(TestClips.FFMPEG)
            .workDir(work.resolve("pipes"));
        factory = new LiveIngestSinkFactory(context);
        assertThat(context.keyframeSeconds()).as("the default").isEqualTo(1.0);
        assertThat(context.segmentSeconds()).isEqualTo(2);
        assertThat(context.partTargetMs()).isEqualTo(333);

        final Map<Long, List<LivePartEvent>> segments = publishAndSplitIntoSegments("keyframes");
        assertThat(segments).hasSizeBetween(3, 4);
        for (final List<LivePartEvent> segment : List.copyOf(segments.values()).subList(0, 3))
        {
            assertThat(segment).hasSize(6);
            assertThat(segment.stream().mapToLong(LivePartEvent::durationMicros).sum()).as("a 2 s segment")
                .isBetween(1_980_000L, 2_020_000L);
            for (final LivePartEvent part : segment)
            {
                assertThat(part.independent()).as("part %d.%d", part.msn(), part.partIndex())
                    .isEqualTo(0 == part.partIndex() || 3 == part.partIndex());
                assertThat(part.segmentEnd()).isEqualTo(5 == part.partIndex());
            }
        }

        final long epoch = parts.get(0).epoch();
        assertThat(windows).filteredOn(window -> RENDITION.equals(window.rendition()) &&
            WindowKind.HLS_MEDIA_PLAYLIST == window.kind()).extracting(LiveWindowEvent::body)
            .anySatisfy(playlist -> assertThat(playlist)
                .contains("URI=\"" + epoch + "-1.0.m4s\",INDEPENDENT=YES\n")
                .contains("URI=\"" + epoch + "-1.1.m4s\"\n")
                .contains("URI=\"" + epoch + "-1.3.m4s\",INDEPENDENT=YES\n")
                .contains("URI=\"" + epoch + "-1.4.m4s\"\n")
                .contains("#EXT-X-INDEPENDENT-SEGMENTS"));

        final Path file = Files.write(work.resolve(RENDITION + ".mp4"), recording.only().recorded(RENDITION).bytes());
        assertThat(MediaProbe.keyframeTimes(file)).as("a keyframe every second and nowhere else")
            .hasSizeBetween(6, 7).allSatisfy(time -> assertThat(time - Math.rint(time)).isCloseTo(0.0, within(0.02)));
    }

    @Test
    void shouldCutOneSecondSegmentsOfThreePartsEachStartingWithAKeyframeWhenSegmentsAreOneSecond() throws Exception
    {
        final LivePackager packager = packager(new LivePackager.Context().segmentTargetMs(1000));
        final LiveIngestContext context = new LiveIngestContext().liveStreams(new Tee(packager, recording))
            .defaultMode(LiveMode.TRANSCODE).rungs(List.of(LadderRung.P240)).ffmpeg(TestClips.FFMPEG)
            .segmentSeconds(1).keyframeSeconds(1.0).workDir(work.resolve("pipes"));
        factory = new LiveIngestSinkFactory(context);
        assertThat(context.keyframesPerSegment()).isEqualTo(1);

        final Map<Long, List<LivePartEvent>> segments = publishAndSplitIntoSegments("short");
        assertThat(segments).hasSizeBetween(6, 7);
        for (final List<LivePartEvent> segment : List.copyOf(segments.values()).subList(0, 6))
        {
            assertThat(segment).hasSize(3);
            assertThat(segment.stream().mapToLong(LivePartEvent::durationMicros).sum()).as("a 1 s segment")
                .isBetween(980_000L, 1_020_000L);
            for (final LivePartEvent part : segment)
            {
                assertThat(part.independent()).as("part %d.%d", part.msn(), part.partIndex())
                    .isEqualTo(0 == part.partIndex());
                assertThat(part.segmentEnd()).isEqualTo(2 == part.partIndex());
            }
        }

        final long epoch = parts.get(0).epoch();
        assertThat(windows).filteredOn(window -> RENDITION.equals(window.rendition()) &&
            WindowKind.HLS_MEDIA_PLAYLIST == window.kind()).extracting(LiveWindowEvent::body)
            .anySatisfy(playlist -> assertThat(playlist)
                .contains("#EXT-X-TARGETDURATION:1\n")
                .contains("CAN-SKIP-UNTIL=6.0,PART-HOLD-BACK=1.00")
                .contains("#EXT-X-PART-INF:PART-TARGET=0.333")
                .contains("#EXTINF:1.00000,\n" + epoch + "-2.m4s\n")
                .contains("URI=\"" + epoch + "-3.0.m4s\",INDEPENDENT=YES\n")
                .contains("URI=\"" + epoch + "-3.1.m4s\"\n")
                .contains("URI=\"" + epoch + "-3.2.m4s\"\n"));

        final Path file = Files.write(work.resolve(RENDITION + ".mp4"), recording.only().recorded(RENDITION).bytes());
        assertThat(MediaProbe.keyframeTimes(file)).as("a keyframe every second, the start of each segment")
            .hasSizeBetween(6, 7).allSatisfy(time -> assertThat(time - Math.rint(time)).isCloseTo(0.0, within(0.02)));
    }

    private LivePackager packager(final LivePackager.Context context)
    {
        final LivePackager packager = new LivePackager(context.meterRegistry(new SimpleMeterRegistry()));
        packager.addListener(new LiveListener()
        {
            @Override
            public void onPart(final LivePartEvent part)
            {
                parts.add(new LivePartEvent(part.streamId(), part.rendition(), part.epoch(), part.msn(),
                    part.partIndex(), part.programDateTimeMs(), part.durationMicros(), part.independent(),
                    part.segmentEnd(), part.discontinuity(), null));
            }

            @Override
            public void onWindow(final LiveWindowEvent window)
            {
                windows.add(window);
            }
        });
        return packager;
    }

    /** Publish the source, wait for the stream's end everywhere, and group the rendition's parts by segment. */
    private Map<Long, List<LivePartEvent>> publishAndSplitIntoSegments(final String streamId) throws Exception
    {
        source.publish(factory, FlvSource.request(streamId, false));
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> windows.stream().anyMatch(window ->
            WindowKind.END_OF_STREAM == window.kind() && RENDITION.equals(window.rendition())) &&
            !recording.sessions().isEmpty() && recording.only().ended() && 0 == factory.metrics().active());
        assertThat(factory.lastFailure(streamId)).isNull();
        final Map<Long, List<LivePartEvent>> segments = new TreeMap<>();
        for (final LivePartEvent part : parts)
        {
            if (RENDITION.equals(part.rendition()))
            {
                segments.computeIfAbsent(part.msn(), msn -> new CopyOnWriteArrayList<>()).add(part);
            }
        }
        return segments;
    }

    /** Opens every session on the real packager and on a recorder, and gives each track's bytes to both. */
    private record Tee(LiveStreams packager, LiveStreams recorder) implements LiveStreams
    {
        @Override
        public LiveSession open(final String streamId, final List<LiveTrack> tracks)
        {
            final LiveSession packaged = packager.open(streamId, tracks);
            final LiveSession recorded = recorder.open(streamId, tracks);
            return new LiveSession()
            {
                @Override
                public long epoch()
                {
                    return packaged.epoch();
                }

                @Override
                public CmafTrackSink track(final String rendition)
                {
                    final CmafTrackSink first = packaged.track(rendition);
                    final CmafTrackSink second = recorded.track(rendition);
                    return new CmafTrackSink()
                    {
                        @Override
                        public void accept(final ByteBuffer chunk)
                        {
                            second.accept(chunk.duplicate());
                            first.accept(chunk);
                        }

                        @Override
                        public void end()
                        {
                            first.end();
                            second.end();
                        }
                    };
                }

                @Override
                public void captureClock(final long decodeTimeUs, final long wallClockMs)
                {
                    packaged.captureClock(decodeTimeUs, wallClockMs);
                }

                @Override
                public void end()
                {
                    packaged.end();
                    recorded.end();
                }
            };
        }
    }
}
