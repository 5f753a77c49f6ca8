package io.bifrost.protocol.naming;

import java.util.Objects;

/**
 * The name of one piece of content, as served identically by origin and edges (DESIGN.md section 3):
 * <pre>
 * /{scope}/{id}/master.m3u8                          MASTER_PLAYLIST
 * /{scope}/{id}/manifest.mpd                         MPD
 * /{scope}/{id}/{rendition}/index.m3u8               MEDIA_PLAYLIST
 * /{scope}/{id}/{rendition}/init.mp4                 INIT
 * /live/{streamId}/{rendition}/{epoch}-{msn}.m4s     SEGMENT (live)
 * /live/{streamId}/{rendition}/{epoch}-{msn}.{part}.m4s  PART (live only)
 * /vod/{videoId}/{rendition}/{msn}.m4s               SEGMENT (VOD)
 * </pre>
 * The epoch is a per-origin-session number, so a restarted origin never reuses a name that a cache still holds.
 * <p>
 * Ids and renditions are {@code [A-Za-z0-9_-]}, 1..{@value #MAX_ID_LENGTH} and 1..{@value #MAX_RENDITION_LENGTH}
 * characters; epoch and msn are non-negative longs; part is 0..{@value #MAX_PART}. Fields a kind does not have are
 * {@link #NONE} (numbers) or null (rendition). Every key has exactly one canonical {@link #path()}, and
 * {@link ContentKeyParser} accepts exactly the canonical paths, so the path is usable as a cache key.
 * <p>
 * Immutable and thread-safe. Factory methods validate their arguments and throw {@link IllegalArgumentException}
 * (they are for producers such as the packager, not for request input: use {@link ContentKeyParser} for that).
 */
public final class ContentKey implements PathParseResult
{
    /**
     * Value of {@link #epoch()}, {@link #msn()} and {@link #part()} when the kind has no such number.
     */
    public static final long NONE = -1;

    /**
     * Longest stream or video id, in characters.
     */
    public static final int MAX_ID_LENGTH = 64;

    /**
     * Longest rendition name, in characters.
     */
    public static final int MAX_RENDITION_LENGTH = 32;

    /**
     * Largest part number within one segment.
     */
    public static final int MAX_PART = 9_999;

    private final ContentScope scope;
    private final String id;
    private final String rendition;
    private final ContentKind kind;
    private final long epoch;
    private final long msn;
    private final int part;
    private final String path;

    private ContentKey(
        final ContentScope scope,
        final String id,
        final String rendition,
        final ContentKind kind,
        final long epoch,
        final long msn,
        final int part,
        final String path)
    {
        this.scope = scope;
        this.id = id;
        this.rendition = rendition;
        this.kind = kind;
        this.epoch = epoch;
        this.msn = msn;
        this.part = part;
        this.path = null != path ? path : formatPath(scope, id, rendition, kind, epoch, msn, part);
    }

    /**
     * Used by {@link ContentKeyParser} once every field has been checked; {@code path} is the canonical input.
     */
    static ContentKey ofParsed(
        final ContentScope scope,
        final String id,
        final String rendition,
        final ContentKind kind,
        final long epoch,
        final long msn,
        final int part,
        final String path)
    {
        return new ContentKey(scope, id, rendition, kind, epoch, msn, part, path);
    }

    /**
     * @param scope live or VOD.
     * @param id    stream or video id.
     * @return the key of {@code /{scope}/{id}/master.m3u8}.
     * @throws IllegalArgumentException when an argument is invalid.
     */
    public static ContentKey masterPlaylist(final ContentScope scope, final String id)
    {
        return new ContentKey(
            requireScope(scope), requireId(id), null, ContentKind.MASTER_PLAYLIST, NONE, NONE, (int)NONE, null);
    }

    /**
     * @param scope live or VOD.
     * @param id    stream or video id.
     * @return the key of {@code /{scope}/{id}/manifest.mpd}.
     * @throws IllegalArgumentException when an argument is invalid.
     */
    public static ContentKey mpd(final ContentScope scope, final String id)
    {
        return new ContentKey(requireScope(scope), requireId(id), null, ContentKind.MPD, NONE, NONE, (int)NONE, null);
    }

