package io.bifrost.edge.control;

import io.bifrost.edge.cache.CacheTierName;
import io.bifrost.edge.player.QoeBeacon;
import io.bifrost.edge.ring.AccessObserver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Counts viewer requests per content (live/{id}, vod/{id}) from the access ring, for the telemetry the edge sends the
 * control plane every window. {@link #onAccess} runs on the access ring's thread, {@link #drain} on the control
 * agent's thread; they meet under this object's lock (one short critical section per request, off the event loops).
 *
 * <p>Viewers: the edge sees requests, not sessions, so it estimates viewers from media time: a player keeps up with
 * a stream by fetching about one second of media per second, so the media duration of the segments and parts
 * requested over the last {@link #VIEWER_WINDOWS} windows, divided by that time, is the number of viewers. Segment
 * and part durations are the nominal ones (DESIGN.md: 2 s segments, parts of at most 0.5 s).
 *
 * <p>Experience ({@link ContentExperience}): each request's time to first byte (from the access event), each
 * completed origin fill's duration ({@link #onFill}, on the fill's thread: once per fill, not per request) and the
 * reference player's QoE beacons ({@link #onBeacon}, on the event loop: about one per viewer every 10 s) go into small
 * per-content, per-window histograms and sums, whose percentiles the telemetry carries.
 *
 * <p>Memory is bounded: at most {@link #MAX_CONTENTS} contents per window (the rest are counted as dropped), each with
 * at most three {@link LogHistogram}s (under 1 KiB each); a content with no request for {@link #VIEWER_WINDOWS}
 * windows is forgotten. Beacons only count for contents this edge is serving (in the table): a beacon naming any
 * other content is dropped and counted, so a flood of beacons for made-up ids costs nothing but the count.
 */
public final class ContentTraffic implements AccessObserver
{
    /** Nominal media duration of a segment request, milliseconds. */
    static final long SEGMENT_MEDIA_MS = 2_000;
    /** Nominal media duration of a live part request, milliseconds. */
    static final long PART_MEDIA_MS = 500;
    /** Windows of media time the viewer estimate spans. */
    static final int VIEWER_WINDOWS = 4;
    /** Most contents counted per window. */
    public static final int MAX_CONTENTS = 8192;

    private final Map<String, Counts> contents = new HashMap<>();
    private long egressBytes;
    private long droppedContents;
    private long unknownBeacons;

    /**
     * One content's counters for one window, plus the media time of its last windows.
     */
    public static final class Counts
    {
        long requests;
        long bytesSent;
        long ramHits;
        long ssdHits;
        long misses;
        long errors;
        final long[] mediaMs = new long[VIEWER_WINDOWS];
        int idleWindows;
        ContentExperience experience;
        int firstByteP50Micros;
        int firstByteP99Micros;
        int fillP50Micros;
        int fillP99Micros;
        int qoeBeacons;
        int startupP50Millis;
        int rebufferCount;
        int rebufferMillis;
        int switchCount;
        int playedMillis;
        int meanBitrateKbps;

        public long requests() { return requests; }
        public long bytesSent() { return bytesSent; }
        public long ramHits() { return ramHits; }
        public long ssdHits() { return ssdHits; }
        public long misses() { return misses; }
        public long errors() { return errors; }
        /** Median request head to response head, microseconds; 0 when no request was timed. */
        public int firstByteP50Micros() { return firstByteP50Micros; }
        public int firstByteP99Micros() { return firstByteP99Micros; }
        /** Median completed origin fill, start to last byte, microseconds; 0 when no fill completed. */
        public int fillP50Micros() { return fillP50Micros; }
        public int fillP99Micros() { return fillP99Micros; }
        /** QoE beacons accepted for this content in the window. */
        public int qoeBeacons() { return qoeBeacons; }
        /** Median startup time the beacons reported, ms; 0 when none did. */
        public int startupP50Millis() { return startupP50Millis; }
        public int rebufferCount() { return rebufferCount; }
        public int rebufferMillis() { return rebufferMillis; }
        /** Rendition switches, up and down. */
        public int switchCount() { return switchCount; }
        public int playedMillis() { return playedMillis; }
        /** Mean bitrate played, weighted by played time, kb/s. */
        public int meanBitrateKbps() { return meanBitrateKbps; }

        /**
         * @param windowMs the window length.
         * @return viewers estimated from the media time of the last windows, rounded up.
         */
        public int viewers(final long windowMs)
        {
            long media = 0;
            for (final long ms : mediaMs)
            {
                media += ms;
            }
            final long span = windowMs * VIEWER_WINDOWS;
            return (int)Math.min(Integer.MAX_VALUE, (media + span - 1) / span);
        }
    }

    /**
     * One content's window, as handed to the telemetry sender.
     *
     * @param contentId live/{id} or vod/{id}.
     * @param counts    its counters (owned by the receiver).
     */
    public record Entry(String contentId, Counts counts)
    {
    }

    /**
     * @param other another observer (e.g. the one configured on the edge), or {@link AccessObserver#NONE}.
     * @return an observer that calls {@code other}, then this.
     */
    public AccessObserver alongside(final AccessObserver other)
    {
        if (other == null || other == AccessObserver.NONE)
        {
            return this;
        }
        final ContentTraffic self = this;
        return new AccessObserver()
        {
            @Override
            public void onAccess(final String path, final long bytes, final String outcome, final CacheTierName tier)
            {
                onAccess(path, bytes, outcome, tier, -1);
            }

            @Override
            public void onAccess(
                final String path, final long bytes, final String outcome, final CacheTierName tier, final long firstByteNanos)
            {
                other.onAccess(path, bytes, outcome, tier, firstByteNanos);
                self.onAccess(path, bytes, outcome, tier, firstByteNanos);
            }
        };
    }

    @Override
    public void onAccess(final String path, final long bytes, final String outcome, final CacheTierName tier)
    {
        onAccess(path, bytes, outcome, tier, -1);
    }

    @Override
    public void onAccess(
        final String path, final long bytes, final String outcome, final CacheTierName tier, final long firstByteNanos)
    {
        final int idEnd = contentIdEnd(path);
        if (idEnd < 0)
        {
            synchronized (this)
            {
                egressBytes += Math.max(0, bytes);
            }
            return;
        }
        final String contentId = path.substring(1, idEnd);
        final long media = mediaMs(path, idEnd);
        synchronized (this)
        {
            egressBytes += Math.max(0, bytes);
            Counts counts = contents.get(contentId);
            if (counts == null)
            {
                if (contents.size() >= MAX_CONTENTS)
                {
                    droppedContents++;
                    return;
                }
                counts = new Counts();
                contents.put(contentId, counts);
            }
            counts.requests++;
            counts.bytesSent += Math.max(0, bytes);
            counts.mediaMs[0] += media;
            switch (tier)
            {
                case RAM -> counts.ramHits++;
                case SSD -> counts.ssdHits++;
                case ORIGIN -> counts.misses++;
                default ->
                {
                }
            }
            if (isError(outcome))
            {
                counts.errors++;
            }
            if (firstByteNanos >= 0)
            {
                experience(counts).recordFirstByte(firstByteNanos);
            }
        }
    }

    /**
     * A completed origin fill; called on the thread that completed it (see {@code FillCoalescer}).
     *
     * @param path        the filled path.
     * @param fillNanos   start of the fill to its last byte, nanoseconds.
     */
    public void onFill(final String path, final long fillNanos)
    {
        final int idEnd = contentIdEnd(path);
        if (idEnd < 0 || fillNanos < 0)
        {
            return;
        }
        final String contentId = path.substring(1, idEnd);
        synchronized (this)
        {
            Counts counts = contents.get(contentId);
            if (counts == null)
            {
                // The fill ends before its requests' access events reach the ring's thread: make room like they would.
                if (contents.size() >= MAX_CONTENTS)
                {
                    droppedContents++;
                    return;
                }
                counts = new Counts();
                contents.put(contentId, counts);
            }
            experience(counts).recordFill(fillNanos);
        }
    }

    /**
     * A QoE beacon from the reference player, already validated by its parser; called on an event loop.
     *
     * @param beacon the beacon.
     * @return false when the beacon names a content this edge is not serving (dropped and counted).
     */
    public boolean onBeacon(final QoeBeacon beacon)
    {
        final String contentId = (beacon.live() ? "live/" : "vod/") + beacon.contentId();
        synchronized (this)
        {
            final Counts counts = contents.get(contentId);
            if (counts == null)
            {
                unknownBeacons++;
                return false;
            }
            experience(counts).recordBeacon(beacon);
            return true;
        }
    }

    /**
     * @return beacons dropped because they named a content this edge was not serving.
     */
    public synchronized long unknownBeacons()
    {
        return unknownBeacons;
    }

    private static ContentExperience experience(final Counts counts)
    {
        if (counts.experience == null)
        {
            counts.experience = new ContentExperience();
        }
        return counts.experience;
    }

    /**
     * Hand over this window's counters and start the next window. Contents with requests in this window, or with
     * viewers still in the estimate, are returned; each returned {@link Counts} is a copy the caller owns.
     *
     * @param windowMs the window length, for the viewer estimate.
     * @return the window's entries.
     */
    public synchronized List<Entry> drain(final long windowMs)
    {
        final List<Entry> window = new ArrayList<>(contents.size());
        for (final Iterator<Map.Entry<String, Counts>> it = contents.entrySet().iterator(); it.hasNext(); )
        {
            final Map.Entry<String, Counts> entry = it.next();
            final Counts counts = entry.getValue();
            final Counts copy = new Counts();
            copy.requests = counts.requests;
            copy.bytesSent = counts.bytesSent;
            copy.ramHits = counts.ramHits;
            copy.ssdHits = counts.ssdHits;
            copy.misses = counts.misses;
            copy.errors = counts.errors;
            System.arraycopy(counts.mediaMs, 0, copy.mediaMs, 0, VIEWER_WINDOWS);
            final boolean experienced = counts.experience != null && counts.experience.hasSamples();
            if (counts.experience != null)
            {
                counts.experience.drainInto(copy);
            }
            if (copy.requests > 0 || experienced || copy.viewers(windowMs) > 0)
            {
                window.add(new Entry(entry.getKey(), copy));
            }
            counts.idleWindows = counts.requests == 0 ? counts.idleWindows + 1 : 0;
            if (counts.idleWindows >= VIEWER_WINDOWS)
            {
                it.remove();
                continue;
            }
            counts.requests = 0;
            counts.bytesSent = 0;
            counts.ramHits = 0;
            counts.ssdHits = 0;
            counts.misses = 0;
            counts.errors = 0;
            System.arraycopy(counts.mediaMs, 0, counts.mediaMs, 1, VIEWER_WINDOWS - 1);
            counts.mediaMs[0] = 0;
        }
        return window;
    }

    /**
     * @return body bytes sent to viewers since the last call (for the heartbeat's egress rate).
     */
    public synchronized long takeEgressBytes()
    {
        final long bytes = egressBytes;
        egressBytes = 0;
        return bytes;
    }

    /**
     * @return contents not counted because the per-window table was full.
     */
    public synchronized long droppedContents()
    {
        return droppedContents;
    }

    /**
     * @return the index of the '/' that ends {@code /live/{id}} or {@code /vod/{id}}, or -1 when the path names no
     *         content.
     */
    static int contentIdEnd(final String path)
    {
        if (path == null)
        {
            return -1;
        }
        final int scopeEnd;
        if (path.startsWith("/live/"))
        {
            scopeEnd = 6;
        }
        else if (path.startsWith("/vod/"))
        {
            scopeEnd = 5;
        }
        else
        {
            return -1;
        }
        final int end = path.indexOf('/', scopeEnd);
        if (end <= scopeEnd || end - scopeEnd > 64)
        {
            return -1;
        }
        for (int i = scopeEnd; i < end; i++)
        {
            final char c = path.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'))
            {
                return -1;
            }
        }
        return end;
    }

    private static long mediaMs(final String path, final int idEnd)
    {
        if (!path.endsWith(".m4s"))
        {
            return 0;
        }
        final int nameStart = path.lastIndexOf('/') + 1;
        if (nameStart <= idEnd + 1)
        {
            return 0;
        }
        // {epoch}-{msn}.{part}.m4s has two dots; {epoch}-{msn}.m4s and {msn}.m4s have one.
        final int firstDot = path.indexOf('.', nameStart);
        return firstDot < path.length() - 4 ? PART_MEDIA_MS : SEGMENT_MEDIA_MS;
    }

    private static boolean isError(final String outcome)
    {
        if (outcome == null)
        {
            return false;
        }
        return switch (outcome)
        {
            case "bad_request", "forbidden", "method_not_allowed", "origin_error", "aborted", "range_not_satisfiable" -> true;
            default -> false;
        };
    }
}
