package io.bifrost.edge.live;

import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.DirectBuffer;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live window of every stream this edge follows, fed by the Aeron subscriber (and by HTTP catch-up), and the
 * LL-HLS answers given from it at the edge (DESIGN.md section 2, Live): media playlists with blocking reload
 * ({@code _HLS_msn}/{@code _HLS_part}/{@code _HLS_skip}), preload-hinted parts held until they arrive, complete
 * segments, the master playlist and the MPD.
 *
 * <p><b>Storage.</b> Each part is copied once, from the Aeron term buffer into a pooled direct buffer; every viewer is
 * then served a reference-counted duplicate of it (a segment is a composite over its parts), so there is no
 * per-viewer copy and an evicted part stays valid until the writes in flight complete. Parts leave when the window
 * moves past them ({@code firstMsn} of the rendition's playlist) or, when the store is over {@code capacityBytes},
 * oldest segment first within the rendition being written; a part that still does not fit is dropped and counted.
 * A new epoch (the origin restarted the stream) replaces the old session; END_OF_STREAM keeps the final playlist.
 * Why not the RAM tier: see {@code docs/live-edge.md}.
 *
 * <p><b>Held requests.</b> A request the window does not satisfy yet waits in its rendition's waiter list; each part
 * or playlist that arrives answers every waiter it satisfies, and each answer hops to the waiter's own event loop
 * ({@link LiveReply}). No thread per request. A playlist request is held at most three target durations (then 503,
 * RFC 8216bis section 6.2.5.2); a part or segment request is held as long, then falls back to the origin. A GET of
 * the segment being produced is answered at once and sent part by part as the parts arrive (low-latency DASH,
 * {@link ChunkedSegments}).
 *
 * <p><b>What falls back</b> (the caller then takes the normal RAM-tier / origin-fill path): streams, renditions or
 * epochs the store does not hold, parts and segments it does not have and does not expect soon, init segments.
 *
 * <p>Thread-safe: one monitor per stream.
 */
public final class LiveWindowStore implements LiveMessageHandler, AutoCloseable
{
    /** How long a request is held when the window does not say its target duration. */
    public static final long DEFAULT_HOLD_MS = 6_000;
    /** Most streams followed at once; messages for more are dropped and counted. */
    public static final int MAX_STREAMS = 10_000;
    /** Most renditions of one stream; messages for more are dropped and counted. */
    public static final int MAX_RENDITIONS = 64;

    /** Why a message was not stored, tags of {@code bifrost.edge.live.dropped}. */
    enum Drop
    {
        STALE_EPOCH, CAPACITY, TOO_MANY_STREAMS, TOO_MANY_RENDITIONS;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    /**
     * Fetches what this edge missed from the origin over HTTP ({@link LiveCatchUp}).
     */
    @FunctionalInterface
    public interface CatchUp
    {
        /**
         * @param streamId  stream.
         * @param rendition rendition with a gap (or just joined).
         * @param epoch     session.
         */
        void request(String streamId, String rendition, long epoch);
    }

    private final ConcurrentHashMap<String, LiveStream> streams = new ConcurrentHashMap<>();
    private final long capacityBytes;
    private final ByteBufAllocator allocator;
    private final AtomicLong usedBytes = new AtomicLong();
    private final LiveRequests requests;
    private final Counter[] drops = new Counter[Drop.values().length];
    private final Counter parts;
    private final Counter gaps;
    private volatile CatchUp catchUp = (s, r, e) -> { };
    private volatile boolean closed;

    /**
     * @param capacityBytes most bytes of parts and playlists held.
     * @param allocator     where parts are copied to (pooled direct in production).
     * @param registry      where the meters go.
     */
    public LiveWindowStore(final long capacityBytes, final ByteBufAllocator allocator, final MeterRegistry registry)
    {
        if (capacityBytes < 1)
        {
            throw new IllegalArgumentException("edge.live-bytes must be positive, got " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
        this.allocator = allocator;
        this.requests = new LiveRequests(allocator, registry);
        for (final Drop drop : Drop.values())
        {
            drops[drop.ordinal()] = Counter.builder("bifrost.edge.live.dropped")
                .description("live messages not stored, by reason").tag("reason", drop.tag).register(registry);
        }
        parts = Counter.builder("bifrost.edge.live.parts").description("live parts stored").register(registry);
        gaps = Counter.builder("bifrost.edge.live.gaps")
            .description("gaps in (msn, part) seen on the live stream (each starts an HTTP catch-up)").register(registry);
        Gauge.builder("bifrost.edge.live.bytes", usedBytes, AtomicLong::get)
            .description("bytes of live parts and playlists held").register(registry);
    }

    /**
     * @param catchUp who fetches missed parts from the origin; set once the origin client exists.
     */
    public void catchUp(final CatchUp catchUp)
    {
        this.catchUp = catchUp;
    }

    /**
     * @return bytes held now.
     */
    public long usedBytes()
    {
        return usedBytes.get();
    }

    /**
     * @return the session epoch followed for a stream, -1 when none.
     */
    public long epoch(final String streamId)
    {
        final LiveStream stream = streams.get(streamId);
        if (stream == null)
        {
            return -1;
        }
        synchronized (stream)
        {
            return stream.epoch;
        }
    }

    /**
     * @return true when the store holds that part.
     */
    public boolean hasPart(final String streamId, final String rendition, final long epoch, final long msn, final int part)
    {
        final LiveStream stream = streams.get(streamId);
        if (stream == null)
        {
            return false;
        }
        synchronized (stream)
        {
            final LiveRendition r = stream.renditions.get(rendition);
            return stream.epoch == epoch && r != null && r.part(msn, part) != null;
        }
    }

    /**
     * @return requests held now for a rendition.
     */
    public int held(final String streamId, final String rendition)
    {
        final LiveStream stream = streams.get(streamId);
        if (stream == null)
        {
            return 0;
        }
        synchronized (stream)
        {
            final LiveRendition r = stream.renditions.get(rendition);
            return r == null ? 0 : r.held();
        }
    }

    /**
     * How many woken viewers an event loop answers in a row before its next I/O turn ({@code edge.live-wake-chunk},
     * default 65536, one pass per wake): smaller gets a big wake's first answers out sooner and keeps the loop's other
     * connections served, but in smoke runs it raised the p99 and the CPU per answer. Takes effect from the next wake.
     *
     * @param viewers at least 1.
     * @return this store.
     */
    public LiveWindowStore wakeChunk(final int viewers)
    {
        requests.wakeChunk(viewers);
        return this;
    }

    @Override
    public void onPart(
        final String streamId,
        final String rendition,
        final long epoch,
        final long msn,
        final int partIndex,
        final long programDateTimeMs,
        final int durationMicros,
        final int flags,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final LiveStream stream = stream(streamId);
        if (stream == null)
        {
            return;
        }
        final boolean gap;
        synchronized (stream)
        {
            if (!acceptEpoch(stream, epoch))
            {
                return;
            }
            final LiveRendition r = rendition(stream, rendition);
            if (r == null)
            {
                return;
            }
            gap = r.isGapBefore(msn, partIndex);
            if (!makeRoom(r, payloadLength, msn))
            {
                return;
            }
            final ByteBuf copy = allocator.directBuffer(Math.max(payloadLength, 1), Math.max(payloadLength, 1));
            if (payloadLength > 0)
            {
                payload.getBytes(payloadOffset, copy.nioBuffer(0, payloadLength), 0, payloadLength);
            }
            copy.writerIndex(payloadLength);
            storeLocked(r, msn, partIndex, flags, copy);
        }
        if (gap)
        {
            gaps.increment();
            catchUp.request(streamId, rendition, epoch);
        }
    }

    /**
     * A part fetched from the origin during catch-up.
     *
     * @param payload the part's bytes; ownership passes to the store.
     * @return true when stored (false: another session now, duplicate or no room; the buffer is released).
     */
    public boolean storeFetchedPart(
        final String streamId,
        final String rendition,
        final long epoch,
        final long msn,
        final int partIndex,
        final int flags,
        final ByteBuf payload)
    {
        final LiveStream stream = streams.get(streamId);
        if (stream == null)
        {
            payload.release();
            return false;
        }
        synchronized (stream)
        {
            final LiveRendition r = stream.renditions.get(rendition);
            if (closed || stream.epoch != epoch || r == null || r.part(msn, partIndex) != null ||
                !makeRoom(r, payload.readableBytes(), msn))
            {
                payload.release();
                return false;
            }
            return storeLocked(r, msn, partIndex, flags, payload);
        }
    }

    private boolean storeLocked(
        final LiveRendition r, final long msn, final int partIndex, final int flags, final ByteBuf payload)
    {
        final long added = r.putPart(msn, partIndex, payload, (flags & LiveMessageDecoder.GAP) != 0,
            (flags & LiveMessageDecoder.SEGMENT_END) != 0);
        if (added < 0)
        {
            return false;
        }
        usedBytes.addAndGet(added);
        parts.increment();
        r.wake(requests);
        requests.dispatchWakes();
        return true;
    }

    @Override
    public void onWindow(
        final String streamId,
        final String rendition,
        final WindowKind kind,
        final LiveWindow window,
        final DirectBuffer body,
        final int bodyOffset,
        final int bodyLength)
    {
        final LiveStream stream = stream(streamId);
        if (stream == null)
        {
            return;
        }
        synchronized (stream)
        {
            if (!acceptEpoch(stream, window.epoch()))
            {
                return;
            }
            switch (kind)
            {
                case HLS_MEDIA_PLAYLIST, HLS_MEDIA_PLAYLIST_DELTA ->
                {
                    final LiveRendition r = rendition(stream, rendition);
                    if (r == null || r.ended())
                    {
                        return;
                    }
                    final boolean delta = kind == WindowKind.HLS_MEDIA_PLAYLIST_DELTA;
                    final ByteBuf copy = copy(body, bodyOffset, bodyLength);
                    usedBytes.addAndGet(copy.readableBytes());
                    usedBytes.addAndGet(-r.setPlaylist(delta, copy, window));
                    if (!delta)
                    {
                        usedBytes.addAndGet(-r.evictBefore(window.firstMsn()));
                    }
                    r.wake(requests);
                    requests.dispatchWakes();
                }
                case HLS_MASTER_PLAYLIST -> stream.master = replace(stream.master, copy(body, bodyOffset, bodyLength));
                case DASH_MPD -> stream.mpd = replace(stream.mpd, copy(body, bodyOffset, bodyLength));
                case END_OF_STREAM ->
                {
                    if (rendition.isEmpty())
                    {
                        for (final LiveRendition r : stream.renditions.values())
                        {
                            usedBytes.addAndGet(-r.end(null, window));
                            r.wake(requests);
                            requests.dispatchWakes();
                        }
                    }
                    else
                    {
                        final LiveRendition r = rendition(stream, rendition);
                        if (r == null)
                        {
                            return;
                        }
                        final ByteBuf copy = bodyLength == 0 ? null : copy(body, bodyOffset, bodyLength);
                        if (copy != null)
                        {
                            usedBytes.addAndGet(copy.readableBytes());
                        }
                        usedBytes.addAndGet(-r.end(copy, window));
                        r.wake(requests);
                        requests.dispatchWakes();
                    }
                }
                default ->
                {
                }
            }
        }
    }

    /**
     * Answer a live request from the window, now or when the window reaches it.
     *
     * @param key   the parsed request path.
     * @param query the raw query string (LL-HLS directives), or null.
     * @param reply receives the answer, exactly once, on its event loop, when this returns true.
     * @return false when the store does not answer this request: take the normal path (the reply is not used).
     */
    public boolean answer(final ContentKey key, final String query, final LiveReply reply)
    {
        if (!key.isLive() || closed)
        {
            return false;
        }
        final LiveStream stream = streams.get(key.id());
        if (stream == null)
        {
            return false;
        }
        synchronized (stream)
        {
            return requests.answer(stream, key, query, reply);
        }
    }

    private LiveStream stream(final String streamId)
    {
        if (closed)
        {
            return null;
        }
        LiveStream stream = streams.get(streamId);
        if (stream == null)
        {
            if (streams.size() >= MAX_STREAMS)
            {
                drops[Drop.TOO_MANY_STREAMS.ordinal()].increment();
                return null;
            }
            stream = streams.computeIfAbsent(streamId, LiveStream::new);
        }
        return stream;
    }

    private LiveRendition rendition(final LiveStream stream, final String name)
    {
        final LiveRendition r = stream.renditions.get(name);
        if (r != null)
        {
            return r;
        }
        if (stream.renditions.size() >= MAX_RENDITIONS)
        {
            drops[Drop.TOO_MANY_RENDITIONS.ordinal()].increment();
            return null;
        }
        return stream.rendition(name);
    }

    /**
     * A message of an older session is dropped; one of a newer session replaces the stream's state.
     */
    private boolean acceptEpoch(final LiveStream stream, final long epoch)
    {
        if (epoch < stream.epoch)
        {
            drops[Drop.STALE_EPOCH.ordinal()].increment();
            return false;
        }
        if (epoch > stream.epoch)
        {
            for (final LiveRendition r : stream.renditions.values())
            {
                usedBytes.addAndGet(-r.reset());
            }
            stream.master = replace(stream.master, null);
            stream.mpd = replace(stream.mpd, null);
            stream.epoch = epoch;
        }
        return true;
    }

    private boolean makeRoom(final LiveRendition r, final int length, final long msn)
    {
        if (length > capacityBytes)
        {
            drops[Drop.CAPACITY.ordinal()].increment();
            return false;
        }
        while (usedBytes.get() + length > capacityBytes)
        {
            final long freed = r.evictOldestBefore(msn);
            if (freed == 0)
            {
                drops[Drop.CAPACITY.ordinal()].increment();
                return false;
            }
            usedBytes.addAndGet(-freed);
        }
        return true;
    }

    private ByteBuf copy(final DirectBuffer source, final int offset, final int length)
    {
        final ByteBuf copy = allocator.directBuffer(Math.max(length, 1), Math.max(length, 1));
        if (length > 0)
        {
            source.getBytes(offset, copy.nioBuffer(0, length), 0, length);
        }
        copy.writerIndex(length);
        return copy;
    }

    private ByteBuf replace(final ByteBuf old, final ByteBuf now)
    {
        if (old != null)
        {
            usedBytes.addAndGet(-old.readableBytes());
            old.release();
        }
        if (now != null)
        {
            usedBytes.addAndGet(now.readableBytes());
        }
        return now;
    }

    @Override
    public void close()
    {
        closed = true;
        for (final LiveStream stream : streams.values())
        {
            synchronized (stream)
            {
                for (final LiveRendition r : stream.renditions.values())
                {
                    r.abandonWaiters();
                    usedBytes.addAndGet(-r.reset());
                }
                stream.master = replace(stream.master, null);
                stream.mpd = replace(stream.mpd, null);
            }
        }
        streams.clear();
    }
}
