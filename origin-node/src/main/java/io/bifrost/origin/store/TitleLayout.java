package io.bifrost.origin.store;

import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKind;
import io.bifrost.protocol.naming.ContentScope;
import io.bifrost.transcoder.encode.TranscodeCommand;
import io.bifrost.transcoder.job.VodTranscoder;
import io.bifrost.transcoder.packaging.VodPackager;
import io.bifrost.transcoder.thumbnail.ThumbnailCommand;

import java.nio.charset.StandardCharsets;

/**
 * The one place where the file names a published title folder holds (what {@code VodTranscoder} and
 * {@code VodPackager} write) meet the URL layout of DESIGN.md section 3 ({@link ContentKey}):
 * <pre>
 * master.m3u8, manifest.mpd                      -> /vod/{id}/master.m3u8, /vod/{id}/manifest.mpd
 * {rendition}/index.m3u8, init.mp4, {n}.m4s      -> /vod/{id}/{rendition}/index.m3u8, init.mp4, {n}.m4s
 * thumbnails/poster.jpg, sprite.jpg, sprite.vtt, preview.mp4 -> /vod/{id}/thumbnails/...
 * </pre>
 * Today the names match one to one; if the transcoder's names ever change, only this class changes. It also decides
 * which column family holds a key (manifests, or segments for media and thumbnails) and the key prefix of a title.
 * Stateless and thread-safe.
 */
public final class TitleLayout
{
    /** Rendition folder of the thumbnails. */
    public static final String THUMBNAILS = VodTranscoder.THUMBNAILS;
    /** Suffix of the kept transcoder copy of a manifest that captions rewrite. */
    public static final String BASE_SUFFIX = "#base";
    private static final String SEGMENT_EXTENSION = ".m4s";

    private TitleLayout()
    {
    }

    /**
     * @param videoId  the title id.
     * @param relative a file path inside the title folder, '/'-separated.
     * @return the content key it is served under, or null when the file is not part of the served layout.
     */
    public static ContentKey keyOf(final String videoId, final String relative)
    {
        final int slash = relative.indexOf('/');
        if (slash < 0)
        {
            return switch (relative)
            {
                case VodPackager.MASTER_PLAYLIST -> ContentKey.masterPlaylist(ContentScope.VOD, videoId);
                case VodPackager.DASH_MANIFEST -> ContentKey.mpd(ContentScope.VOD, videoId);
                default -> null;
            };
        }
        final String folder = relative.substring(0, slash);
        final String file = relative.substring(slash + 1);
        if (file.indexOf('/') >= 0 || !isName(folder))
        {
            return null;
        }
        if (THUMBNAILS.equals(folder))
        {
            final ContentKind kind = switch (file)
            {
                case ThumbnailCommand.POSTER -> ContentKind.POSTER;
                case ThumbnailCommand.SPRITE -> ContentKind.SPRITE;
                case ThumbnailCommand.SPRITE_VTT -> ContentKind.THUMBNAIL_TRACK;
                case ThumbnailCommand.PREVIEW -> ContentKind.PREVIEW;
                default -> null;
            };
            return kind == null ? null : ContentKey.renditionFile(ContentScope.VOD, videoId, folder, kind);
        }
        if (TranscodeCommand.MEDIA_PLAYLIST.equals(file))
        {
            return ContentKey.mediaPlaylist(ContentScope.VOD, videoId, folder);
        }
        if (TranscodeCommand.INIT_SEGMENT.equals(file))
        {
            return ContentKey.init(ContentScope.VOD, videoId, folder);
        }
        if (file.endsWith(SEGMENT_EXTENSION))
        {
            final long number = segmentNumber(file, file.length() - SEGMENT_EXTENSION.length());
            return number < 0 ? null : ContentKey.vodSegment(videoId, folder, number);
        }
        return null;
    }

    /**
     * @param path a content path, or the {@link #BASE_SUFFIX} copy of a manifest's.
     * @return true when the path lives in the manifests column family (playlists, MPD), false for the segments one.
     */
    public static boolean isManifestPath(final String path)
    {
        final String served = path.endsWith(BASE_SUFFIX) ? path.substring(0, path.length() - BASE_SUFFIX.length()) : path;
        return served.endsWith(".m3u8") || served.endsWith(".mpd");
    }

    /**
     * @param key a served manifest (master playlist or MPD).
     * @return the key of the copy as the transcoder wrote it, kept so captions can be added to it again; no request
     * path can name it ({@code #} never passes {@code ContentKeyParser}).
     */
    public static String basePath(final ContentKey key)
    {
        return key.path() + BASE_SUFFIX;
    }

    /**
     * @param videoId a title id.
     * @return the first key of the title's range: every key of the title starts with it.
     */
    public static byte[] titleStart(final String videoId)
    {
        return ("/vod/" + videoId + "/").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param videoId a title id.
     * @return the end (exclusive) of the title's key range: the prefix with its last '/' raised to '0'.
     */
    public static byte[] titleEnd(final String videoId)
    {
        return ("/vod/" + videoId + "0").getBytes(StandardCharsets.UTF_8);
    }

    private static long segmentNumber(final String file, final int end)
    {
        if (end == 0 || end > 18 || (file.charAt(0) == '0' && end > 1))
        {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < end; i++)
        {
            final char c = file.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isName(final String s)
    {
        if (s.isEmpty() || s.length() > ContentKey.MAX_RENDITION_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            {
                return false;
            }
        }
        return true;
    }
}
