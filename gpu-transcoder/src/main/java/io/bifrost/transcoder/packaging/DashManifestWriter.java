package io.bifrost.transcoder.packaging;

import io.bifrost.transcoder.protection.ContentProtection;
import io.bifrost.transcoder.protection.TitleProtection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a static DASH MPD (ISO/IEC 23009-1, live profile with CMAF segments) over the same files the HLS playlists
 * name: one {@code AdaptationSet} per video codec and per audio rendition, a {@code SegmentTemplate} with
 * {@code $RepresentationID$/init.mp4} and {@code $RepresentationID$/$Number$.m4s} from {@code startNumber} 0, and a
 * {@code SegmentTimeline} (timescale 1000) built from the measured segment durations, so the last, shorter segment is
 * described exactly. Start times are rounded from the running total, so rounding never accumulates drift. A
 * ClearKey title's adaptation sets carry two {@code ContentProtection} descriptors (DASH-IF IOP 7.5): the CENC one
 * ({@code urn:mpeg:dash:mp4protection:2011}, {@code cenc:default_KID}) and the W3C ClearKey system's with the licence
 * URL ({@code dashif:Laurl}) and a {@code cenc:pssh} naming the key id. Pure function of its input; the origin reuses
 * it.
 */
public final class DashManifestWriter
{
    /** Timeline units per second. */
    static final int TIMESCALE = 1000;

    private DashManifestWriter()
    {
    }

    /**
     * @param video           video renditions; those with the same codec family share an adaptation set.
     * @param audio           audio renditions.
     * @param durationSeconds presentation duration.
     * @param segmentSeconds  nominal segment duration (minBufferTime).
     * @param initSegment     init segment name in each rendition folder.
     * @param firstNumber     number of the first segment file.
     * @return the MPD XML.
     */
    public static String write(final List<PackagedVideo> video, final List<PackagedAudio> audio,
        final double durationSeconds, final int segmentSeconds, final String initSegment, final int firstNumber)
    {
        return write(video, audio, durationSeconds, segmentSeconds, initSegment, firstNumber, TitleProtection.NONE);
    }

    /**
     * @param video           video renditions; those with the same codec family share an adaptation set.
     * @param audio           audio renditions.
     * @param durationSeconds presentation duration.
     * @param segmentSeconds  nominal segment duration (minBufferTime).
     * @param initSegment     init segment name in each rendition folder.
     * @param firstNumber     number of the first segment file.
     * @param protection      the title's protection: ClearKey adds {@code ContentProtection}; others add nothing.
     * @return the MPD XML.
     */
    public static String write(final List<PackagedVideo> video, final List<PackagedAudio> audio,
        final double durationSeconds, final int segmentSeconds, final String initSegment, final int firstNumber,
        final TitleProtection protection)
    {
        final boolean clearKey = protection.scheme() == ContentProtection.CLEARKEY;
        final StringBuilder xml = new StringBuilder(2048);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\"");
        if (clearKey)
        {
            xml.append(" xmlns:cenc=\"urn:mpeg:cenc:2013\" xmlns:dashif=\"https://dashif.org/CPS\"");
        }
        xml.append(" type=\"static\"")
            .append(" profiles=\"urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019\"")
            .append(" mediaPresentationDuration=\"").append(isoDuration(durationSeconds)).append('"')
            .append(" minBufferTime=\"").append(isoDuration(segmentSeconds)).append("\">\n");
        xml.append("  <Period id=\"0\" start=\"PT0S\">\n");

