package io.bifrost.control.playback;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A validated request for a signed playback URL.
 *
 * @param contentId  live/{id} or vod/{id}.
 * @param path       the path to play, under the content's folder (its master playlist by default).
 * @param ttlSeconds how long the URL stays valid, within the issuer's bounds.
 * @param region     the viewer's region for steering, or null.
 * @param clientIp   the only viewer address the token accepts, or null for any.
 * @param tokenIn    where the URL carries the token.
 */
public record PlaybackUrlRequest(
    String contentId, String path, long ttlSeconds, String region, InetAddress clientIp, TokenPlacement tokenIn)
{
    public PlaybackUrlRequest
    {
        Objects.requireNonNull(contentId, "contentId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(tokenIn, "tokenIn");
    }

    /**
     * @return the folder the token covers: {@code /{contentId}/}, so the master playlist, every rendition's playlist,
     * init segment, segment and part of the content, and nothing of another content.
     */
    public String pathPrefix()
    {
        return "/" + contentId + "/";
    }
}
