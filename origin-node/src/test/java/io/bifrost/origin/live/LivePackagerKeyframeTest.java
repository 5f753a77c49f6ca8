package io.bifrost.origin.live;

import io.bifrost.origin.TestClips;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keyframes inside segments (the live ladder forces one every second in 2 s segments): the packager cuts segments on
 * the segment grid only, marks every part that starts with a keyframe independent, and the MPD lists the segment being
 * written with the duration it ends with, also when the keyframes make ffmpeg cut uneven fragments.
 */
class LivePackagerKeyframeTest
{
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final LiveTrack VIDEO = new LiveTrack("360p", TrackKind.VIDEO, 800_000, 320, 180, 30);

    @TempDir
    Path media;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingListener listener = new RecordingListener();
    private final Random random = new Random(7);

    private LivePackager packager()
    {
        final LivePackager packager = new LivePackager(new LivePackager.Context()
            .clock(Clock.fixed(START, ZoneOffset.UTC)).meterRegistry(registry));
        packager.addListener(listener);
        return packager;
    }

    @Test
    void shouldCutOnTheSegmentGridAndMarkThePartAtEachMidSegmentKeyframeIndependent()
    {
        final byte[] video = LiveTestMedia.video(media, 6, 30); // a keyframe every second, 2 s segments
        final LivePackager packager = packager();
        final LiveSession session = packager.open("cam1", List.of(VIDEO));
        LiveTestMedia.feed(session.track("360p"), video, random);

        final List<LivePartEvent> parts = listener.parts("360p");
        assertThat(parts).hasSize(18);
        for (int i = 0; i < parts.size(); i++)
        {
            final LivePartEvent part = parts.get(i);
            assertThat(part.msn()).as("part %d", i).isEqualTo(i / 6);
            assertThat(part.partIndex()).isEqualTo(i % 6);
            assertThat(part.independent()).as("part %d", i).isEqualTo(i % 3 == 0);
            assertThat(part.segmentEnd()).as("part %d", i).isEqualTo(i % 6 == 5);
        }
        assertThat(registry.get("bifrost.live.segments.dependent").counter().count()).isZero();
        final long epoch = session.epoch();
        final String playlist = listener.windows("360p", WindowKind.HLS_MEDIA_PLAYLIST).getLast().body();
        assertThat(playlist).contains("#EXT-X-TARGETDURATION:2\n").contains("#EXT-X-INDEPENDENT-SEGMENTS\n")
            .contains("#EXTINF:2.00000,\n" + epoch + "-1.m4s\n")
            .contains("""
                #EXT-X-PART:DURATION=0.33333,URI="%d-1.2.m4s"
                #EXT-X-PART:DURATION=0.33333,URI="%d-1.3.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.33333,URI="%d-1.4.m4s"
                """.formatted(epoch, epoch, epoch));

        session.end();
        assertThat(listener.windows("360p", WindowKind.END_OF_STREAM).getLast().body())
            .contains("#EXTINF:2.00000,\n" + epoch + "-0.m4s\n", "#EXTINF:2.00000,\n" + epoch + "-2.m4s\n");
        assertThat(listener.orderViolations).isEmpty();
    }

    /**
     * At 25 fps a 1/3 s fragment is 9 frames, so a keyframe every second (25 frames) makes ffmpeg cut 9 + 9 + 7: the
     * MPD must still list each segment being written with the 2 s it ends with (dash.js asks for the next segment at
     * the end of the listed one, and a duration listed short made it fetch the same segment again).
     */
    @Test
    void shouldListTheSegmentBeingWrittenWithItsRealDurationWhenKeyframesMakeFragmentsUneven() throws Exception
    {
        final byte[] video = video25(4, 25);
        final LivePackager packager = packager();
        final LiveSession session = packager.open("cam1", List.of(VIDEO));
        LiveTestMedia.feed(session.track("360p"), video, random);

        final List<LivePartEvent> parts = listener.parts("360p");
        assertThat(parts.stream().filter(LivePartEvent::segmentEnd).map(LivePartEvent::msn).toList())
            .containsExactly(0L, 1L);
        assertThat(parts).filteredOn(part -> part.msn() < 2).extracting(LivePartEvent::durationMicros)
            .containsExactly(360_000, 360_000, 280_000, 360_000, 360_000, 280_000,
                360_000, 360_000, 280_000, 360_000, 360_000, 280_000);
        assertThat(parts).filteredOn(part -> part.msn() < 2).extracting(LivePartEvent::independent)
            .containsExactly(true, false, false, true, false, false, true, false, false, true, false, false);

        final TreeMap<Long, Set<Long>> listed = new TreeMap<>();
        long timescale = 0;
        for (final LiveWindowEvent event : listener.windows("", WindowKind.DASH_MPD))
        {
            final Element template = (Element)DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(event.body().getBytes(StandardCharsets.UTF_8)))
                .getElementsByTagName("SegmentTemplate").item(0);
            timescale = Long.parseLong(template.getAttribute("timescale"));
            final NodeList timeline = template.getElementsByTagName("S");
            long t = 0;
            for (int j = 0; j < timeline.getLength(); j++)
            {
                final Element s = (Element)timeline.item(j);
                t = s.hasAttribute("t") ? Long.parseLong(s.getAttribute("t")) : t;
                final long d = Long.parseLong(s.getAttribute("d"));
                final int repeat = s.hasAttribute("r") ? Integer.parseInt(s.getAttribute("r")) : 0;
                for (int k = 0; k <= repeat; k++, t += d)
                {
                    listed.computeIfAbsent(t, start -> new TreeSet<>()).add(d);
                }
            }
        }
        final long twoSeconds = 2 * timescale;
        assertThat(listed).as("segment start -> durations listed while it was written and once complete")
            .containsEntry(0L, Set.of(twoSeconds)).containsEntry(twoSeconds, Set.of(twoSeconds));
        assertThat(listener.orderViolations).isEmpty();
    }

    /** H.264 320x180 at 25 fps, a keyframe every {@code gopFrames}, fragments of 1/3 s cut at keyframes too. */
    private byte[] video25(final int seconds, final int gopFrames) throws Exception
    {
        final Path out = media.resolve("video25-" + seconds + "-" + gopFrames + ".mp4");
        TestClips.run(List.of(TestClips.FFMPEG.toString(), "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-t", Integer.toString(seconds),
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
            "-g", Integer.toString(gopFrames), "-keyint_min", Integer.toString(gopFrames), "-sc_threshold", "0",
            "-f", "mp4", "-movflags", "+frag_keyframe+empty_moov+default_base_moof+cmaf", "-frag_duration", "333000",
            out.toString()));
        return Files.readAllBytes(out);
    }
}
