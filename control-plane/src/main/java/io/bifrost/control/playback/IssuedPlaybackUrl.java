package io.bifrost.control.playback;

/**
 * A signed playback URL as {@code POST /api/v1/playback-urls} answers it (snake_case on the wire).
 *
 * @param url        the URL to play: the steered edge (or the public playback URL) + {@code /t/{token}} + path, or
 *                   + path + {@code ?token=} (see {@code tokenIn}).
 * @param expiresAt  ISO-8601 instant from which the edge refuses the token.
 * @param kid        the id of the key that signed it.
 * @param token      the token alone, for players that add it to every request themselves.
 * @param pathPrefix what the token covers: every path under it.
 * @param edgeId     the edge steering chose, or null when no edge was up and the public playback URL was used.
 * @param contentId  the content.
 * @param tokenIn    where {@code url} carries the token: {@code path} or {@code query}.
 */
public record IssuedPlaybackUrl(
    String url,
    String expiresAt,
    String kid,
    String token,
    String pathPrefix,
    String edgeId,
    String contentId,
    String tokenIn)
{
}
