package io.bifrost.origin.live;

import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The live MPD's latency signalling (DASH-IF IOP low-latency modes): a {@code ProducerReferenceTime} per
 * representation that pairs its newest segment's media time with the capture wall clock, the
 * {@code ServiceDescription}'s {@code Latency} referring to it, and {@code UTCTiming}; checked the way dash.js uses
 * them (TS 103 285 10.20.4: the offset to {@code availabilityStartTime} is zero).
 */
class LiveMpdProducerReferenceTimeTest
{
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    /** The capture clock the producer reports: 1.5 s before the packager's own clock. */
    private static final long CAPTURE_WALL_MS = START.toEpochMilli() - 1500;

    @TempDir
    static Path media;

    private static List<byte[]> videoUnits;
    private static List<byte[]> audioUnits;

    private final RecordingListener listener = new RecordingListener();
    private final Random random = new Random(11);

    @BeforeAll
    static void generate()
    {
        videoUnits = LiveTestMedia.units(LiveTestMedia.video(media, 6, 60));
        audioUnits = LiveTestMedia.units(LiveTestMedia.audio(media, 6));
    }

    @Test
    void shouldPairEachRepresentationsNewestSegmentWithTheCaptureClockWhenTheSessionRuns() throws Exception
    {
        final LivePackager packager = new LivePackager(new LivePackager.Context()
            .clock(Clock.fixed(START, ZoneOffset.UTC)).meterRegistry(new SimpleMeterRegistry()));
        packager.addListener(listener);
        final LiveSession session = packager.open("cam1", List.of(
            new LiveTrack("360p", TrackKind.VIDEO, 800_000, 320, 180, 30),
            new LiveTrack("audio", TrackKind.AUDIO, 96_000, 0, 0, 0)));
        session.captureClock(0, CAPTURE_WALL_MS);
        // segment 0 complete (header + 6 parts of 1/3 s) and the first part of segment 1, in both renditions
        for (int i = 0; i < 8; i++)
        {
            LiveTestMedia.feed(session.track("360p"), videoUnits.get(i), random);
            LiveTestMedia.feed(session.track("audio"), audioUnits.get(i), random);
        }

        final Document xml = parse(listener.windows("", WindowKind.DASH_MPD).getLast().body());
        final Element root = xml.getDocumentElement();
        assertThat(root.getAttribute("availabilityStartTime")).isEqualTo("2025-12-31T23:59:58.500Z");
        final List<Element> references = children(xml.getElementsByTagName("ProducerReferenceTime"));
        assertThat(references).hasSize(2);
        final List<String> ids = new ArrayList<>();
        for (final Element reference : references)
        {
            ids.add(reference.getAttribute("id"));
            final Element representation = (Element)reference.getParentNode();
            assertThat(representation.getTagName()).isEqualTo("Representation");
            assertThat(reference.getAttribute("type")).isEqualTo("encoder");
            final Element template = (Element)representation.getElementsByTagName("SegmentTemplate").item(0);
            assertThat(following(reference)).as("ProducerReferenceTime comes before the SegmentTemplate (schema order)")
                .contains(template);
            final long timescale = Long.parseLong(template.getAttribute("timescale"));
            final long offsetTicks = Long.parseLong(template.getAttribute("presentationTimeOffset"));
            // the newest segment is segment 1, being written: its start is the second S of the timeline
            final List<Element> timeline = children(template.getElementsByTagName("S"));
            final Element newest = timeline.getLast();
            final long newestStart = newest.hasAttribute("r") ?
                Long.parseLong(newest.getAttribute("t")) + Long.parseLong(newest.getAttribute("r")) *
                Long.parseLong(newest.getAttribute("d")) : Long.parseLong(newest.getAttribute("t"));
            final long presentationTime = Long.parseLong(reference.getAttribute("presentationTime"));
            assertThat(presentationTime).isEqualTo(newestStart);
            final long wallClockMs = Instant.parse(reference.getAttribute("wallClockTime")).toEpochMilli();
            assertThat(wallClockMs).as("the capture clock at that media time (ms precision)")
                .isCloseTo(CAPTURE_WALL_MS + (presentationTime - offsetTicks) * 1000 / timescale, within(1L));
            // dash.js (TS 103 285 10.20.4): PRT0 = wallClockTime - (presentationTime - PTO) / timescale; TO = AST - PRT0
            final double prt0Seconds = wallClockMs / 1000.0 - (presentationTime - offsetTicks) / (double)timescale;
            assertThat(Instant.parse(root.getAttribute("availabilityStartTime")).toEpochMilli() / 1000.0 - prt0Seconds)
                .isCloseTo(0.0, within(0.0015));
            final Element clock = (Element)reference.getElementsByTagName("UTCTiming").item(0);
            assertThat(clock.getAttribute("schemeIdUri")).as("wallClockTime is an xs:dateTime, not NTP")
                .isEqualTo("urn:mpeg:dash:utc:direct:2014");
        }
        assertThat(ids).containsExactly("0", "1");
        final Element latency = (Element)xml.getElementsByTagName("Latency").item(0);
        assertThat(latency.getAttribute("referenceId")).isEqualTo("0");
        final Element utcTiming = children(xml.getElementsByTagName("UTCTiming")).getLast();
        assertThat(utcTiming.getParentNode()).as("the MPD's own UTCTiming, which dash.js needs for low latency")
            .isEqualTo(root);
        assertThat(utcTiming.getAttribute("schemeIdUri")).isEqualTo("urn:mpeg:dash:utc:direct:2014");
        assertThat(utcTiming.getAttribute("value")).isEqualTo("2026-01-01T00:00:00.000Z");
        session.end();
    }

    private static Document parse(final String mpd) throws Exception
    {
        return DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(mpd.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> children(final NodeList nodes)
    {
        final List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++)
        {
            elements.add((Element)nodes.item(i));
        }
        return elements;
    }

    private static List<Node> following(final Element element)
    {
        final List<Node> siblings = new ArrayList<>();
        for (Node next = element.getNextSibling(); next != null; next = next.getNextSibling())
        {
            siblings.add(next);
        }
        return siblings;
    }
}
