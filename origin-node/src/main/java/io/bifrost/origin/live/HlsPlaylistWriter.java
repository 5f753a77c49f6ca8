package io.bifrost.origin.live;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Renders LL-HLS playlists (RFC 8216bis) from a live window, meeting hls.js's low-latency server profile:
 * EXT-X-PROGRAM-DATE-TIME on every segment, parts (EXT-X-PART with INDEPENDENT=YES where the part starts with an
 * independent frame) for the newest segments, EXT-X-PRELOAD-HINT for the next part, EXT-X-INDEPENDENT-SEGMENTS, and an
 * EXT-X-RENDITION-REPORT for every sibling rendition.
 *
 * <p>Attribute choices: EXT-X-VERSION 9 (EXT-X-SKIP needs it); EXT-X-TARGETDURATION the segment target rounded up,
 * raised if a segment ever rounds above it; PART-TARGET the configured part target, raised if a part was longer;
 * PART-HOLD-BACK three part targets; CAN-SKIP-UNTIL six target durations (section 4.4.3.8's minimum). Names are
 * relative: {@code {epoch}-{msn}.m4s}, {@code {epoch}-{msn}.{part}.m4s}, {@code init.mp4}. Called under the stream
 * lock.
 */
final class HlsPlaylistWriter
{
    /** Section 4.4.3.8: the skip boundary is at least six target durations. */
    static final int SKIP_TARGET_DURATIONS = 6;
    /** Section 4.4.3.8: PART-HOLD-BACK is at least twice the part target; three is what is recommended. */
    static final int PART_HOLD_BACK_PARTS = 3;
    private static final DateTimeFormatter PROGRAM_DATE_TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private HlsPlaylistWriter()
    {
    }

    static int targetDurationSeconds(final RenditionWindow window)
    {
        final long targetUs = window.session.packager.segmentTargetUs;
        final int configured = (int)((targetUs + 999_999) / 1_000_000);
        final int observed = (int)((window.maxSegmentUs() + 500_000) / 1_000_000);
        return Math.max(configured, observed);
    }

    static long partTargetUs(final RenditionWindow window)
    {
        return Math.max(window.session.packager.partTargetUs, window.maxPartUs());
    }

    static int skipUntilSeconds(final RenditionWindow window)
    {
        return SKIP_TARGET_DURATIONS * targetDurationSeconds(window);
    }

    /**
     * @param window the rendition.
     * @param delta  true for the delta update (EXT-X-SKIP) answered to {@code _HLS_skip=YES}.
     * @return the media playlist, or null before the rendition's header arrived.
     */
    static String mediaPlaylist(final RenditionWindow window, final boolean delta)
    {
        if (window.init() == null)
        {
            return null;
        }
        final PackagerSession session = window.session;
        final long epoch = session.epoch;
        final long partTargetUs = partTargetUs(window);
        final StringBuilder out = new StringBuilder(4096);
        out.append("#EXTM3U\n#EXT-X-VERSION:9\n");
        out.append("#EXT-X-TARGETDURATION:").append(targetDurationSeconds(window)).append('\n');
        if (!session.ended)
        {
            out.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=")
                .append(skipUntilSeconds(window)).append(".0,PART-HOLD-BACK=");
            seconds(out, PART_HOLD_BACK_PARTS * partTargetUs);
            out.append('\n');
        }
        out.append("#EXT-X-PART-INF:PART-TARGET=");
        seconds(out, partTargetUs);
        out.append('\n');
        out.append("#EXT-X-MEDIA-SEQUENCE:").append(window.firstMsn()).append('\n');
        out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(session.discontinuitySequence).append('\n');
        if (window.allIndependent())
        {
            out.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        }
        out.append("#EXT-X-MAP:URI=\"init.mp4\"\n");
        final int skipped = delta ? window.skippableSegments() : 0;
        if (skipped > 0)
        {
            out.append("#EXT-X-SKIP:SKIPPED-SEGMENTS=").append(skipped).append('\n');
        }
        final int listed = window.segments().size();
        int i = 0;
        for (final LiveSegment segment : window.segments())
        {
            if (i++ < skipped)
            {
                continue;
            }
            programDateTime(out, segment.programDateTimeMs);
            if (i > listed - session.packager.partSegments)
            {
                parts(out, epoch, segment);
            }
            out.append("#EXTINF:");
            seconds(out, segment.durationUs);
            out.append(",\n").append(epoch).append('-').append(segment.msn).append(".m4s\n");
        }
        final LiveSegment current = window.current();
        if (current != null && !current.parts.isEmpty())
        {
            programDateTime(out, current.programDateTimeMs);
            parts(out, epoch, current);
        }
        if (!session.ended && !window.inputEnded())
        {
            out.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(epoch).append('-').append(window.nextMsn())
                .append('.').append(window.nextPartIndex()).append(".m4s\"\n");
        }
        for (final RenditionWindow sibling : session.renditions.values())
        {
            if (sibling != window && sibling.lastPartMsn() >= 0)
            {
                out.append("#EXT-X-RENDITION-REPORT:URI=\"../").append(sibling.track.rendition())
                    .append("/index.m3u8\",LAST-MSN=").append(sibling.lastPartMsn())
                    .append(",LAST-PART=").append(sibling.lastPartIndex()).append('\n');
            }
        }
        if (session.ended)
        {
            out.append("#EXT-X-ENDLIST\n");
        }
        return out.toString();
    }

    /**
     * @return the master playlist: an EXT-X-MEDIA audio group of every audio rendition whose header arrived, and one
     * EXT-X-STREAM-INF per video rendition whose header arrived; null while no video header arrived.
     */
    static String masterPlaylist(final PackagerSession session)
    {
        final StringBuilder audio = new StringBuilder();
        String audioCodec = null;
        int audioBandwidth = 0;
        for (final RenditionWindow window : session.renditions.values())
        {
            if (window.track.kind() != TrackKind.AUDIO || window.init() == null)
            {
                continue;
            }
            final boolean first = audioCodec == null;
            if (first)
            {
                audioCodec = window.init().codec();
                audioBandwidth = window.track.bandwidthBps();
            }
            audio.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"").append(window.track.rendition())
                .append("\",DEFAULT=").append(first ? "YES" : "NO").append(",AUTOSELECT=YES");
            if (window.init().channels() > 0)
            {
                audio.append(",CHANNELS=\"").append(window.init().channels()).append('"');
            }
            audio.append(",URI=\"").append(window.track.rendition()).append("/index.m3u8\"\n");
        }
        final StringBuilder variants = new StringBuilder();
        for (final RenditionWindow window : session.renditions.values())
        {
            if (window.track.kind() != TrackKind.VIDEO || window.init() == null)
            {
                continue;
            }
            final LiveTrack track = window.track;
            final long bandwidth = (long)track.bandwidthBps() + audioBandwidth;
            variants.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(bandwidth)
                .append(",AVERAGE-BANDWIDTH=").append(bandwidth)
                .append(",CODECS=\"").append(window.init().codec());
            if (audioCodec != null)
            {
                variants.append(',').append(audioCodec);
            }
            variants.append('"');
            if (track.width() > 0 && track.height() > 0)
            {
                variants.append(",RESOLUTION=").append(track.width()).append('x').append(track.height());
            }
            if (track.frameRate() > 0)
            {
                variants.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", track.frameRate()));
            }
            if (audioCodec != null)
            {
                variants.append(",AUDIO=\"audio\"");
            }
            variants.append('\n').append(track.rendition()).append("/index.m3u8\n");
        }
        if (variants.isEmpty())
        {
            return null;
        }
        return "#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-INDEPENDENT-SEGMENTS\n" + audio + variants;
    }

    private static void parts(final StringBuilder out, final long epoch, final LiveSegment segment)
    {
        for (final LivePart part : segment.parts)
        {
            out.append("#EXT-X-PART:DURATION=");
            seconds(out, part.durationUs);
            out.append(",URI=\"").append(epoch).append('-').append(part.msn).append('.').append(part.index)
                .append(".m4s\"");
            if (part.independent)
            {
                out.append(",INDEPENDENT=YES");
            }
            out.append('\n');
        }
    }

    private static void programDateTime(final StringBuilder out, final long ms)
    {
        out.append("#EXT-X-PROGRAM-DATE-TIME:").append(PROGRAM_DATE_TIME.format(Instant.ofEpochMilli(ms)))
            .append('\n');
    }

    /** Appends microseconds as seconds with five decimals, e.g. {@code 0.33333}. */
    static void seconds(final StringBuilder out, final long us)
    {
        final long tenUs = (us + 5) / 10;
        out.append(tenUs / 100_000).append('.');
        final long fraction = tenUs % 100_000;
        for (long scale = 10_000; scale > 1 && fraction < scale; scale /= 10)
        {
            out.append('0');
        }
        out.append(fraction);
    }
}
