package io.bifrost.origin.live;

import io.bifrost.origin.TestClips;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The packager fed with real ffmpeg CMAF output in random chunk sizes: parts and segments on the grid, playlist lines,
 * delta updates, master playlist, MPD, segment bytes that decode, listener ordering and failure isolation, epochs,
 * and malformed input.
 */
class LivePackagerTest
{
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    static Path media;

    @TempDir
    Path temp;

    private static byte[] video;
    private static byte[] audio;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingListener listener = new RecordingListener();
    private final Random random = new Random(42);

    @BeforeAll
    static void generate()
    {
        video = LiveTestMedia.video(media, 6, 60);
        audio = LiveTestMedia.audio(media, 6);
    }

    private LivePackager packager()
    {
        final LivePackager packager = new LivePackager(new LivePackager.Context()
            .clock(Clock.fixed(START, ZoneOffset.UTC)).meterRegistry(registry));
        packager.addListener(listener);
        return packager;
    }

    private static List<LiveTrack> tracks()
    {
        return List.of(new LiveTrack("360p", TrackKind.VIDEO, 800_000, 320, 180, 30),
            new LiveTrack("audio", TrackKind.AUDIO, 96_000, 0, 0, 0));
    }

    @Test
    void shouldCutOneSegmentPerGopAndOnePartPerFragmentOnTheGrid()
    {
        final LivePackager packager = packager();
        final LiveSession session = packager.open("cam1", tracks());
        LiveTestMedia.feedInterleaved(session, java.util.Map.of("360p", video, "audio", audio), random);

        final List<LivePartEvent> videoParts = listener.parts("360p");
        assertThat(videoParts).hasSize(18);
        for (int i = 0; i < videoParts.size(); i++)
        {
            final LivePartEvent part = videoParts.get(i);
            assertThat(part.msn()).isEqualTo(i / 6);
            assertThat(part.partIndex()).isEqualTo(i % 6);
            assertThat(part.durationMicros()).isBetween(333_000, 334_000);
            assertThat(part.independent()).isEqualTo(i % 6 == 0);
            assertThat(part.segmentEnd()).isEqualTo(i % 6 == 5);
            assertThat(part.epoch()).isEqualTo(session.epoch());
            assertThat(part.programDateTimeMs()).isCloseTo(START.toEpochMilli() + i * 1000L / 3, within(2L));
        }
        final List<LivePartEvent> audioParts = listener.parts("audio");
        assertThat(audioParts).isNotEmpty().allSatisfy(part -> assertThat(part.independent()).isTrue());
        assertThat(audioParts.stream().filter(LivePartEvent::segmentEnd).map(LivePartEvent::msn).toList())
            .startsWith(0L, 1L);
        assertThat(listener.orderViolations).isEmpty();
        assertThat(registry.get("bifrost.live.parts").counter().count()).isEqualTo(18 + audioParts.size());
        assertThat(registry.get("bifrost.live.segments.dependent").counter().count()).isZero();

        final String playlist = listener.windows("360p", WindowKind.HLS_MEDIA_PLAYLIST).getLast().body();
        final long epoch = session.epoch();
        assertThat(playlist).startsWith("""
            #EXTM3U
            #EXT-X-VERSION:9
            #EXT-X-TARGETDURATION:2
            #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.0,PART-HOLD-BACK=1.00""");
        assertThat(playlist).contains("""
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-DISCONTINUITY-SEQUENCE:0
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MAP:URI="init.mp4"
            #EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00.000Z
            #EXTINF:2.00000,
            %d-0.m4s
            #EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:02.000Z
            #EXT-X-PART:DURATION=0.33333,URI="%d-1.0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.33333,URI="%d-1.1.m4s"
            """.formatted(epoch, epoch, epoch));
        assertThat(playlist).contains("#EXT-X-PART-INF:PART-TARGET=0.33");
        assertThat(playlist).contains("#EXTINF:2.00000,\n" + epoch + "-2.m4s\n" +
            "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"" + epoch + "-3.0.m4s\"\n");
        assertThat(playlist).containsPattern("#EXT-X-RENDITION-REPORT:URI=\"../audio/index.m3u8\",LAST-MSN=\\d+," +
            "LAST-PART=\\d+\n");
        assertThat(playlist).doesNotContain("ENDLIST");

        session.end();
        final String last = listener.windows("360p", WindowKind.END_OF_STREAM).getLast().body();
        assertThat(last).endsWith("#EXT-X-ENDLIST\n").doesNotContain("PRELOAD-HINT").doesNotContain("SERVER-CONTROL");
        assertThat(listener.windows("audio", WindowKind.END_OF_STREAM)).hasSize(1);
        assertThat(listener.orderViolations).isEmpty();
    }

