package io.bifrost.protocol.naming;

import static io.bifrost.protocol.naming.ContentKey.NONE;

/**
 * Strict parser from a request path (query already stripped) to the {@link ContentKey} it names, or the
 * {@link PathRejection} saying why it names nothing. It accepts exactly the canonical paths that
 * {@link ContentKey#path()} produces, so for every accepted input {@code parse(s).path().equals(s)}.
 * <p>
 * The parser runs on the edge's request path for every request: it uses no regex, throws nothing on any input
 * (null included), and allocates only the accepted key, its id and rendition strings, and the path string when the
 * input is not already a {@link String}; a rejection allocates nothing. Checks run in this order,
 * and the first that fails decides the rejection:
 * <ol>
 *     <li>empty, then length over {@value #MAX_PATH_LENGTH} characters (so huge input costs O(1)), then not
 *     starting with {@code /};</li>
 *     <li>characters, in path order: {@code ?} or {@code #}, {@code %}, backslash, control or non-ASCII;</li>
 *     <li>segments, in path order: empty segment ({@code //}), {@code .} or {@code ..} segment, trailing slash;</li>
 *     <li>scope, id, number of segments, rendition, file name, then the numbers in a segment or part name.</li>
 * </ol>
 * Stateless and thread-safe.
 */
public final class ContentKeyParser
{
    /**
     * Longest path accepted, in characters; the longest valid name is about 160 characters.
     */
    public static final int MAX_PATH_LENGTH = 512;

    private static final String MASTER_PLAYLIST = "master.m3u8";
    private static final String MPD = "manifest.mpd";
    private static final String MEDIA_EXTENSION = ".m4s";

    private static final long BAD_NUMBER = -1;
    private static final long NUMBER_TOO_LARGE = -2;

    private ContentKeyParser()
    {
    }

    /**
     * @param path the request path without query string, e.g. {@code /live/cam1/720p/3-42.5.m4s}; may be null.
     * @return the {@link ContentKey} the path names, or the {@link PathRejection} saying why it names nothing.
     */
    public static PathParseResult parse(final CharSequence path)
    {
        if (null == path || 0 == path.length())
        {
            return PathRejection.EMPTY;
        }

        final int length = path.length();
        if (length > MAX_PATH_LENGTH)
        {
            return PathRejection.TOO_LONG;
        }

        if ('/' != path.charAt(0))
        {
            return PathRejection.NOT_ABSOLUTE;
        }

        final PathRejection characterRejection = checkCharacters(path, length);
        if (null != characterRejection)
        {
            return characterRejection;
        }

        // Segments are the text between slashes; end1..end3 are the indexes of the slashes ending segments 1..3.
        int segmentCount = 0;
        int end1 = 0;
        int end2 = 0;
        int end3 = 0;
        int segmentStart = 1;
        for (int i = 1; i <= length; i++)
        {
            if (i < length && '/' != path.charAt(i))
            {
                continue;
            }

            final int segmentLength = i - segmentStart;
            if (0 == segmentLength)
            {
                if (i < length)
                {
                    return PathRejection.EMPTY_SEGMENT;
                }
                return 1 == length ? PathRejection.TOO_FEW_SEGMENTS : PathRejection.TRAILING_SLASH;
            }

            if ('.' == path.charAt(segmentStart) &&
                (1 == segmentLength || (2 == segmentLength && '.' == path.charAt(segmentStart + 1))))
            {
                return PathRejection.TRAVERSAL;
            }

            segmentCount++;
            if (1 == segmentCount)
            {
                end1 = i;
            }
            else if (2 == segmentCount)
            {
                end2 = i;
            }
            else if (3 == segmentCount)
            {
                end3 = i;
            }
            segmentStart = i + 1;
        }

        final ContentScope scope;
        if (regionEquals(path, 1, end1, ContentScope.LIVE.pathSegment()))
        {
            scope = ContentScope.LIVE;
        }
        else if (regionEquals(path, 1, end1, ContentScope.VOD.pathSegment()))
        {
            scope = ContentScope.VOD;
        }
        else
        {
            return PathRejection.UNKNOWN_SCOPE;
        }

        if (segmentCount < 2)
        {
            return PathRejection.TOO_FEW_SEGMENTS;
        }

        final int idStart = end1 + 1;
        if (end2 - idStart > ContentKey.MAX_ID_LENGTH)
        {
            return PathRejection.ID_TOO_LONG;
        }
        if (!isName(path, idStart, end2))
        {
            return PathRejection.BAD_ID;
        }

        if (segmentCount < 3)
        {
            return PathRejection.TOO_FEW_SEGMENTS;
        }
        if (segmentCount > 4)
        {
            return PathRejection.TOO_MANY_SEGMENTS;
        }

        if (3 == segmentCount)
        {
            return parseStreamFile(path, scope, idStart, end2, end2 + 1, length);
        }

        final int renditionStart = end2 + 1;
        if (end3 - renditionStart > ContentKey.MAX_RENDITION_LENGTH)
        {
            return PathRejection.RENDITION_TOO_LONG;
        }
        if (!isName(path, renditionStart, end3))
        {
            return PathRejection.BAD_RENDITION;
        }

        return parseRenditionFile(path, scope, idStart, end2, renditionStart, end3, end3 + 1, length);
    }

