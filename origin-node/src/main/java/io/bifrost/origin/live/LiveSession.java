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
     * Tell the packager when the stream's samples were captured, so EXT-X-PROGRAM-DATE-TIME (and the DASH availability
     * start) is the capture wall clock, not the moment the first packaged fragment happened to arrive (which would
     * count the producer's start-up, e.g. ffmpeg probing its input, as capture time and put every later PDT in the
     * future). Call before the first bytes. A later call whose estimate is earlier (the producer saw frames that
     * arrived sooner relative to their timestamps) moves the clock back for segments not opened yet: those already
     * announced keep their PROGRAM-DATE-TIME. Later calls with a later estimate are ignored.
     *
     * @param decodeTimeUs a decode time on the producer's output timeline, in microseconds.
     * @param wallClockMs  when the sample at that decode time reached the ingest, epoch milliseconds.
     */
    default void captureClock(final long decodeTimeUs, final long wallClockMs)
    {
    }

    /**
     * The publish ended: finish every track, write the final playlists (EXT-X-ENDLIST) and keep the window for the
     * DVR/recording policy. Idempotent.
     */
    void end();
}