        final Map<String, List<PackagedVideo>> byCodec = new LinkedHashMap<>();
        for (final PackagedVideo rendition : video)
        {
            byCodec.computeIfAbsent(codecFamily(rendition.codecs()), key -> new ArrayList<>()).add(rendition);
        }
        int id = 0;
        for (final List<PackagedVideo> set : byCodec.values())
        {
            int maxWidth = 0;
            int maxHeight = 0;
            for (final PackagedVideo rendition : set)
            {
                maxWidth = Math.max(maxWidth, rendition.width());
                maxHeight = Math.max(maxHeight, rendition.height());
            }
            xml.append("    <AdaptationSet id=\"").append(id++)
                .append("\" contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"true\"")
                .append(" startWithSAP=\"1\" maxWidth=\"").append(maxWidth).append("\" maxHeight=\"")
                .append(maxHeight).append("\">\n");
            if (clearKey)
            {
                ClearKeyDescriptors.append(xml, protection);
            }
            for (final PackagedVideo rendition : set)
            {
                xml.append("      <Representation id=\"").append(escape(rendition.name()))
                    .append("\" codecs=\"").append(escape(rendition.codecs()))
                    .append("\" bandwidth=\"").append(rendition.bandwidth().peakBps())
                    .append("\" width=\"").append(rendition.width())
                    .append("\" height=\"").append(rendition.height())
                    .append("\" frameRate=\"").append(rendition.frameRate().toFfmpeg())
                    .append("\" sar=\"1:1\">\n");
                segmentTemplate(xml, rendition.segments(), initSegment, firstNumber);
                xml.append("      </Representation>\n");
            }
            xml.append("    </AdaptationSet>\n");
        }
        for (final PackagedAudio rendition : audio)
        {
            xml.append("    <AdaptationSet id=\"").append(id++)
                .append("\" contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"und\" segmentAlignment=\"true\"")
                .append(" startWithSAP=\"1\">\n");
            if (clearKey)
            {
                ClearKeyDescriptors.append(xml, protection);
            }
            xml.append("      <Representation id=\"").append(escape(rendition.name()))
                .append("\" codecs=\"").append(escape(rendition.codecs()))
                .append("\" bandwidth=\"").append(rendition.bandwidth().peakBps())
                .append("\" audioSamplingRate=\"").append(rendition.sampleRateHz()).append("\">\n");
            xml.append("        <AudioChannelConfiguration")
                .append(" schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"")
                .append(rendition.channels()).append("\"/>\n");
            segmentTemplate(xml, rendition.segments(), initSegment, firstNumber);
            xml.append("      </Representation>\n");
            xml.append("    </AdaptationSet>\n");
        }
        xml.append("  </Period>\n");
        xml.append("</MPD>\n");
        return xml.toString();
    }

    private static void segmentTemplate(final StringBuilder xml, final List<MediaSegment> segments,
        final String initSegment, final int firstNumber)
    {
        xml.append("        <SegmentTemplate timescale=\"").append(TIMESCALE)
            .append("\" initialization=\"$RepresentationID$/").append(escape(initSegment))
            .append("\" media=\"$RepresentationID$/$Number$.m4s\" startNumber=\"").append(firstNumber)
            .append("\">\n");
        xml.append("          <SegmentTimeline>\n");
        double elapsed = 0;
        long previousDuration = -1;
        int repeat = 0;
        long runStart = 0;
        for (final MediaSegment segment : segments)
        {
            final long start = Math.round(elapsed * TIMESCALE);
            elapsed += segment.durationSeconds();
            final long duration = Math.round(elapsed * TIMESCALE) - start;
            if (duration == previousDuration)
            {
                repeat++;
                continue;
            }
            if (previousDuration >= 0)
            {
                timelineEntry(xml, runStart, previousDuration, repeat);
            }
            runStart = start;
            previousDuration = duration;
            repeat = 0;
        }
        if (previousDuration >= 0)
        {
            timelineEntry(xml, runStart, previousDuration, repeat);
        }
        xml.append("          </SegmentTimeline>\n");
        xml.append("        </SegmentTemplate>\n");
    }

    private static void timelineEntry(final StringBuilder xml, final long start, final long duration,
        final int repeat)
    {
        xml.append("            <S t=\"").append(start).append("\" d=\"").append(duration).append('"');
        if (repeat > 0)
        {
            xml.append(" r=\"").append(repeat).append('"');
        }
        xml.append("/>\n");
    }

    /**
     * @param seconds a duration.
     * @return it as an xs:duration with millisecond precision, e.g. {@code PT6.000S}.
     */
    static String isoDuration(final double seconds)
    {
        return String.format(Locale.ROOT, "PT%.3fS", seconds);
    }

    private static String codecFamily(final String codecs)
    {
        final int dot = codecs.indexOf('.');
        return dot < 0 ? codecs : codecs.substring(0, dot);
    }

    static String escape(final String value)
    {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
