package io.bifrost.protocol.naming;

/**
 * What a content path names, which decides its file name and whether it carries a rendition and numbers.
 */
public enum ContentKind
{
    /**
     * HLS multivariant playlist, {@code {scope}/{id}/master.m3u8}.
     */
    MASTER_PLAYLIST("master.m3u8", false, true),

    /**
     * DASH manifest, {@code {scope}/{id}/manifest.mpd}.
     */
    MPD("manifest.mpd", false, true),

    /**
     * HLS media playlist of one rendition, {@code {scope}/{id}/{rendition}/index.m3u8}.
     */
    MEDIA_PLAYLIST("index.m3u8", true, true),

    /**
     * CMAF initialisation segment of one rendition, {@code {scope}/{id}/{rendition}/init.mp4}.
     */
    INIT("init.mp4", true, false),

    /**
     * Media segment: {@code {epoch}-{msn}.m4s} live, {@code {msn}.m4s} VOD.
     */
    SEGMENT(null, true, false),

    /**
     * Live partial segment (LL-HLS part), {@code {epoch}-{msn}.{part}.m4s}; VOD has none.
     */
    PART(null, true, false),

    /**
     * Poster image, {@code {scope}/{id}/thumbnails/poster.jpg} (the transcoder writes it under {@code thumbnails/}).
     */
    POSTER("poster.jpg", true, false),

    /**
     * Thumbnail sprite sheet for scrubbing, {@code {scope}/{id}/thumbnails/sprite.jpg}.
     */
    SPRITE("sprite.jpg", true, false),

    /**
     * WebVTT track pointing into the sprite sheet ({@code sprite.jpg#xywh=...}), {@code .../thumbnails/sprite.vtt}.
     */
    THUMBNAIL_TRACK("sprite.vtt", true, false),

    /**
     * Short preview clip, {@code {scope}/{id}/thumbnails/preview.mp4}.
     */
    PREVIEW("preview.mp4", true, false),

    /**
     * WebVTT subtitles of one language rendition, {@code {scope}/{id}/{rendition}/subtitles.vtt} (e.g. {@code sub-en}).
     */
    SUBTITLES("subtitles.vtt", true, false);

    /** Kinds named by a fixed file name inside a rendition folder, in match order. */
    static final ContentKind[] RENDITION_FILES = {MEDIA_PLAYLIST, INIT, POSTER, SPRITE, THUMBNAIL_TRACK, PREVIEW, SUBTITLES};

    private final String fileName;
    private final boolean hasRendition;
    private final boolean isPlaylist;

    ContentKind(final String fileName, final boolean hasRendition, final boolean isPlaylist)
    {
        this.fileName = fileName;
        this.hasRendition = hasRendition;
        this.isPlaylist = isPlaylist;
    }

    /**
     * @return the fixed file name of this kind, or null for segments and parts whose name is made of numbers.
     */
    public String fileName()
    {
        return fileName;
    }

    /**
     * @return true when paths of this kind have a rendition segment.
     */
    public boolean hasRendition()
    {
        return hasRendition;
    }

    /**
     * @return true for manifests (HLS playlists and the DASH MPD), which change while a live stream runs; false for
     * media files, which never change once published under their name.
     */
    public boolean isPlaylist()
    {
        return isPlaylist;
    }
}
