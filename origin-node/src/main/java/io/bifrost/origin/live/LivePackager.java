package io.bifrost.origin.live;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.HashSet;

/**
 * The origin's live CMAF packager (DESIGN.md section 2, Live): producers open a session per publish and write each
 * rendition's fragmented MP4; the packager cuts parts and segments ({@link RenditionWindow}), keeps a bounded window
 * per rendition, renders LL-HLS media playlists (full and delta), the master playlist and a dynamic DASH MPD, and
 * tells every {@link LiveListener} about each part before the window update that announces it. The HTTP side
 * ({@link LiveResponder}) reads the windows and holds blocking requests on them.
 *
 * <p>Thread-safe. Each stream has one lock: a producer thread takes it per parsed fragment, an HTTP thread per read;
 * listeners are called with it held.
 */
public final class LivePackager implements LiveStreams
{
    private static final Logger LOG = LoggerFactory.getLogger(LivePackager.class);

    final Clock clock;
    final LiveMetrics metrics;
    final long partTargetUs;
    final long segmentTargetUs;
    final int windowSegments;
    final int partSegments;
    final int maxHeldRequests;
    final long endedRetentionMs;
    final LiveRecorder recorder;
    private final ConcurrentHashMap<String, LiveStream> streams = new ConcurrentHashMap<>();
    private final List<LiveListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong listenerFailures = new AtomicLong();

    /**
     * @param context settings; {@link Context#conclude()} is called here.
     */
    public LivePackager(final Context context)
    {
        context.conclude();
        this.clock = context.clock();
        this.metrics = new LiveMetrics(context.meterRegistry());
        this.partTargetUs = context.partTargetMs() * 1000L;
        this.segmentTargetUs = context.segmentTargetMs() * 1000L;
        this.windowSegments = context.windowSegments();
        this.partSegments = context.partSegments();
        this.maxHeldRequests = context.maxHeldRequests();
        this.endedRetentionMs = context.endedRetentionMs();
        this.recorder = context.recorder();
    }

    /**
     * @param listener told about every part and window change from now on; several may be added.
     */
    public void addListener(final LiveListener listener)
    {
        listeners.add(listener);
    }

    /**
     * @param listener a listener added before.
     */
    public void removeListener(final LiveListener listener)
    {
        listeners.remove(listener);
    }

    /**
     * @return the packager's meters.
     */
    public LiveMetrics metrics()
    {
        return metrics;
    }

    @Override
    public LiveSession open(final String streamId, final List<LiveTrack> tracks)
    {
        requireName("stream id", streamId, 64);
        if (tracks == null || tracks.isEmpty())
        {
            throw new IllegalArgumentException("live stream " + streamId + " needs at least one track");
        }
        final Set<String> names = new HashSet<>();
        boolean video = false;
        for (final LiveTrack track : tracks)
        {
            if (track == null || track.kind() == null)
            {
                throw new IllegalArgumentException("live stream " + streamId + " has a track without a kind");
            }
            requireName("rendition", track.rendition(), 32);
            if (!names.add(track.rendition()))
            {
                throw new IllegalArgumentException("rendition '" + track.rendition() + "' is announced twice");
            }
            if (track.bandwidthBps() <= 0)
            {
                throw new IllegalArgumentException("rendition '" + track.rendition() + "' needs a bandwidth > 0");
            }
            video |= track.kind() == TrackKind.VIDEO;
        }
        if (!video)
        {
            throw new IllegalArgumentException("live stream " + streamId + " needs at least one video track");
        }
        forgetEndedStreams();
        final LiveStream stream = streams.computeIfAbsent(streamId, LiveStream::new);
        synchronized (stream)
        {
            long firstMsn = 0;
            long discontinuity = 0;
            final PackagerSession previous = stream.session;
            if (previous != null)
            {
                previous.endLocked(true);
                for (final RenditionWindow window : previous.renditions.values())
                {
                    firstMsn = Math.max(firstMsn, window.nextMsn() + 1);
                }
                discontinuity = previous.discontinuitySequence + 1;
            }
            final long epoch = Math.max(clock.millis(), stream.lastEpoch + 1);
            stream.lastEpoch = epoch;
            stream.session = new PackagerSession(this, streamId, stream, epoch, firstMsn, discontinuity, tracks);
            LOG.info("live {}: session {} opened with {}", streamId, epoch, names);
            return stream.session;
        }
    }

