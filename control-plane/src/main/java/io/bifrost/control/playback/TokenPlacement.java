package io.bifrost.control.playback;

import java.util.Locale;

/**
 * Where an issued playback URL carries its token ({@code token_in} of {@code POST /api/v1/playback-urls}).
 */
public enum TokenPlacement
{
    /**
     * As the leading path segment, {@code {edge}/t/{token}/vod/{id}/master.m3u8} (the default): players resolve the
     * relative URIs in playlists and manifests against the playlist's URL, so every rendition playlist, segment and
     * part keeps the token with no player configuration.
     */
    PATH,

    /**
     * As the {@code token} query parameter, {@code {edge}/vod/{id}/master.m3u8?token=...}: players drop a playlist's
     * query when they resolve relative URIs, so only players that add the token to every request themselves (e.g.
     * hls.js {@code xhrSetup}) play past the first playlist.
     */
    QUERY;

    /** The name on the wire: {@code path} or {@code query}. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    /**
     * @return {@code path} or {@code query}.
     */
    public String wireName()
    {
        return wireName;
    }

    /**
     * @param text what a request sent.
     * @return the placement it names, or null for anything else.
     */
    public static TokenPlacement fromWireName(final String text)
    {
        for (final TokenPlacement placement : values())
        {
            if (placement.wireName.equals(text))
            {
                return placement;
            }
        }
        return null;
    }
}