    /**
     * @param scope     live or VOD.
     * @param id        stream or video id.
     * @param rendition rendition name, e.g. {@code 720p}.
     * @return the key of {@code /{scope}/{id}/{rendition}/index.m3u8}.
     * @throws IllegalArgumentException when an argument is invalid.
     */
    public static ContentKey mediaPlaylist(final ContentScope scope, final String id, final String rendition)
    {
        return new ContentKey(
            requireScope(scope),
            requireId(id),
            requireRendition(rendition),
            ContentKind.MEDIA_PLAYLIST,
            NONE,
            NONE,
            (int)NONE,
            null);
    }

    /**
     * @param scope     live or VOD.
     * @param id        stream or video id.
     * @param rendition rendition (folder) name, e.g. {@code 720p}, {@code thumbnails}, {@code sub-en}.
     * @param kind      a kind named by a fixed file name: media playlist, init, poster, sprite, thumbnail track,
     *                  preview or subtitles.
     * @return the key of {@code /{scope}/{id}/{rendition}/{kind.fileName()}}.
     * @throws IllegalArgumentException when an argument is invalid or the kind has no fixed name.
     */
    public static ContentKey renditionFile(
        final ContentScope scope, final String id, final String rendition, final ContentKind kind)
    {
        boolean fixedName = false;
        for (final ContentKind candidate : ContentKind.RENDITION_FILES)
        {
            fixedName |= candidate == kind;
        }
        if (!fixedName)
        {
            throw new IllegalArgumentException(kind + " is not a fixed-name file of a rendition folder");
        }
        return new ContentKey(requireScope(scope), requireId(id), requireRendition(rendition), kind, NONE, NONE,
            (int)NONE, null);
    }

    /**
     * @param scope     live or VOD.
     * @param id        stream or video id.
     * @param rendition rendition name.
     * @return the key of {@code /{scope}/{id}/{rendition}/init.mp4}.
     * @throws IllegalArgumentException when an argument is invalid.
     */
    public static ContentKey init(final ContentScope scope, final String id, final String rendition)
    {
        return new ContentKey(
            requireScope(scope),
            requireId(id),
            requireRendition(rendition),
            ContentKind.INIT,
            NONE,
            NONE,
            (int)NONE,
            null);
    }

    /**
     * @param streamId  live stream id.
     * @param rendition rendition name.
     * @param epoch     origin session epoch, &gt;= 0.
     * @param msn       media sequence number, &gt;= 0.
     * @return the key of {@code /live/{streamId}/{rendition}/{epoch}-{msn}.m4s}.
     * @throws IllegalArgumentException when an argument is invalid.
     */
    public static ContentKey liveSegment(
        final String streamId, final String rendition, final long epoch, final long msn)
    {
        return new ContentKey(
            ContentScope.LIVE,
            requireId(streamId),
            requireRendition(rendition),
            ContentKind.SEGMENT,
            requireNonNegative("epoch", epoch),
            requireNonNegative("msn", msn),
            (int)NONE,
            null);
    }

    /**
     * @param streamId  live stream id.
     * @param rendition rendition name.
     * @param epoch     origin session epoch, &gt;= 0.
     * @param msn       media sequence number of the segment the part belongs to, &gt;= 0.
     * @param part      part index within the segment, 0..{@value #MAX_PART}.
     * @return the key of {@code /live/{streamId}/{rendition}/{epoch}-{msn}.{part}.m4s}.
     * @throws IllegalArgumentException when an argument is invalid.
     */
    public static ContentKey livePart(
        final String streamId, final String rendition, final long epoch, final long msn, final int part)
    {
        if (part < 0 || part > MAX_PART)
        {
            throw new IllegalArgumentException("part must be between 0 and " + MAX_PART + ", got " + part);
        }

        return new ContentKey(
            ContentScope.LIVE,
            requireId(streamId),
            requireRendition(rendition),
            ContentKind.PART,
            requireNonNegative("epoch", epoch),
            requireNonNegative("msn", msn),
            part,
            null);
    }

    /**
     * @param videoId   VOD video id.
     * @param rendition rendition name.
     * @param msn       segment number, &gt;= 0.
     * @return the key of {@code /vod/{videoId}/{rendition}/{msn}.m4s}.
     * @throws IllegalArgumentException when an argument is invalid.
     */
    public static ContentKey vodSegment(final String videoId, final String rendition, final long msn)
    {
        return new ContentKey(
            ContentScope.VOD,
            requireId(videoId),
            requireRendition(rendition),
            ContentKind.SEGMENT,
            NONE,
            requireNonNegative("msn", msn),
            (int)NONE,
            null);
    }