    /**
     * @param streamId a stream id.
     * @return its stream (lock and current session), or null when it was never opened.
     */
    LiveStream stream(final String streamId)
    {
        return streams.get(streamId);
    }

    /**
     * Drops the windows of streams that ended more than {@link Context#endedRetentionMs()} ago, so memory follows the
     * streams that run, not every stream ever published.
     */
    private void forgetEndedStreams()
    {
        final long now = clock.millis();
        for (final LiveStream stream : streams.values())
        {
            synchronized (stream)
            {
                final PackagerSession session = stream.session;
                if (session != null && session.ended && now - session.endedAtMs > endedRetentionMs)
                {
                    streams.remove(stream.streamId, stream);
                }
            }
        }
    }

    void publishPart(final LivePartEvent part)
    {
        for (final LiveListener listener : listeners)
        {
            try
            {
                listener.onPart(part);
            }
            catch (final RuntimeException ex)
            {
                listenerFailed(listener, "a part of " + part.streamId() + "/" + part.rendition(), ex);
            }
        }
    }

    void publish(final LiveWindowEvent window)
    {
        if (window.body() == null)
        {
            return;
        }
        for (final LiveListener listener : listeners)
        {
            try
            {
                listener.onWindow(window);
            }
            catch (final RuntimeException ex)
            {
                listenerFailed(listener, window.kind() + " of " + window.streamId(), ex);
            }
        }
    }

    /** Counts every failure; logs the 1st, 2nd, 4th, 8th... so a listener failing on every part cannot flood. */
    private void listenerFailed(final LiveListener listener, final String what, final RuntimeException ex)
    {
        metrics.listenerError();
        final long failures = listenerFailures.incrementAndGet();
        if ((failures & (failures - 1)) == 0)
        {
            LOG.warn("live listener {} failed on {} ({} failures so far): {}", listener, what, failures, ex.toString());
        }
    }

    private static void requireName(final String what, final String name, final int maxLength)
    {
        boolean valid = name != null && !name.isEmpty() && name.length() <= maxLength;
        for (int i = 0; valid && i < name.length(); i++)
        {
            final char c = name.charAt(i);
            valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                c == '-';
        }
        if (!valid)
        {
            throw new IllegalArgumentException(what + " must be 1.." + maxLength +
                " characters of [A-Za-z0-9_-], got " + (name == null ? "null" : '"' + name + '"'));
        }
    }

    /**
     * One live stream at the packager: its lock (the monitor of this object), its current session and the last epoch
     * it used, so a re-publish within the same millisecond still gets a larger epoch.
     */
    static final class LiveStream
    {
        final String streamId;
        PackagerSession session;
        long lastEpoch;

        LiveStream(final String streamId)
        {
            this.streamId = streamId;
        }
    }

    /**
     * Live packaging settings. Mutable until {@link #conclude()}; not thread-safe.
     */
    public static final class Context
    {
        /** Default part target: a third of a second, what hls.js's low-latency profile is tuned for. */
        public static final int DEFAULT_PART_TARGET_MS = 333;
        /** Default segment target. */
        public static final int DEFAULT_SEGMENT_TARGET_MS = 2000;
        /** Default number of complete segments in a playlist. */
        public static final int DEFAULT_WINDOW_SEGMENTS = 10;
        /** Default number of newest complete segments whose parts are still listed. */
        public static final int DEFAULT_PART_SEGMENTS = 2;
        /** Default time an ended stream's final window stays served. */
        public static final long DEFAULT_ENDED_RETENTION_MS = 10 * 60 * 1000L;
        /** Default bound on held requests. */
        public static final int DEFAULT_MAX_HELD_REQUESTS = 10_000;