    @Test
    void shouldCutAtKeyframesWhenTheProducerKeyframesMissTheGrid()
    {
        final byte[] unaligned = LiveTestMedia.video(media, 10, 75); // a keyframe every 2.5 s, segments of 2 s
        final LivePackager packager = packager();
        final LiveSession session = packager.open("cam1", List.of(tracks().get(0)));
        LiveTestMedia.feed(session.track("360p"), unaligned, random);
        session.end();

        final List<LivePartEvent> parts = listener.parts("360p");
        assertThat(parts.stream().filter(p -> p.partIndex() == 0 && p.msn() != 1).allMatch(LivePartEvent::independent))
            .isTrue();
        assertThat(registry.get("bifrost.live.segments.dependent").counter().count())
            .as("only the first boundary is missed; then the rendition waits for keyframes").isEqualTo(1);
        final List<Long> segmentEnds = parts.stream().filter(LivePartEvent::segmentEnd).map(LivePartEvent::msn)
            .toList();
        assertThat(segmentEnds).containsExactly(0L, 1L, 2L, 3L);
        final String last = listener.windows("360p", WindowKind.END_OF_STREAM).getLast().body();
        // 0-2 s predicted, 2-5 s (dependent start), then one segment per 2.5 s GOP
        assertThat(last).contains("#EXTINF:2.00000,\n" + session.epoch() + "-0.m4s",
            "#EXTINF:3.00000,\n" + session.epoch() + "-1.m4s", "#EXTINF:2.50000,\n" + session.epoch() + "-2.m4s",
            "#EXTINF:2.50000,\n" + session.epoch() + "-3.m4s");
        assertThat(last).contains("#EXT-X-TARGETDURATION:3\n").doesNotContain("#EXT-X-INDEPENDENT-SEGMENTS");
        assertThat(listener.orderViolations).isEmpty();
    }

