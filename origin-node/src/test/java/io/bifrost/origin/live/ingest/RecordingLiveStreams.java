package io.bifrost.origin.live.ingest;

import io.bifrost.origin.live.CmafTrackSink;
import io.bifrost.origin.live.LiveSession;
import io.bifrost.origin.live.LiveStreams;
import io.bifrost.origin.live.LiveTrack;
import io.bifrost.origin.live.TrackKind;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test packager: records each session's announced tracks and every byte each rendition's producer wrote, checks the
 * sink contract (accept before end, end exactly once, no unannounced rendition), and nothing else. The bytes are
 * then proved with ffprobe by the tests. Thread-safe.
 */
public final class RecordingLiveStreams implements LiveStreams
{
    private final List<Session> sessions = new CopyOnWriteArrayList<>();

    @Override
    public LiveSession open(final String streamId, final List<LiveTrack> tracks)
    {
        if (tracks.stream().noneMatch(track -> TrackKind.VIDEO == track.kind()))
        {
            throw new IllegalArgumentException("at least one video track");
        }
        for (final Session session : sessions)
        {
            if (session.streamId.equals(streamId))
            {
                session.end();
            }
        }
        final Session session = new Session(streamId, tracks, sessions.size() + 1);
        sessions.add(session);
        return session;
    }

    /**
     * @return every session opened, oldest first.
     */
    public List<Session> sessions()
    {
        return sessions;
    }

    /**
     * @return the only session.
     */
    public Session only()
    {
        if (1 != sessions.size())
        {
            throw new AssertionError("expected one session, got " + sessions.size());
        }
        return sessions.get(0);
    }

    /** One recorded session. */
    public static final class Session implements LiveSession
    {
        private final String streamId;
        private final List<LiveTrack> tracks;
        private final long epoch;
        private final Map<String, Track> byRendition = new LinkedHashMap<>();
        private final AtomicBoolean ended = new AtomicBoolean();

        Session(final String streamId, final List<LiveTrack> tracks, final long epoch)
        {
            this.streamId = streamId;
            this.tracks = List.copyOf(tracks);
            this.epoch = epoch;
            for (final LiveTrack track : tracks)
            {
                byRendition.put(track.rendition(), new Track());
            }
        }

        @Override
        public long epoch()
        {
            return epoch;
        }

        @Override
        public CmafTrackSink track(final String rendition)
        {
            final Track track = byRendition.get(rendition);
            if (null == track)
            {
                throw new IllegalArgumentException("rendition " + rendition + " was not announced");
            }
            return track;
        }

        @Override
        public void end()
        {
            ended.set(true);
        }

        /** @return whether the session ended. */
        public boolean ended()
        {
            return ended.get();
        }

        /** @return the stream id. */
        public String streamId()
        {
            return streamId;
        }

        /** @return the announced tracks. */
        public List<LiveTrack> tracks()
        {
            return tracks;
        }

        /** @return the announced rendition names, in order. */
        public List<String> renditions()
        {
            return new ArrayList<>(byRendition.keySet());
        }

        /**
         * @param rendition a rendition.
         * @return its recorded track.
         */
        public Track recorded(final String rendition)
        {
            return byRendition.get(rendition);
        }
    }

    /** One rendition's bytes. */
    public static final class Track implements CmafTrackSink
    {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile String violation;
        private int chunks;

        @Override
        public synchronized void accept(final ByteBuffer chunk)
        {
            if (ended.get())
            {
                violation = "accept after end";
            }
            final byte[] copy = new byte[chunk.remaining()];
            chunk.get(copy);
            bytes.writeBytes(copy);
            chunks++;
        }

        @Override
        public void end()
        {
            if (!ended.compareAndSet(false, true))
            {
                violation = "end called twice";
            }
        }

        /** @return everything written so far. */
        public synchronized byte[] bytes()
        {
            return bytes.toByteArray();
        }

        /** @return the number of accept calls. */
        public synchronized int chunks()
        {
            return chunks;
        }

        /** @return whether the producer ended the track. */
        public boolean ended()
        {
            return ended.get();
        }

        /** @return a broken contract, or null. */
        public String violation()
        {
            return violation;
        }
    }
}
