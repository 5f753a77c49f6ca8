package io.bifrost.edge.player;

/**
 * One QoE report from the reference player: what happened since its previous beacon (deltas, so the edge can add them
 * up without knowing sessions), plus the startup time once per playback session.
 *
 * @param contentId    the VOD video id or live stream id played ({@code [A-Za-z0-9_-]}, 1 to 64 characters).
 * @param live         true for {@code /live/}, false for {@code /vod/}.
 * @param session      the player's random session id (hex), for log correlation only; never a metrics tag.
 * @param sequence     the beacon's number within the session, from 0.
 * @param startupMs    play requested to first frame, in ms, or -1 when this beacon does not carry it.
 * @param rebuffers    stalls after startup since the previous beacon.
 * @param rebufferMs   time spent stalled since the previous beacon, in ms.
 * @param switchesUp   level switches to a higher bitrate since the previous beacon.
 * @param switchesDown level switches to a lower bitrate since the previous beacon.
 * @param playedMs     media time played since the previous beacon, in ms.
 * @param bitrateBps   the played level's bitrate averaged over {@code playedMs} (0 when nothing played).
 */
public record QoeBeacon(
    String contentId,
    boolean live,
    String session,
    long sequence,
    long startupMs,
    int rebuffers,
    long rebufferMs,
    int switchesUp,
    int switchesDown,
    long playedMs,
    long bitrateBps) implements BeaconParse
{
}
