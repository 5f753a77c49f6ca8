package io.bifrost.origin.catalog;

import io.bifrost.transcoder.encode.TranscodeCommand;

import java.util.List;
import java.util.Locale;

/**
 * Adds subtitle tracks to a title's manifests as the transcoder wrote them: in the HLS master one
 * {@code EXT-X-MEDIA:TYPE=SUBTITLES} per language in group {@value #GROUP} and {@code SUBTITLES="subs"} on every
 * variant (RFC 8216bis 4.4.6.1 and 4.4.6.2), each pointing at a one-segment media playlist over the whole WebVTT
 * file; in the MPD one {@code AdaptationSet} of {@code text/vtt} per language before the end of the period.
 * Pure functions: the origin re-renders from the caption-free base each time the caption list changes.
 */
public final class CaptionManifests
{
    /** HLS group id of the subtitle renditions. */
    public static final String GROUP = "subs";
    /** File name of the WebVTT file in a subtitle rendition folder (ContentKind.SUBTITLES). */
    public static final String SUBTITLES_FILE = "subtitles.vtt";

    private CaptionManifests()
    {
    }

    /**
     * @param baseMaster the master playlist as the transcoder wrote it.
     * @param languages  caption languages (valid tags), in display order.
     * @return the master playlist listing them.
     */
    public static String hlsMaster(final String baseMaster, final List<String> languages)
    {
        if (languages.isEmpty())
        {
            return baseMaster;
        }
        final StringBuilder out = new StringBuilder(baseMaster.length() + 160 * languages.size());
        boolean mediaWritten = false;
        for (final String line : baseMaster.split("\n"))
        {
            if (!mediaWritten && line.startsWith("#EXT-X-STREAM-INF:"))
            {
                for (final String language : languages)
                {
                    out.append("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"").append(GROUP)
                        .append("\",NAME=\"").append(language)
                        .append("\",LANGUAGE=\"").append(language)
                        .append("\",DEFAULT=NO,AUTOSELECT=YES,URI=\"").append(CaptionTrack.rendition(language))
                        .append('/').append(TranscodeCommand.MEDIA_PLAYLIST).append("\"\n");
                }
                mediaWritten = true;
            }
            out.append(line);
            if (line.startsWith("#EXT-X-STREAM-INF:"))
            {
                out.append(",SUBTITLES=\"").append(GROUP).append('"');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * @param durationSeconds the title's duration.
     * @return the media playlist of a subtitle rendition: one segment, the whole WebVTT file.
     */
    public static String subtitlePlaylist(final double durationSeconds)
    {
        final double duration = Math.max(durationSeconds, 0.001);
        return "#EXTM3U\n" +
            "#EXT-X-VERSION:7\n" +
            "#EXT-X-TARGETDURATION:" + (long)Math.ceil(duration) + "\n" +
            "#EXT-X-MEDIA-SEQUENCE:0\n" +
            "#EXT-X-PLAYLIST-TYPE:VOD\n" +
            String.format(Locale.ROOT, "#EXTINF:%.3f,%n", duration) +
            SUBTITLES_FILE + "\n" +
            "#EXT-X-ENDLIST\n";
    }

    /**
     * @param baseMpd   the MPD as the transcoder wrote it.
     * @param languages caption languages (valid tags).
     * @return the MPD listing them.
     * @throws IllegalArgumentException when the MPD has no period end.
     */
    public static String mpd(final String baseMpd, final List<String> languages)
    {
        if (languages.isEmpty())
        {
            return baseMpd;
        }
        final int periodEnd = baseMpd.lastIndexOf("</Period>");
        if (periodEnd < 0)
        {
            throw new IllegalArgumentException("MPD has no </Period>");
        }
        final int lineStart = baseMpd.lastIndexOf('\n', periodEnd) + 1;
        final StringBuilder sets = new StringBuilder(300 * languages.size());
        int id = 100;
        for (final String language : languages)
        {
            final String rendition = CaptionTrack.rendition(language);
            sets.append("    <AdaptationSet id=\"").append(id++)
                .append("\" contentType=\"text\" mimeType=\"text/vtt\" lang=\"").append(language).append("\">\n")
                .append("      <Role schemeIdUri=\"urn:mpeg:dash:role:2011\" value=\"subtitle\"/>\n")
                .append("      <Representation id=\"").append(rendition).append("\" bandwidth=\"256\">\n")
                .append("        <BaseURL>").append(rendition).append('/').append(SUBTITLES_FILE).append("</BaseURL>\n")
                .append("      </Representation>\n")
                .append("    </AdaptationSet>\n");
        }
        return baseMpd.substring(0, lineStart) + sets + baseMpd.substring(lineStart);
    }
}
