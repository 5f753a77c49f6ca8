package io.bifrost.origin.http;

import io.bifrost.protocol.naming.ContentKey;

/**
 * Content-Type and Cache-Control of each kind of content the origin serves.
 */
final class ContentTypes
{
    /** RFC 8216 section 4: HLS playlists. */
    static final String HLS_PLAYLIST = "application/vnd.apple.mpegurl";
    /** ISO/IEC 23009-1 annex C: DASH MPD. */
    static final String DASH_MPD = "application/dash+xml";
    /** RFC 4337 / CMAF: fragmented MP4 media segments. */
    static final String MEDIA_SEGMENT = "video/iso.segment";
    /** ISO BMFF initialisation segments and preview clips. */
    static final String MP4 = "video/mp4";
    /** Posters and sprite sheets. */
    static final String JPEG = "image/jpeg";
    /** W3C WebVTT: subtitles and thumbnail tracks. */
    static final String WEBVTT = "text/vtt; charset=utf-8";

    /** Media never changes under its name once published. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** Manifests and subtitles change when captions are added or replaced. */
    static final String SHORT = "public, max-age=60";

    private ContentTypes()
    {
    }

    static String of(final ContentKey key)
    {
        return switch (key.kind())
        {
            case MASTER_PLAYLIST, MEDIA_PLAYLIST -> HLS_PLAYLIST;
            case MPD -> DASH_MPD;
            case SEGMENT, PART -> MEDIA_SEGMENT;
            case INIT, PREVIEW -> MP4;
            case POSTER, SPRITE -> JPEG;
            case THUMBNAIL_TRACK, SUBTITLES -> WEBVTT;
        };
    }

    static String cacheControl(final ContentKey key)
    {
        return switch (key.kind())
        {
            case MASTER_PLAYLIST, MEDIA_PLAYLIST, MPD, SUBTITLES -> SHORT;
            default -> IMMUTABLE;
        };
    }
}