        private int partTargetMs = DEFAULT_PART_TARGET_MS;
        private int segmentTargetMs = DEFAULT_SEGMENT_TARGET_MS;
        private int windowSegments = DEFAULT_WINDOW_SEGMENTS;
        private int partSegments = DEFAULT_PART_SEGMENTS;
        private int maxHeldRequests = DEFAULT_MAX_HELD_REQUESTS;
        private long endedRetentionMs = DEFAULT_ENDED_RETENTION_MS;
        private LiveRecorder recorder;
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry;

        /** Part target in ms, 200..1000 (default 333): producers should write one fragment per part. */
        public Context partTargetMs(final int ms) { this.partTargetMs = ms; return this; }
        public int partTargetMs() { return partTargetMs; }
        /** Segment target in ms, 1000..10000 and at least twice the part target (default 2000). */
        public Context segmentTargetMs(final int ms) { this.segmentTargetMs = ms; return this; }
        public int segmentTargetMs() { return segmentTargetMs; }
        /** Complete segments kept in the window and listed, 3..1000 (default 10). */
        public Context windowSegments(final int segments) { this.windowSegments = segments; return this; }
        public int windowSegments() { return windowSegments; }
        /** Newest complete segments whose parts stay listed, 1..windowSegments (default 2). */
        public Context partSegments(final int segments) { this.partSegments = segments; return this; }
        public int partSegments() { return partSegments; }
        /** Requests held at once (blocking reloads, preload hints) before 503 (default 10000). */
        public Context maxHeldRequests(final int max) { this.maxHeldRequests = max; return this; }
        public int maxHeldRequests() { return maxHeldRequests; }
        /** How long an ended stream's final window (EXT-X-ENDLIST) stays served, in ms (default 10 minutes). */
        public Context endedRetentionMs(final long ms) { this.endedRetentionMs = ms; return this; }
        public long endedRetentionMs() { return endedRetentionMs; }
        /** Keeps every ended session as a VOD title; null (the default) for none. Owned by the caller. */
        public Context recorder(final LiveRecorder recorder) { this.recorder = recorder; return this; }
        public LiveRecorder recorder() { return recorder; }
        /** Wall clock for EXT-X-PROGRAM-DATE-TIME, epochs and the MPD. */
        public Context clock(final Clock clock) { this.clock = clock; return this; }
        public Clock clock() { return clock; }
        /** Registry for the live meters; default: a private simple registry. */
        public Context meterRegistry(final MeterRegistry registry) { this.meterRegistry = registry; return this; }
        public MeterRegistry meterRegistry() { return meterRegistry; }

        /**
         * Validate and fill defaults.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad key.
         */
        public Context conclude()
        {
            requireRange("live.part-target-ms", partTargetMs, 200, 1000);
            requireRange("live.segment-target-ms", segmentTargetMs, Math.max(1000, 2 * partTargetMs), 10_000);
            requireRange("live.window-segments", windowSegments, 3, 1000);
            requireRange("live.part-segments", partSegments, 1, windowSegments);
            requireRange("live.max-held-requests", maxHeldRequests, 1, 1_000_000);
            if (endedRetentionMs < 0)
            {
                throw new IllegalArgumentException("live.ended-retention-ms must be >= 0, got " + endedRetentionMs);
            }
            if (clock == null)
            {
                throw new IllegalArgumentException("live clock must be set");
            }
            if (meterRegistry == null)
            {
                meterRegistry = new SimpleMeterRegistry();
            }
            return this;
        }

        private static void requireRange(final String key, final int value, final int min, final int max)
        {
            if (value < min || value > max)
            {
                throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + value);
            }
        }
    }
}
