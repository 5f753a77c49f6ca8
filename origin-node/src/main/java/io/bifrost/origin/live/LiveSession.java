package io.bifrost.origin.live;

/**
 * One publish of one live stream at the packager: its renditions' inputs. A new session (a re-publish, or a
 * restarted origin) gets a new epoch, so its names never collide with names a cache still holds.
 */
public interface LiveSession
{
    /**
     * @return the epoch that names this session's parts and segments.
     */
    long epoch();

    /**
     * @param rendition a rendition announced when the session was opened.
     * @return where its fragmented MP4 goes.
     * @throws IllegalArgumentException for a rendition not announced.
     */
    CmafTrackSink track(String rendition);

    /**
     * The publish ended: finish every track, write the final playlists (EXT-X-ENDLIST) and keep the window for the
     * DVR/recording policy. Idempotent.
     */
    void end();
}
