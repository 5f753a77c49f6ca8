package io.bifrost.perf.transcode;

import io.bifrost.origin.live.CmafTrackSink;
import io.bifrost.origin.live.LiveSession;
import io.bifrost.origin.live.LiveStreams;
import io.bifrost.origin.live.LiveTrack;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live comparison's packager: counts the bytes each rendition's producer writes and tells when a stream's session
 * ended, and keeps nothing else (a real packager's work would be the same in both modes). Thread-safe: producers call
 * from their own threads, the comparison waits on this object's monitor.
 */
final class LiveScalingStreams implements LiveStreams
{
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    @Override
    public LiveSession open(final String streamId, final List<LiveTrack> tracks)
    {
        final Session session = new Session(this, tracks);
        final Session previous = sessions.put(streamId, session);
        if (null != previous)
        {
            previous.end();
        }
        return session;
    }

    /**
     * @param streamId a stream id.
     * @return whether its latest session ended.
     */
    boolean ended(final String streamId)
    {
        final Session session = sessions.get(streamId);
        return null != session && session.ended;
    }

    /**
     * @param streamId a stream id.
     * @return bytes written per announced rendition, in announcement order; empty when no session was opened.
     */
    Map<String, Long> bytesByRendition(final String streamId)
    {
        final Session session = sessions.get(streamId);
        final Map<String, Long> bytes = new LinkedHashMap<>();
        if (null != session)
        {
            session.tracks.forEach((rendition, track) -> bytes.put(rendition, track.bytes.get()));
        }
        return bytes;
    }

    /**
     * @param streamId a stream id.
     * @return the renditions its session announced, in order.
     */
    List<LiveTrack> tracks(final String streamId)
    {
        final Session session = sessions.get(streamId);
        return null == session ? List.of() : session.announced;
    }

    /**
     * Wait on this object's monitor until a session ends or the timeout passes, whichever is first.
     *
     * @param timeoutMs the longest wait.
     * @throws InterruptedException when interrupted.
     */
    synchronized void awaitChange(final long timeoutMs) throws InterruptedException
    {
        wait(timeoutMs);
    }

    private synchronized void onEnded()
    {
        notifyAll();
    }

    private static final class Session implements LiveSession
    {
        private final LiveScalingStreams owner;
        private final List<LiveTrack> announced;
        private final Map<String, Track> tracks = new LinkedHashMap<>();
        private volatile boolean ended;

        Session(final LiveScalingStreams owner, final List<LiveTrack> announced)
        {
            this.owner = owner;
            this.announced = List.copyOf(announced);
            for (final LiveTrack track : announced)
            {
                tracks.put(track.rendition(), new Track());
            }
        }

        @Override
        public long epoch()
        {
            return 1;
        }

        @Override
        public CmafTrackSink track(final String rendition)
        {
            final Track track = tracks.get(rendition);
            if (null == track)
            {
                throw new IllegalArgumentException("rendition " + rendition + " was not announced");
            }
            return track;
        }

        @Override
        public void end()
        {
            ended = true;
            owner.onEnded();
        }
    }

    private static final class Track implements CmafTrackSink
    {
        private final AtomicLong bytes = new AtomicLong();

        @Override
        public void accept(final ByteBuffer chunk)
        {
            bytes.addAndGet(chunk.remaining());
            chunk.position(chunk.limit());
        }

        @Override
        public void end()
        {
        }
    }
}
