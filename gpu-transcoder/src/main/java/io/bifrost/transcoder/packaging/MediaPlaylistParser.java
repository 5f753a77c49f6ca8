package io.bifrost.transcoder.packaging;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the segment list ({@code EXTINF} duration + URI pairs) from a VOD media playlist that ffmpeg wrote. Bounded
 * (segment count, line length) and strict: a URI must be a plain relative file name, durations finite and positive,
 * the playlist must start with {@code #EXTM3U} and end with {@code #EXT-X-ENDLIST}. Anything else is an
 * {@link IllegalArgumentException} with the line number.
 */
public final class MediaPlaylistParser
{
    /** More segments than this (about 55 h at 2 s) is refused. */
    public static final int MAX_SEGMENTS = 100_000;
    private static final int MAX_LINE_CHARS = 1024;

    private MediaPlaylistParser()
    {
    }

    /**
     * @param playlist the playlist text.
     * @return the segments in order, sizes unknown (-1).
     * @throws IllegalArgumentException when the playlist is malformed.
     */
    public static List<MediaSegment> parse(final String playlist)
    {
        final String[] lines = playlist.split("\r?\n", -1);
        if (lines.length == 0 || !"#EXTM3U".equals(lines[0].strip()))
        {
            throw new IllegalArgumentException("media playlist does not start with #EXTM3U");
        }
        final List<MediaSegment> segments = new ArrayList<>();
        double pendingDuration = -1;
        boolean ended = false;
        for (int i = 1; i < lines.length; i++)
        {
            final String line = lines[i].strip();
            if (line.length() > MAX_LINE_CHARS)
            {
                throw new IllegalArgumentException("media playlist line " + (i + 1) + " is too long");
            }
            if (line.isEmpty())
            {
                continue;
            }
            if (ended)
            {
                throw new IllegalArgumentException("media playlist has content after #EXT-X-ENDLIST at line " +
                    (i + 1));
            }
            if (line.startsWith("#EXTINF:"))
            {
                final int comma = line.indexOf(',');
                final String value = line.substring("#EXTINF:".length(), comma < 0 ? line.length() : comma);
                try
                {
                    pendingDuration = Double.parseDouble(value);
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException("bad EXTINF duration at line " + (i + 1) + ": " + value, ex);
                }
                if (!Double.isFinite(pendingDuration) || pendingDuration <= 0 || pendingDuration > 3600)
                {
                    throw new IllegalArgumentException("EXTINF duration out of range at line " + (i + 1));
                }
            }
            else if ("#EXT-X-ENDLIST".equals(line))
            {
                ended = true;
            }
            else if (!line.startsWith("#"))
            {
                if (pendingDuration < 0)
                {
                    throw new IllegalArgumentException("segment URI without EXTINF at line " + (i + 1));
                }
                if (!isPlainFileName(line))
                {
                    throw new IllegalArgumentException("segment URI is not a plain file name at line " + (i + 1));
                }
                if (segments.size() == MAX_SEGMENTS)
                {
                    throw new IllegalArgumentException("media playlist has more than " + MAX_SEGMENTS + " segments");
                }
                segments.add(new MediaSegment(line, pendingDuration, -1));
                pendingDuration = -1;
            }
        }
        if (!ended)
        {
            throw new IllegalArgumentException("media playlist has no #EXT-X-ENDLIST (incomplete VOD)");
        }
        if (segments.isEmpty())
        {
            throw new IllegalArgumentException("media playlist has no segments");
        }
        return segments;
    }

    static boolean isPlainFileName(final String name)
    {
        if (name.isEmpty() || name.length() > 64 || name.equals(".") || name.equals(".."))
        {
            return false;
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '-' || c == '_';
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