    @Test
    void shouldWriteSegmentsThatDecodeWithTheirInitSegment() throws Exception
    {
        final LivePackager packager = packager();
        final LiveSession session = packager.open("cam1", tracks());
        LiveTestMedia.feed(session.track("360p"), video, random);
        final List<byte[]> units = LiveTestMedia.units(video);
        final LivePackager.LiveStream stream = packager.stream("cam1");
        final byte[] segment;
        final byte[] init;
        synchronized (stream)
        {
            final RenditionWindow window = stream.session.renditions.get("360p");
            segment = window.segment(1).bytes;
            init = window.init().bytes();
            assertThat(window.part(1, 0).bytes).isEqualTo(units.get(7));
        }
        assertThat(init).isEqualTo(units.get(0));
        final byte[] expected = concat(units.subList(7, 13));
        assertThat(segment).isEqualTo(expected);
        final Path file = temp.resolve("segment1.mp4");
        Files.write(file, concat(List.of(init, segment)));
        final String frames = TestClips.run(List.of(TestClips.FFPROBE.toString(), "-v", "error", "-select_streams",
            "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString()));
        assertThat(frames.trim()).isEqualTo("60");
    }

    @Test
    void shouldWriteDeltaUpdatesOnceTheWindowIsLongerThanTheSkipBoundary()
    {
        final byte[] longVideo = LiveTestMedia.video(media, 20, 60);
        final LivePackager packager = packager();
        final LiveSession session = packager.open("cam1", List.of(tracks().get(0)));
        LiveTestMedia.feed(session.track("360p"), longVideo, random);
        final long epoch = session.epoch();

        final LiveWindowEvent full = listener.windows("360p", WindowKind.HLS_MEDIA_PLAYLIST).getLast();
        final LiveWindowEvent delta = listener.windows("360p", WindowKind.HLS_MEDIA_PLAYLIST_DELTA).getLast();
        assertThat(full.lastCompleteMsn()).isEqualTo(9);
        assertThat(full.firstMsn()).isZero();
        assertThat(full.targetDurationMs()).isEqualTo(2000);
        assertThat(full.body()).contains(epoch + "-0.m4s\n").doesNotContain("EXT-X-SKIP");
        assertThat(delta.body()).contains("#EXT-X-MEDIA-SEQUENCE:0\n")
            .contains("#EXT-X-MAP:URI=\"init.mp4\"\n#EXT-X-SKIP:SKIPPED-SEGMENTS=4\n" +
                "#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:08.000Z\n#EXTINF:2.00000,\n" + epoch + "-4.m4s\n")
            .doesNotContain(epoch + "-3.m4s");
        // parts only for the newest two complete segments
        assertThat(full.body()).doesNotContain("URI=\"" + epoch + "-7.0.m4s\"").contains("URI=\"" + epoch + "-8.0.m4s\"");
        // the first delta came as soon as a segment lay 12 s before the end
        assertThat(listener.windows("360p", WindowKind.HLS_MEDIA_PLAYLIST_DELTA).getFirst().lastCompleteMsn())
            .isEqualTo(6);
    }

    @Test
    void shouldKeepABoundedWindow()
    {
        final byte[] longVideo = LiveTestMedia.video(media, 20, 60);
        final LivePackager packager = new LivePackager(new LivePackager.Context().windowSegments(4)
            .clock(Clock.fixed(START, ZoneOffset.UTC)).meterRegistry(registry));
        packager.addListener(listener);
        final LiveSession session = packager.open("cam1", List.of(tracks().get(0)));
        LiveTestMedia.feed(session.track("360p"), longVideo, random);
        final LiveWindowEvent full = listener.windows("360p", WindowKind.HLS_MEDIA_PLAYLIST).getLast();
        assertThat(full.firstMsn()).isEqualTo(6);
        assertThat(full.firstProgramDateTimeMs()).isEqualTo(START.toEpochMilli() + 12_000);
        assertThat(full.body()).contains("#EXT-X-MEDIA-SEQUENCE:6\n").doesNotContain("-5.m4s");
        synchronized (packager.stream("cam1"))
        {
            assertThat(packager.stream("cam1").session.renditions.get("360p").segment(5)).isNull();
        }
    }

    @Test
    void shouldRenderTheMasterPlaylistAndADynamicMpd() throws Exception
    {
        final LivePackager packager = packager();
        final LiveSession session = packager.open("cam1", List.of(
            new LiveTrack("720p", TrackKind.VIDEO, 2_500_000, 1280, 720, 30),
            new LiveTrack("360p", TrackKind.VIDEO, 800_000, 320, 180, 29.97),
            new LiveTrack("audio", TrackKind.AUDIO, 96_000, 0, 0, 0)));
        LiveTestMedia.feed(session.track("720p"), video, random);
        LiveTestMedia.feed(session.track("360p"), video, random);
        LiveTestMedia.feed(session.track("audio"), audio, random);

        final String master = listener.windows("", WindowKind.HLS_MASTER_PLAYLIST).getLast().body();
        assertThat(master).isEqualTo("""
            #EXTM3U
            #EXT-X-VERSION:9
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=2596000,AVERAGE-BANDWIDTH=2596000,CODECS="avc1.42c00d,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=30.000,AUDIO="audio"
            720p/index.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=896000,AVERAGE-BANDWIDTH=896000,CODECS="avc1.42c00d,mp4a.40.2",RESOLUTION=320x180,FRAME-RATE=29.970,AUDIO="audio"
            360p/index.m3u8
            """);

        final String mpd = listener.windows("", WindowKind.DASH_MPD).getLast().body();
        final Document xml = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(mpd.getBytes(StandardCharsets.UTF_8)));
        final Element root = xml.getDocumentElement();
        assertThat(root.getAttribute("type")).isEqualTo("dynamic");
        assertThat(root.getAttribute("availabilityStartTime")).isEqualTo("2026-01-01T00:00:00.000Z");
        assertThat(root.getAttribute("publishTime")).isEqualTo("2026-01-01T00:00:00.000Z");
        assertThat(root.getAttribute("minimumUpdatePeriod")).as("a second: a new segment is seen soon after its first part")
            .isEqualTo("PT1.000S");
        assertThat(root.getAttribute("timeShiftBufferDepth")).isEqualTo("PT20.000S");
        final NodeList templates = xml.getElementsByTagName("SegmentTemplate");
        assertThat(templates.getLength()).isEqualTo(3);
        final Element videoTemplate = (Element)templates.item(0);
        assertThat(videoTemplate.getAttribute("media")).isEqualTo("$RepresentationID$/" + session.epoch() +
            "-$Number$.m4s");
        assertThat(videoTemplate.getAttribute("startNumber")).isEqualTo("0");
        assertThat(videoTemplate.getAttribute("availabilityTimeOffset")).isEqualTo("1.667");
        final Element s = (Element)videoTemplate.getElementsByTagName("S").item(0);
        assertThat(s.getAttribute("t")).isEqualTo("0");
        assertThat(s.getAttribute("r")).isEqualTo("2");
        assertThat(Long.parseLong(s.getAttribute("d"))).isEqualTo(2L * Long.parseLong(videoTemplate.getAttribute(
            "timescale")));
        assertThat(xml.getElementsByTagName("UTCTiming").getLength()).as("the MPD's, and one per ProducerReferenceTime")
            .isEqualTo(1 + xml.getElementsByTagName("ProducerReferenceTime").getLength());
        assertThat(((Element)xml.getElementsByTagName("UTCTiming").item(
            xml.getElementsByTagName("UTCTiming").getLength() - 1)).getParentNode()).isEqualTo(root);
        assertThat(((Element)xml.getElementsByTagName("Representation").item(1)).getAttribute("frameRate"))
            .isEqualTo("30000/1001");

        session.end();
        final String ended = listener.windows("", WindowKind.DASH_MPD).getLast().body();
        assertThat(ended).contains("mediaPresentationDuration=\"PT6.").doesNotContain("minimumUpdatePeriod");
    }

    /**
     * Low-latency DASH: a SegmentTimeline names only the segments it lists, so the segment being written is listed
     * from its first part on (with its expected duration, up to the next boundary) for players to ask for it one part
     * after it starts, as {@code availabilityTimeOffset} allows; the MPD is published again when it starts.
     */
    @Test
    void shouldListTheSegmentBeingWrittenInTheMpdFromItsFirstPart() throws Exception
    {
        final LivePackager packager = packager();
        final LiveSession session = packager.open("cam1", List.of(tracks().get(0)));
        LiveTestMedia.feed(session.track("360p"), video, random);

        final List<LiveWindowEvent> mpds = listener.windows("", WindowKind.DASH_MPD);
        final List<LivePartEvent> parts = listener.parts("360p");
        assertThat(mpds).as("one MPD when each segment starts and one when it completes")
            .hasSizeGreaterThanOrEqualTo(5);
        // the MPD published right after part 1.0: segment 0 complete, segment 1 listed with its expected 2 s
        final String afterFirstPartOfSegment1 = mpds.stream().map(LiveWindowEvent::body)
            .filter(body -> body.contains("<S t=\"0\" d=\"")).filter(body -> body.contains(" r=\"1\""))
            .findFirst().orElseThrow();
        final Element template = (Element)DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(afterFirstPartOfSegment1.getBytes(StandardCharsets.UTF_8)))
            .getElementsByTagName("SegmentTemplate").item(0);
        final long timescale = Long.parseLong(template.getAttribute("timescale"));
        final Element s = (Element)template.getElementsByTagName("S").item(0);
        assertThat(Long.parseLong(s.getAttribute("d"))).isEqualTo(2 * timescale);
        assertThat(template.getAttribute("startNumber")).isEqualTo("0");
        assertThat(template.getAttribute("availabilityTimeOffset")).isEqualTo("1.667");
        assertThat(template.getAttribute("availabilityTimeComplete")).isEqualTo("false");
        assertThat(parts.stream().filter(part -> part.msn() == 1).count()).isEqualTo(6);

        // the first MPD lists segment 0 alone, while it is being written
        final Element first = (Element)DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(mpds.getFirst().body().getBytes(StandardCharsets.UTF_8)))
            .getElementsByTagName("S").item(0);
        assertThat(first.getAttribute("t")).isEqualTo("0");
        assertThat(Long.parseLong(first.getAttribute("d"))).isEqualTo(2 * timescale);
        assertThat(first.hasAttribute("r")).isFalse();