    /**
     * @return live or VOD.
     */
    public ContentScope scope()
    {
        return scope;
    }

    /**
     * @return the stream id (live) or video id (VOD).
     */
    public String id()
    {
        return id;
    }

    /**
     * @return the rendition, or null for {@link ContentKind#MASTER_PLAYLIST} and {@link ContentKind#MPD}.
     */
    public String rendition()
    {
        return rendition;
    }

    /**
     * @return what the path names.
     */
    public ContentKind kind()
    {
        return kind;
    }

    /**
     * @return the origin session epoch of a live segment or part, else {@link #NONE}.
     */
    public long epoch()
    {
        return epoch;
    }

    /**
     * @return the media sequence number of a segment or part, else {@link #NONE}.
     */
    public long msn()
    {
        return msn;
    }

    /**
     * @return the part index of a {@link ContentKind#PART}, else {@link #NONE}.
     */
    public int part()
    {
        return part;
    }

    /**
     * @return true for live content.
     */
    public boolean isLive()
    {
        return ContentScope.LIVE == scope;
    }

    /**
     * @return true for manifests (master/media playlist, MPD), which change while a live stream runs.
     */
    public boolean isPlaylist()
    {
        return kind.isPlaylist();
    }

    /**
     * @return the content id used in telemetry and the control plane, {@code {scope}/{id}}, e.g. {@code live/cam1}.
     */
    public String contentId()
    {
        return scope.pathSegment() + '/' + id;
    }

    /**
     * @return the canonical path, e.g. {@code /live/cam1/720p/3-42.5.m4s}; computed once, so cheap as a cache key.
     */
    public String path()
    {
        return path;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }

        if (!(o instanceof ContentKey))
        {
            return false;
        }

        final ContentKey that = (ContentKey)o;
        return scope == that.scope &&
            kind == that.kind &&
            epoch == that.epoch &&
            msn == that.msn &&
            part == that.part &&
            id.equals(that.id) &&
            Objects.equals(rendition, that.rendition);
    }

    @Override
    public int hashCode()
    {
        return path.hashCode();
    }

    @Override
    public String toString()
    {
        return "ContentKey{" + kind + " " + path + "}";
    }

    /**
     * @param c a character.
     * @return true when {@code c} may appear in an id or rendition: {@code [A-Za-z0-9_-]}.
     */
    static boolean isNameChar(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static String formatPath(
        final ContentScope scope,
        final String id,
        final String rendition,
        final ContentKind kind,
        final long epoch,
        final long msn,
        final int part)
    {
        final StringBuilder sb = new StringBuilder(64)
            .append('/').append(scope.pathSegment())
            .append('/').append(id)
            .append('/');

        if (null != rendition)
        {
            sb.append(rendition).append('/');
        }

        if (null != kind.fileName())
        {
            sb.append(kind.fileName());
        }
        else
        {
            if (NONE != epoch)
            {
                sb.append(epoch).append('-');
            }
            sb.append(msn);
            if (NONE != part)
            {
                sb.append('.').append(part);
            }
            sb.append(".m4s");
        }

        return sb.toString();
    }

    private static ContentScope requireScope(final ContentScope scope)
    {
        if (null == scope)
        {
            throw new IllegalArgumentException("scope must not be null");
        }
        return scope;
    }

    private static String requireId(final String id)
    {
        requireName("id", id, MAX_ID_LENGTH);
        return id;
    }

    private static String requireRendition(final String rendition)
    {
        requireName("rendition", rendition, MAX_RENDITION_LENGTH);
        return rendition;
    }

    private static void requireName(final String what, final String name, final int maxLength)
    {
        if (null == name || name.isEmpty() || name.length() > maxLength)
        {
            throw new IllegalArgumentException(
                what + " must be 1.." + maxLength + " characters of [A-Za-z0-9_-], got " + quote(name));
        }

        for (int i = 0, length = name.length(); i < length; i++)
        {
            if (!isNameChar(name.charAt(i)))
            {
                throw new IllegalArgumentException(
                    what + " must be 1.." + maxLength + " characters of [A-Za-z0-9_-], got " + quote(name));
            }
        }
    }

    private static long requireNonNegative(final String what, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(what + " must be >= 0, got " + value);
        }
        return value;
    }

    private static String quote(final String s)
    {
        return null == s ? "null" : '"' + s + '"';
    }
}
