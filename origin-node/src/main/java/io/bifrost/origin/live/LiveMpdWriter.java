package io.bifrost.origin.live;

import io.bifrost.protocol.http.MpdServedTime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Renders the dynamic DASH MPD (ISO/IEC 23009-1, live profile, CMAF) of a live session over the same files the HLS
 * playlists name. Each representation has its own {@code SegmentTemplate} in its track's timescale with
 * {@code media="$RepresentationID$/{epoch}-$Number$.m4s"}, {@code startNumber} the first msn in the window, a
 * {@code SegmentTimeline} of the complete segments (their real decode times and durations) followed by the segment
 * being written (from its first part on, with the duration it is expected to end with,
 * {@link RenditionWindow#currentPredictedDurationTicks()}), and
 * {@code presentationTimeOffset} the session's anchor, so period time 0 is the first sample and
 * {@code availabilityStartTime} is the wall clock then.
 *
 * <p>Low latency (DASH-IF IOP low-latency modes, chunked CMAF): {@code availabilityTimeOffset} is the segment target
 * less one part target, so a segment is available once its first part (CMAF chunk) is, with
 * {@code availabilityTimeComplete="false"}: the answer then arrives chunk by chunk (an edge streams it part by part,
 * the origin holds it until complete). Listing the segment being written is what lets a player ask for it: a
 * SegmentTimeline names only the segments it lists (livesim2 does the same for low-latency timelines). The MPD is
 * rendered again when a segment completes and when the next one starts. {@code minimumUpdatePeriod} is one second (the
 * segment target if shorter; dash.js refreshes at most once a second), so a player learns of a new segment within about
 * a second of its first part. {@code UTCTiming} is {@code urn:mpeg:dash:utc:direct:2014} (dash.js needs a UTCTiming to
 * place the live edge for low latency); its value is the time the MPD is served ({@link #served}), not rendered.
 *
 * <p>Latency: every representation carries a {@code ProducerReferenceTime} (ISO/IEC 23009-1 5.12, DASH-IF IOP
 * low-latency modes; {@code type="encoder"}) pairing its newest segment's start ({@code presentationTime}, in its
 * timescale, like {@code tfdt}) with that moment's wall clock ({@code wallClockTime}: the capture clock the packager
 * anchors EXT-X-PROGRAM-DATE-TIME on), with a {@code UTCTiming} child saying that clock is an xs:dateTime (without it
 * the value would be NTP). Ids count from 0 in document order and the {@code ServiceDescription}'s {@code Latency}
 * refers to the first, so a player measures its latency from capture (dash.js, Shaka). {@code availabilityStartTime}
 * is the same clock at the anchor, so the offset a player derives from it (TS 103 285 10.20.4) is zero. Once
 * the session ends the MPD keeps {@code type="dynamic"} but gains {@code mediaPresentationDuration} and loses
 * {@code minimumUpdatePeriod}, the end-of-live signal of DASH-IF IOP 4.11.
 */
final class LiveMpdWriter
{
    /** Longest {@code minimumUpdatePeriod}: a player looks for a new segment at least this often. */
    static final double MAX_UPDATE_PERIOD_SECONDS = 1.0;
    /** UTCTiming scheme: the value is the server's time as an xs:dateTime (ISO/IEC 23009-1 5.8.5.7). */
    static final String UTC_TIMING_SCHEME = MpdServedTime.DIRECT_SCHEME;

    private static final DateTimeFormatter XS_DATE_TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private LiveMpdWriter()
    {
    }

    /**
     * @param session the session, under its lock, anchored.
     * @return the MPD XML.
     */
    static String mpd(final PackagerSession session)
    {
        final LivePackager packager = session.packager;
        final long nowMs = packager.clock.millis();
        final double segmentSeconds = packager.segmentTargetUs / 1e6;
        final double partSeconds = packager.partTargetUs / 1e6;
        final StringBuilder xml = new StringBuilder(4096);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"dynamic\"")
            .append(" profiles=\"urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019\"")
            .append(" availabilityStartTime=\"").append(dateTime(session.latestAnchorWallMs())).append('"')
            .append(" publishTime=\"").append(dateTime(nowMs)).append('"');
        if (session.ended)
        {
            long endUs = 0;
            for (final RenditionWindow window : session.renditions.values())
            {
                final LiveSegment last = window.segments().peekLast();
                if (last != null)
                {
                    endUs = Math.max(endUs, last.startUs + last.durationUs - session.anchorUs());
                }
            }
            xml.append(" mediaPresentationDuration=\"").append(duration(endUs / 1e6)).append('"');
        }
        else
        {
            xml.append(" minimumUpdatePeriod=\"").append(duration(Math.min(segmentSeconds, MAX_UPDATE_PERIOD_SECONDS)))
                .append('"');
        }
        xml.append(" timeShiftBufferDepth=\"").append(duration(segmentSeconds * packager.windowSegments)).append('"')
            .append(" maxSegmentDuration=\"").append(duration(segmentSeconds + partSeconds)).append('"')
            .append(" minBufferTime=\"").append(duration(partSeconds * 3)).append('"')
            .append(" suggestedPresentationDelay=\"").append(duration(partSeconds * 3)).append("\">\n");
        final boolean anyRepresentation = anyRepresentation(session);
        xml.append("  <ServiceDescription id=\"0\">\n")
            .append("    <Latency").append(anyRepresentation ? " referenceId=\"0\"" : "")
            .append(" target=\"").append(Math.round(partSeconds * 3000 + 500))
            .append("\" min=\"").append(Math.round(partSeconds * 2000))
            .append("\" max=\"").append(Math.round(segmentSeconds * 3000)).append("\"/>\n")
            .append("  </ServiceDescription>\n");
        xml.append("  <Period id=\"").append(session.epoch).append("\" start=\"PT0S\">\n");
        int id = 0;
        int referenceId = 0;
        boolean anyVideo = false;
        for (final RenditionWindow window : session.renditions.values())
        {
            anyVideo |= window.track.kind() == TrackKind.VIDEO && window.init() != null;
        }
        if (anyVideo)
        {
            xml.append("    <AdaptationSet id=\"").append(id++).append("\" contentType=\"video\"")
                .append(" mimeType=\"video/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\">\n");
            for (final RenditionWindow window : session.renditions.values())
            {
                if (window.track.kind() == TrackKind.VIDEO && window.init() != null)
                {
                    final LiveTrack track = window.track;
                    xml.append("      <Representation id=\"").append(track.rendition())
                        .append("\" codecs=\"").append(window.init().codec())
                        .append("\" bandwidth=\"").append(track.bandwidthBps()).append('"');
                    if (track.width() > 0 && track.height() > 0)
                    {
                        xml.append(" width=\"").append(track.width()).append("\" height=\"").append(track.height())
                            .append("\" sar=\"1:1\"");
                    }
                    if (track.frameRate() > 0)
                    {
                        xml.append(" frameRate=\"").append(frameRate(track.frameRate())).append('"');
                    }
                    xml.append(">\n");
                    referenceId = producerReferenceTime(xml, window, referenceId, nowMs);
                    segmentTemplate(xml, session, window);
                    xml.append("      </Representation>\n");
                }
            }
            xml.append("    </AdaptationSet>\n");
        }
        for (final RenditionWindow window : session.renditions.values())
        {
            if (window.track.kind() != TrackKind.AUDIO || window.init() == null)
            {
                continue;
            }
            final InitSegment init = window.init();
            xml.append("    <AdaptationSet id=\"").append(id++).append("\" contentType=\"audio\"")
                .append(" mimeType=\"audio/mp4\" lang=\"und\" segmentAlignment=\"true\" startWithSAP=\"1\">\n");
            xml.append("      <Representation id=\"").append(window.track.rendition())
                .append("\" codecs=\"").append(init.codec())
                .append("\" bandwidth=\"").append(window.track.bandwidthBps()).append('"');
            if (init.sampleRateHz() > 0)
            {
                xml.append(" audioSamplingRate=\"").append(init.sampleRateHz()).append('"');
            }
            xml.append(">\n");
            if (init.channels() > 0)
            {
                xml.append("        <AudioChannelConfiguration")
                    .append(" schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"")
                    .append(init.channels()).append("\"/>\n");
            }
            referenceId = producerReferenceTime(xml, window, referenceId, nowMs);
            segmentTemplate(xml, session, window);
            xml.append("      </Representation>\n");
            xml.append("    </AdaptationSet>\n");
        }
        xml.append("  </Period>\n");
        xml.append("  <UTCTiming schemeIdUri=\"").append(UTC_TIMING_SCHEME).append("\" value=\"").append(dateTime(nowMs))
            .append("\"/>\n");
        xml.append("</MPD>\n");
        return xml.toString();
    }

    /**
     * The MPD as answered at {@code nowMs}: its UTF-8 bytes with the value of the MPD's own {@code UTCTiming} (the
     * last one, after the {@code Period}) set to {@code nowMs}; everything else as rendered. The direct scheme carries
     * the server's time in the document (ISO/IEC 23009-1 5.8.5.7), and a player sets its clock to it as it receives the
     * MPD (dash.js once at start, then every 30 s or so), so the value must be the time the answer leaves: the MPD is
     * rendered when a segment starts and served unchanged until the next one. With the render time dash.js's clock ran
     * behind by the MPD's age (up to a segment; 1.5 s measured), it placed the live edge that much early, played that
     * much further behind than it reported, and never asked for the segment being written, so it got no chunked answer.
     *
     * @param mpd   the rendered MPD ({@link #mpd}).
     * @param nowMs the wall clock now, ms since the epoch.
     * @return a new array; the caller may keep it.
     */
    static byte[] served(final String mpd, final long nowMs)
    {
        return MpdServedTime.stamp(mpd.getBytes(StandardCharsets.UTF_8), nowMs);
    }

    private static boolean anyRepresentation(final PackagerSession session)
    {
        for (final RenditionWindow window : session.renditions.values())
        {
            if (window.init() != null && (window.current() != null || !window.segments().isEmpty()))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A {@code ProducerReferenceTime} for the representation: its newest segment's start and wall clock (the segment
     * being written, else the last complete one), none before its first fragment.
     *
     * @return the id of the next one.
     */
    private static int producerReferenceTime(final StringBuilder xml, final RenditionWindow window, final int id,
        final long nowMs)
    {
        final LiveSegment current = window.current();
        final LiveSegment newest = current != null ? current : window.segments().peekLast();
        if (newest == null)
        {
            return id;
        }
        xml.append("        <ProducerReferenceTime id=\"").append(id).append("\" type=\"encoder\" wallClockTime=\"")
            .append(dateTime(newest.programDateTimeMs)).append("\" presentationTime=\"").append(newest.startTicks)
            .append("\">\n")
            .append("          <UTCTiming schemeIdUri=\"").append(UTC_TIMING_SCHEME).append("\" value=\"")
            .append(dateTime(nowMs)).append("\"/>\n")
            .append("        </ProducerReferenceTime>\n");
        return id + 1;
    }

    private static void segmentTemplate(final StringBuilder xml, final PackagerSession session,
        final RenditionWindow window)
    {
        final long timescale = window.init().timescale();
        final long anchorTicks = Math.floorDiv(session.anchorUs(), 1_000_000L) * timescale +
            Math.floorMod(session.anchorUs(), 1_000_000L) * timescale / 1_000_000L;
        final double availabilityOffset = (session.packager.segmentTargetUs - session.packager.partTargetUs) / 1e6;
        xml.append("        <SegmentTemplate timescale=\"").append(timescale)
            .append("\" presentationTimeOffset=\"").append(Math.max(0, anchorTicks))
            .append("\" initialization=\"$RepresentationID$/init.mp4\" media=\"$RepresentationID$/")
            .append(session.epoch).append("-$Number$.m4s\" startNumber=\"").append(window.firstMsn())
            .append("\" availabilityTimeOffset=\"").append(String.format(Locale.ROOT, "%.3f", availabilityOffset))
            .append("\" availabilityTimeComplete=\"false\">\n");
        xml.append("          <SegmentTimeline>\n");
        long expectedStart = Long.MIN_VALUE;
        long runStart = 0;
        long runDuration = -1;
        int repeat = 0;
        for (final LiveSegment segment : window.segments())
        {
            final boolean continues = segment.startTicks == expectedStart;
            if (continues && segment.durationTicks == runDuration)
            {
                repeat++;
            }
            else
            {
                if (runDuration >= 0)
                {
                    timelineEntry(xml, runStart, runDuration, repeat);
                }
                runStart = segment.startTicks;
                runDuration = segment.durationTicks;
                repeat = 0;
            }
            expectedStart = segment.startTicks + segment.durationTicks;
        }
        final long predicted = session.ended ? -1 : window.currentPredictedDurationTicks();
        if (predicted > 0)
        {
            final long start = window.current().startTicks;
            if (start == expectedStart && predicted == runDuration)
            {
                repeat++;
            }
            else
            {
                if (runDuration >= 0)
                {
                    timelineEntry(xml, runStart, runDuration, repeat);
                }
                runStart = start;
                runDuration = predicted;
                repeat = 0;
            }
        }
        if (runDuration >= 0)
        {
            timelineEntry(xml, runStart, runDuration, repeat);
        }
        xml.append("          </SegmentTimeline>\n");
        xml.append("        </SegmentTemplate>\n");
    }

    private static void timelineEntry(final StringBuilder xml, final long start, final long duration, final int repeat)
    {
        xml.append("            <S t=\"").append(start).append("\" d=\"").append(duration).append('"');
        if (repeat > 0)
        {
            xml.append(" r=\"").append(repeat).append('"');
        }
        xml.append("/>\n");
    }

    private static String frameRate(final double fps)
    {
        final long rounded = Math.round(fps);
        if (Math.abs(fps - rounded) < 0.001)
        {
            return Long.toString(rounded);
        }
        return Math.round(fps * 1001) + "/1001";
    }

    private static String dateTime(final long ms)
    {
        return XS_DATE_TIME.format(Instant.ofEpochMilli(ms));
    }

    private static String duration(final double seconds)
    {
        return String.format(Locale.ROOT, "PT%.3fS", seconds);
    }
}
