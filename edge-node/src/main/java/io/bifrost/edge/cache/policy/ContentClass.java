package io.bifrost.edge.cache.policy;

import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKind;

/**
 * What a cached object is, as far as eviction and admission care: live media is wanted by every viewer of the window
 * for a few seconds and then by nobody, VOD media is wanted by sessions walking a title, manifests and init segments
 * are small and requested at every session start (live playlists at every reload).
 */
public enum ContentClass
{
    /**
     * A manifest: HLS master/media playlist or DASH MPD, live or VOD (a few KiB).
     */
    PLAYLIST,

    /**
     * A CMAF initialisation segment, live or VOD (a few KiB, requested once per session).
     */
    INIT,

    /**
     * An LL-HLS partial segment of a live stream (about 100-500 KiB).
     */
    LIVE_PART,

    /**
     * A complete live media segment.
     */
    LIVE_SEGMENT,

    /**
     * A VOD media segment (about 0.3-2 MiB), requested by sessions that walk the title in order.
     */
    VOD_SEGMENT;

    private static final ContentClass[] VALUES = values();

    /**
     * @param ordinal an {@link #ordinal()} value.
     * @return the class with that ordinal, without allocating the array {@link #values()} returns.
     */
    public static ContentClass fromOrdinal(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * @return true for media of a live stream (parts and segments).
     */
    public boolean isLiveMedia()
    {
        return LIVE_PART == this || LIVE_SEGMENT == this;
    }

    /**
     * Classifies a parsed path; allocation-free.
     *
     * @param key the parsed content path.
     * @return its class.
     */
    public static ContentClass of(final ContentKey key)
    {
        final ContentKind kind = key.kind();
        if (kind.isPlaylist())
        {
            return PLAYLIST;
        }
        return switch (kind)
        {
            // Per-title static files behave like init segments: small, fetched by every viewer, never changing.
            case INIT, POSTER, SPRITE, THUMBNAIL_TRACK, PREVIEW, SUBTITLES -> INIT;
            case PART -> LIVE_PART;
            case SEGMENT -> key.isLive() ? LIVE_SEGMENT : VOD_SEGMENT;
            default -> PLAYLIST;
        };
    }
}