    private static PathRejection checkCharacters(final CharSequence path, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final char c = path.charAt(i);
            if ('?' == c || '#' == c)
            {
                return PathRejection.QUERY_OR_FRAGMENT;
            }
            if ('%' == c)
            {
                return PathRejection.PERCENT_ENCODED;
            }
            if ('\\' == c)
            {
                return PathRejection.BACKSLASH;
            }
            if (c < 0x20 || c > 0x7E)
            {
                return PathRejection.ILLEGAL_CHARACTER;
            }
        }

        return null;
    }

    private static PathParseResult parseStreamFile(
        final CharSequence path,
        final ContentScope scope,
        final int idStart,
        final int idEnd,
        final int fileStart,
        final int fileEnd)
    {
        final ContentKind kind;
        if (regionEquals(path, fileStart, fileEnd, MASTER_PLAYLIST))
        {
            kind = ContentKind.MASTER_PLAYLIST;
        }
        else if (regionEquals(path, fileStart, fileEnd, MPD))
        {
            kind = ContentKind.MPD;
        }
        else if (renditionFileKind(path, fileStart, fileEnd) != null ||
            regionEndsWith(path, fileStart, fileEnd, MEDIA_EXTENSION))
        {
            return PathRejection.TOO_FEW_SEGMENTS;
        }
        else
        {
            return PathRejection.UNKNOWN_FILE;
        }

        return ContentKey.ofParsed(
            scope, substring(path, idStart, idEnd), null, kind, NONE, NONE, (int)NONE, path.toString());
    }

    /** The kind whose fixed file name the region is, or null; no allocation. */
    private static ContentKind renditionFileKind(final CharSequence path, final int fileStart, final int fileEnd)
    {
        for (final ContentKind kind : ContentKind.RENDITION_FILES)
        {
            if (regionEquals(path, fileStart, fileEnd, kind.fileName()))
            {
                return kind;
            }
        }
        return null;
    }

    private static PathParseResult parseRenditionFile(
        final CharSequence path,
        final ContentScope scope,
        final int idStart,
        final int idEnd,
        final int renditionStart,
        final int renditionEnd,
        final int fileStart,
        final int fileEnd)
    {
        final ContentKind fixed = renditionFileKind(path, fileStart, fileEnd);
        if (fixed != null)
        {
            return keyOf(path, scope, idStart, idEnd, renditionStart, renditionEnd, fixed, NONE, NONE, (int)NONE);
        }
        if (regionEquals(path, fileStart, fileEnd, MASTER_PLAYLIST) || regionEquals(path, fileStart, fileEnd, MPD))
        {
            return PathRejection.TOO_MANY_SEGMENTS;
        }
        if (!regionEndsWith(path, fileStart, fileEnd, MEDIA_EXTENSION))
        {
            return PathRejection.UNKNOWN_FILE;
        }

        final int nameEnd = fileEnd - MEDIA_EXTENSION.length();
        if (ContentScope.VOD == scope)
        {
            if (indexOf(path, fileStart, nameEnd, '-') >= 0 || indexOf(path, fileStart, nameEnd, '.') >= 0)
            {
                return PathRejection.WRONG_SEGMENT_FORM;
            }

            final long msn = parseDecimal(path, fileStart, nameEnd, Long.MAX_VALUE);
            if (msn < 0)
            {
                return numberRejection(msn);
            }

            return keyOf(path, scope, idStart, idEnd, renditionStart, renditionEnd, ContentKind.SEGMENT,
                NONE, msn, (int)NONE);
        }

        final int dash = indexOf(path, fileStart, nameEnd, '-');
        if (dash < 0)
        {
            return PathRejection.WRONG_SEGMENT_FORM;
        }

        final long epoch = parseDecimal(path, fileStart, dash, Long.MAX_VALUE);
        if (epoch < 0)
        {
            return numberRejection(epoch);
        }

        final int dot = indexOf(path, dash + 1, nameEnd, '.');
        final long msn = parseDecimal(path, dash + 1, dot < 0 ? nameEnd : dot, Long.MAX_VALUE);
        if (msn < 0)
        {
            return numberRejection(msn);
        }

        if (dot < 0)
        {
            return keyOf(path, scope, idStart, idEnd, renditionStart, renditionEnd, ContentKind.SEGMENT,
                epoch, msn, (int)NONE);
        }

        final long part = parseDecimal(path, dot + 1, nameEnd, ContentKey.MAX_PART);
        if (BAD_NUMBER == part)
        {
            return PathRejection.BAD_NUMBER;
        }
        if (NUMBER_TOO_LARGE == part)
        {
            return PathRejection.PART_OUT_OF_RANGE;
        }

        return keyOf(path, scope, idStart, idEnd, renditionStart, renditionEnd, ContentKind.PART,
            epoch, msn, (int)part);
    }

    private static ContentKey keyOf(
        final CharSequence path,
        final ContentScope scope,
        final int idStart,
        final int idEnd,
        final int renditionStart,
        final int renditionEnd,
        final ContentKind kind,
        final long epoch,
        final long msn,
        final int part)
    {
        return ContentKey.ofParsed(
            scope,
            substring(path, idStart, idEnd),
            substring(path, renditionStart, renditionEnd),
            kind,
            epoch,
            msn,
            part,
            path.toString());
    }

    private static PathRejection numberRejection(final long parseResult)
    {
        return NUMBER_TOO_LARGE == parseResult ? PathRejection.NUMBER_OVERFLOW : PathRejection.BAD_NUMBER;
    }

    /**
     * Canonical decimal: one or more digits, no sign, no leading zero unless the number is 0.
     *
     * @return the value, {@link #BAD_NUMBER} when not canonical decimal, {@link #NUMBER_TOO_LARGE} when over max.
     */
    private static long parseDecimal(final CharSequence s, final int start, final int end, final long max)
    {
        if (start >= end || ('0' == s.charAt(start) && end - start > 1))
        {
            return BAD_NUMBER;
        }

        long value = 0;
        boolean tooLarge = false;
        for (int i = start; i < end; i++)
        {
            final char c = s.charAt(i);
            if (c < '0' || c > '9')
            {
                return BAD_NUMBER;
            }

            final int digit = c - '0';
            if (!tooLarge)
            {
                if (value > (max - digit) / 10)
                {
                    tooLarge = true;
                }
                else
                {
                    value = value * 10 + digit;
                }
            }
        }

        return tooLarge ? NUMBER_TOO_LARGE : value;
    }

    private static boolean isName(final CharSequence s, final int start, final int end)
    {
        for (int i = start; i < end; i++)
        {
            if (!ContentKey.isNameChar(s.charAt(i)))
            {
                return false;
            }
        }

        return true;
    }

    private static boolean regionEquals(final CharSequence s, final int start, final int end, final String expected)
    {
        final int length = expected.length();
        if (end - start != length)
        {
            return false;
        }

        for (int i = 0; i < length; i++)
        {
            if (s.charAt(start + i) != expected.charAt(i))
            {
                return false;
            }
        }

        return true;
    }

    private static boolean regionEndsWith(final CharSequence s, final int start, final int end, final String suffix)
    {
        return end - start >= suffix.length() && regionEquals(s, end - suffix.length(), end, suffix);
    }

    private static int indexOf(final CharSequence s, final int start, final int end, final char c)
    {
        for (int i = start; i < end; i++)
        {
            if (c == s.charAt(i))
            {
                return i;
            }
        }

        return -1;
    }

    private static String substring(final CharSequence s, final int start, final int end)
    {
        return s.subSequence(start, end).toString();
    }
}
