package io.bifrost.protocol.naming;

/**
 * Test helper: rebuilds a key through the public factory methods, so a parsed key's path can be checked against the
 * formatter rather than against the parser's own copy of its input.
 */
final class ContentKeys
{
    private ContentKeys()
    {
    }

    static ContentKey rebuild(final ContentKey key)
    {
        return switch (key.kind())
        {
            case MASTER_PLAYLIST -> ContentKey.masterPlaylist(key.scope(), key.id());
            case MPD -> ContentKey.mpd(key.scope(), key.id());
            case MEDIA_PLAYLIST -> ContentKey.mediaPlaylist(key.scope(), key.id(), key.rendition());
            case INIT -> ContentKey.init(key.scope(), key.id(), key.rendition());
            case SEGMENT -> key.isLive() ?
                ContentKey.liveSegment(key.id(), key.rendition(), key.epoch(), key.msn()) :
                ContentKey.vodSegment(key.id(), key.rendition(), key.msn());
            case PART -> ContentKey.livePart(key.id(), key.rendition(), key.epoch(), key.msn(), key.part());
            case POSTER, SPRITE, THUMBNAIL_TRACK, PREVIEW, SUBTITLES ->
                ContentKey.renditionFile(key.scope(), key.id(), key.rendition(), key.kind());
        };
    }
}