        session.end();
        final String ended = listener.windows("", WindowKind.DASH_MPD).getLast().body();
        assertThat(ended).as("the final MPD lists complete segments only").contains(" r=\"2\"/>")
            .doesNotContain(" r=\"3\"");
    }

    /**
     * The duration the MPD lists for a segment being written is the one it ends with (steady fragments): a player that
     * asks for the next segment by time (dash.js: the end of the last one) lands on the next one, not on the same one.
     */
    @Test
    void shouldListEachSegmentWithTheDurationItEndsWithForVideoAndAudio() throws Exception
    {
        final LivePackager packager = packager();
        final LiveSession session = packager.open("cam1", tracks());
        LiveTestMedia.feedInterleaved(session, java.util.Map.of("360p", video, "audio", audio), random);

        final java.util.Map<String, java.util.TreeMap<Long, java.util.Set<Long>>> durations = new java.util.TreeMap<>();
        for (final LiveWindowEvent event : listener.windows("", WindowKind.DASH_MPD))
        {
            final NodeList representations = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(event.body().getBytes(StandardCharsets.UTF_8)))
                .getElementsByTagName("Representation");
            for (int i = 0; i < representations.getLength(); i++)
            {
                final Element representation = (Element)representations.item(i);
                final NodeList timeline = representation.getElementsByTagName("S");
                long t = 0;
                for (int j = 0; j < timeline.getLength(); j++)
                {
                    final Element s = (Element)timeline.item(j);
                    t = s.hasAttribute("t") ? Long.parseLong(s.getAttribute("t")) : t;
                    final long d = Long.parseLong(s.getAttribute("d"));
                    final int repeat = s.hasAttribute("r") ? Integer.parseInt(s.getAttribute("r")) : 0;
                    for (int k = 0; k <= repeat; k++, t += d)
                    {
                        durations.computeIfAbsent(representation.getAttribute("id"), id -> new java.util.TreeMap<>())
                            .computeIfAbsent(t, start -> new java.util.TreeSet<>()).add(d);
                    }
                }
            }
        }
        assertThat(durations).containsOnlyKeys("360p", "audio");
        // the last segment is cut short by the end of the input, which no prediction knows
        durations.forEach((id, segments) -> assertThat(segments.headMap(segments.lastKey()))
            .as(id + ": segment start -> durations listed").hasSizeGreaterThanOrEqualTo(2)
            .allSatisfy((start, listed) -> assertThat(listed).hasSize(1)));
    }

    @Test
    void shouldStampProgramDateTimesWithTheProducersCaptureClock()
    {
        final LivePackager packager = packager();
        final LiveSession session = packager.open("cam1", List.of(tracks().get(0)));
        final long captured = START.toEpochMilli() - 2_500; // the producer started 2.5 s before its first fragment
        session.captureClock(0, captured);
        session.captureClock(0, START.toEpochMilli()); // ignored: the first call wins
        LiveTestMedia.feed(session.track("360p"), video, random);

        final List<LivePartEvent> parts = listener.parts("360p");
        assertThat(parts).isNotEmpty();
        for (int i = 0; i < parts.size(); i++)
        {
            assertThat(parts.get(i).programDateTimeMs()).isCloseTo(captured + i * 1000L / 3, within(2L));
        }
        assertThat(listener.windows("360p", WindowKind.HLS_MEDIA_PLAYLIST).getLast().body())
            .contains("#EXT-X-PROGRAM-DATE-TIME:2025-12-31T23:59:57.500Z\n");
    }

    @Test
    void shouldMoveTheCaptureClockBackOnlyForSegmentsNotOpenedYetWhenAnEarlierEstimateArrives()
    {
        final LivePackager packager = packager();
        final LiveSession session = packager.open("cam1", tracks());
        final long late = START.toEpochMilli() - 500; // the first frames the clock saw were all late
        session.captureClock(0, late);
        final List<byte[]> videoUnits = LiveTestMedia.units(video);
        for (final byte[] unit : videoUnits.subList(0, 4)) // the header and three parts of segment 0
        {
            LiveTestMedia.feed(session.track("360p"), unit, random);
        }
        final long caughtUp = late - 1_200; // the publisher caught up: frames now arrive 1.2 s sooner
        session.captureClock(0, caughtUp);
        session.captureClock(0, caughtUp + 300); // a later estimate never moves the clock forward
        for (final byte[] unit : videoUnits.subList(4, videoUnits.size()))
        {
            LiveTestMedia.feed(session.track("360p"), unit, random);
        }
        LiveTestMedia.feed(session.track("audio"), audio, random);

        for (final LivePartEvent part : listener.parts("360p"))
        {
            final long anchor = part.msn() == 0 ? late : caughtUp;
            assertThat(part.programDateTimeMs()).as("part " + part.msn() + "." + part.partIndex())
                .isCloseTo(anchor + part.msn() * 2_000 + part.partIndex() * 1000L / 3, within(2L));
        }
        assertThat(listener.parts("audio").stream().filter(part -> part.partIndex() == 0)).hasSizeGreaterThan(2)
            .allSatisfy(first -> assertThat(first.programDateTimeMs()).as("audio segment " + first.msn())
                .isCloseTo((first.msn() == 0 ? late : caughtUp) + first.msn() * 2_000, within(350L))); // 341 ms fragments
        assertThat(listener.windows("360p", WindowKind.HLS_MEDIA_PLAYLIST).getLast().body())
            .contains("#EXT-X-PROGRAM-DATE-TIME:2025-12-31T23:59:59.500Z\n#EXTINF:2.00000,\n" +
                session.epoch() + "-0.m4s\n", "#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00.300Z\n");
        assertThat(listener.windows("", WindowKind.DASH_MPD).getLast().body())
            .as("the DASH availability start follows the latest estimate")
            .contains("availabilityStartTime=\"2025-12-31T23:59:58.300Z\"");
        assertThat(registry.get("bifrost.live.capture-clock.corrections").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldGiveEverySessionALargerEpochAndContinueTheMediaSequence()
    {
        final LivePackager packager = packager();
        final LiveSession first = packager.open("cam1", List.of(tracks().get(0)));
        LiveTestMedia.feed(first.track("360p"), video, random);
        final LiveSession second = packager.open("cam1", List.of(tracks().get(0)));
        assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
        assertThat(listener.windows("360p", WindowKind.END_OF_STREAM)).hasSize(1);
        LiveTestMedia.feed(second.track("360p"), video, random);
        final LiveWindowEvent window = listener.windows("360p", WindowKind.HLS_MEDIA_PLAYLIST).getLast();
        assertThat(window.epoch()).isEqualTo(second.epoch());
        assertThat(window.firstMsn()).isEqualTo(4);
        assertThat(listener.windows("360p", WindowKind.HLS_MEDIA_PLAYLIST).stream()
            .filter(w -> w.epoch() == second.epoch()).findFirst().orElseThrow().lastCompleteMsn())
            .as("before its first segment completes, the new session reports the msn before it").isEqualTo(3);
        assertThat(window.discontinuitySequence()).isEqualTo(1);
        assertThat(window.body()).contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n", second.epoch() + "-4.m4s");
        final int parts = listener.parts.size();
        LiveTestMedia.feed(first.track("360p"), video, random);
        assertThat(listener.parts).as("an ended session ignores its producer").hasSize(parts);
    }

    @Test
    void shouldForgetAnEndedStreamAfterTheRetention()
    {
        final Instant[] now = {START};
        final Clock clock = new Clock()
        {
            @Override
            public java.time.ZoneId getZone()
            {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(final java.time.ZoneId zone)
            {
                return this;
            }

            @Override
            public Instant instant()
            {
                return now[0];
            }
        };
        final LivePackager packager = new LivePackager(new LivePackager.Context().endedRetentionMs(60_000)
            .clock(clock).meterRegistry(registry));
        final LiveSession session = packager.open("cam1", List.of(tracks().get(0)));
        LiveTestMedia.feed(session.track("360p"), video, random);
        session.end();
        packager.open("cam2", List.of(tracks().get(0)));
        assertThat(packager.stream("cam1")).as("still within the retention").isNotNull();
        now[0] = START.plusSeconds(61);
        packager.open("cam3", List.of(tracks().get(0)));
        assertThat(packager.stream("cam1")).isNull();
        assertThat(packager.stream("cam2")).as("running streams stay").isNotNull();
    }

    @Test
    void shouldCountAThrowingListenerAndKeepPackaging()
    {
        final LivePackager packager = packager();
        packager.addListener(new LiveListener()
        {
            @Override
            public void onPart(final LivePartEvent part)
            {
                throw new IllegalStateException("boom");
            }

            @Override
            public void onWindow(final LiveWindowEvent window)
            {
                throw new IllegalStateException("boom");
            }
        });
        final LiveSession session = packager.open("cam1", List.of(tracks().get(0)));
        LiveTestMedia.feed(session.track("360p"), video, random);
        assertThat(listener.parts("360p")).hasSize(18);
        assertThat(registry.get("bifrost.live.listener.errors").counter().count()).isGreaterThan(18);
    }

    @Test
    void shouldRefuseMalformedInputWithACounter()
    {
        final LivePackager packager = packager();
        final LiveSession session = packager.open("cam1", List.of(tracks().get(0)));
        final byte[] garbage = new byte[64];
        garbage[3] = 4; // a box of 4 bytes: smaller than its header
        assertThatThrownBy(() -> session.track("360p").accept(ByteBuffer.wrap(garbage)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smaller than its header");
        assertThat(registry.get("bifrost.live.input.rejected").counter().count()).isEqualTo(1);
        final byte[] audioAsVideo = LiveTestMedia.units(audio).get(0);
        final LiveSession other = packager.open("cam2", List.of(tracks().get(0)));
        assertThatThrownBy(() -> other.track("360p").accept(ByteBuffer.wrap(audioAsVideo)))
            .hasMessageContaining("announced as VIDEO");
    }

    @Test
    void shouldRefuseBadStreamIdsAndTrackLists()
    {
        final LivePackager packager = packager();
        assertThatThrownBy(() -> packager.open("../x", tracks())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> packager.open("cam1", List.of(tracks().get(1))))
            .hasMessageContaining("at least one video");
        assertThatThrownBy(() -> packager.open("cam1", List.of(tracks().get(0), tracks().get(0))))
            .hasMessageContaining("twice");
        assertThatThrownBy(() -> packager.open("cam1", tracks()).track("1080p"))
            .hasMessageContaining("not announced");
    }

    private static byte[] concat(final List<byte[]> parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] all = Arrays.copyOf(parts.get(0), length);
        int offset = parts.get(0).length;
        for (final byte[] part : parts.subList(1, parts.size()))
        {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }
}
