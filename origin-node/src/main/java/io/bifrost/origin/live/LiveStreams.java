package io.bifrost.origin.live;

import java.util.List;

/**
 * Where live producers open sessions: the origin's packager. Thread-safe.
 */
public interface LiveStreams
{
    /**
     * @param streamId the authorized stream id, {@code [A-Za-z0-9_-]{1,64}}.
     * @param tracks   the renditions the producer will write, at least one video.
     * @return the open session; a previous session of the same stream is ended first.
     * @throws IllegalArgumentException for a bad stream id, rendition name or track list.
     */
    LiveSession open(String streamId, List<LiveTrack> tracks);
}
