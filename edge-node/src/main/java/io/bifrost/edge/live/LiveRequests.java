package io.bifrost.edge.live;

import io.bifrost.edge.live.HeldRequests.WaitKind;
import io.bifrost.edge.live.HeldRequests.Waiter;
import io.bifrost.edge.live.LiveRendition.Playlist;
import io.bifrost.protocol.http.MpdServedTime;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * The LL-HLS answers the edge gives from a stream's live window (RFC 8216bis section 6.2.5, the origin's rules in
 * docs/live.md): now, held until the window reaches the request, refused (400, 503), or not at all (the caller takes
 * the normal path). Every method runs under the stream's monitor ({@link LiveWindowStore} takes it); answers leave
 * through {@link LiveReply}, which hops to the viewer's event loop.
 *
 * <p><b>Waking many viewers.</b> The requests a wake satisfies are not answered one task each: {@link #tryAnswer}
 * claims them into the waking thread's {@link LiveWakeBatch}, and {@link #dispatchWakes} then queues one task per
 * event loop that answers all of that loop's viewers in a row from one shared reference to the body. Hold limits are
 * kept per event loop by {@link HoldTimeouts} (one sweep timer per loop, not one timer per request), so an answered
 * request leaves nothing to cancel.
 *
 * <p><b>Delivery time.</b> {@code bifrost.edge.live.held.delivery{kind=playlist|part|segment}} records, once per
 * event loop's batch of a wake (per chunk of {@code edge.live-wake-chunk} viewers when a batch is split;
 * {@code bifrost.edge.live.wake.chunks} counts them), the time from the arrival of what woke it (the wake's start,
 * {@link #beginWake}) to the completion of the batch's last write (see {@link LiveWakeBatch}): the batch's worst, so its
 * max and percentiles bound every woken viewer's, and its count is batches, not requests. It is the edge's own share
 * of a held viewer's latency, without the network's or the client's; only that last write gets a real promise, every
 * other viewer's write the void one, so timing costs nothing per viewer.
 *
 * <p><b>Low-latency DASH.</b> A plain GET of the segment being produced (or of the next one) is answered part by part
 * as the parts arrive ({@link ChunkedSegments}), woken from the same place; HEAD and Range requests for it are held
 * until it completes, then answered whole with a Content-Length.
 */
final class LiveRequests
{
    private static final String HLS_PLAYLIST = "application/vnd.apple.mpegurl";
    private static final String DASH_MPD = "application/dash+xml";
    private static final String MEDIA_SEGMENT = "video/iso.segment";

    /** Viewers a loop answers in a row before its next I/O turn, unless configured ({@link #wakeChunk(int)}). */
    static final int DEFAULT_WAKE_CHUNK = 65536;

    /** The held requests' delivery timer, tagged {@code kind}: {@code playlist}, {@code part} or {@code segment}. */
    static final String DELIVERY_TIMER = "bifrost.edge.live.held.delivery";

    /** Outcome tags of {@code bifrost.edge.live.requests}. */
    enum Outcome
    {
        SERVED, HELD, WOKEN, BAD_REQUEST, TIMEOUT, FALLBACK_AFTER_HOLD;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    private final ByteBufAllocator allocator;
    private final Counter[] outcomes = new Counter[Outcome.values().length];
    private final Counter wakeTasks;
    private final Timer[] deliveries = new Timer[WaitKind.values().length];
    private volatile int wakeChunk = DEFAULT_WAKE_CHUNK;
    private final ThreadLocal<LiveWakeBatch> batches;
    private final ChunkedSegments chunkedSegments;
    private final ConcurrentHashMap<EventExecutor, HoldTimeouts> timeouts = new ConcurrentHashMap<>();

    LiveRequests(final ByteBufAllocator allocator, final MeterRegistry registry)
    {
        this.allocator = allocator;
        for (final Outcome outcome : Outcome.values())
        {
            outcomes[outcome.ordinal()] = Counter.builder("bifrost.edge.live.requests")
                .description("live requests answered from the edge's live window, by outcome")
                .tag("outcome", outcome.tag).register(registry);
        }
        wakeTasks = Counter.builder("bifrost.edge.live.wake.tasks")
            .description("tasks queued to event loops to answer woken live requests (one per loop per wake)")
            .register(registry);
        for (final WaitKind kind : WaitKind.values())
        {
            // streamed chunked viewers (SEGMENT_CHUNKS) are paced by the stream, not woken once: not timed
            deliveries[kind.ordinal()] = kind == WaitKind.SEGMENT_CHUNKS ? null : Timer.builder(DELIVERY_TIMER)
                .description("time from the arrival of a part or playlist at the edge to the completed last " +
                    "write of each event loop's batch of held requests it answered (one sample per batch or chunk)")
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                // buckets only, no client-side percentiles: recording stays a bucket search and an add per batch
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(50))
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        }
        final Counter shared = Counter.builder("bifrost.edge.live.wake.shared")
            .description("woken live requests answered with the response shared by every viewer of the wake")
            .register(registry);
        final Counter encoded = Counter.builder("bifrost.edge.live.wake.encoded")
            .description("woken live requests answered with the HTTP/1.1 response bytes encoded once for the wake")
            .register(registry);
        final Counter chunks = Counter.builder("bifrost.edge.live.wake.chunks")
            .description("chunks of woken live requests an event loop answered in a row (one per loop per wake unless " +
                "edge.live-wake-chunk splits it); each records one bifrost.edge.live.held.delivery sample per kind")
            .register(registry);
        batches = ThreadLocal.withInitial(() -> new LiveWakeBatch(shared, encoded, chunks, allocator));
        chunkedSegments = new ChunkedSegments(registry, outcomes[Outcome.FALLBACK_AFTER_HOLD.ordinal()]);
    }

    /**
     * @param viewers the most woken viewers an event loop answers in a row before its next I/O turn (the writes reach
     *                the socket, the loop's other connections are read); at least 1.
     */
    void wakeChunk(final int viewers)
    {
        if (viewers < 1)
        {
            throw new IllegalArgumentException("edge.live-wake-chunk must be at least 1, got " + viewers);
        }
        wakeChunk = viewers;
    }

    /**
     * @return false when the window does not answer this request (the reply is not used).
     */
    boolean answer(final LiveStream stream, final ContentKey key, final String query, final LiveReply reply)
    {
        return switch (key.kind())
        {
            case MASTER_PLAYLIST -> serve(stream.master, HLS_PLAYLIST, LiveHit.PLAYLIST_CACHE_CONTROL, reply);
            case MPD -> serveMpd(stream.mpd, reply);
            case MEDIA_PLAYLIST -> answerPlaylist(stream, key, query, reply);
            case PART, SEGMENT -> answerMedia(stream, key, reply);
            default -> false;
        };
    }

    private boolean answerPlaylist(final LiveStream stream, final ContentKey key, final String query, final LiveReply reply)
    {
        final LiveRendition r = stream.renditions.get(key.rendition());
        if (r == null || r.full() == null)
        {
            return false;
        }
        final HlsBlockingQuery directives = HlsBlockingQuery.parse(query);
        if (directives.error() != null)
        {
            return refuse(reply, 400, "hls.directive", directives.error());
        }
        final Playlist playlist = r.playlistFor(directives.skip());
        if (!directives.blocking() || r.ended() || playlist.window().reaches(directives.msn(), directives.part()))
        {
            return serve(playlist.body(), HLS_PLAYLIST, directives.blocking() && !r.ended() ?
                playlist.blockingCacheControl() : LiveHit.PLAYLIST_CACHE_CONTROL, reply);
        }
        if (r.full().window().tooFarAhead(directives.msn(), directives.part()))
        {
            return refuse(reply, 400, "hls.too-far-ahead", "_HLS_msn=" + directives.msn() +
                (directives.part() < 0 ? "" : " _HLS_part=" + directives.part()) +
                " is too far beyond the playlist's last segment " + r.full().window().lastMsn());
        }
        hold(r, new Waiter(WaitKind.PLAYLIST, reply, directives.msn(), directives.part(), directives.skip()));
        return true;
    }

    private boolean answerMedia(final LiveStream stream, final ContentKey key, final LiveReply reply)
    {
        final LiveRendition r = stream.renditions.get(key.rendition());
        if (r == null || key.epoch() != stream.epoch)
        {
            return false;
        }
        final boolean isPart = key.kind() == ContentKind.PART;
        final ByteBuf body = isPart ? r.part(key.msn(), key.part()) : r.segment(key.msn(), allocator);
        if (body != null)
        {
            return serve(body, MEDIA_SEGMENT, r.mediaCacheControl(), reply);
        }
        if (!isPart && reply instanceof ChunkedLiveReply chunked && chunked.acceptsChunked() &&
            r.segmentMayComplete(key.msn()))
        {
            // low-latency DASH: the segment being produced (or the next one) is sent part by part as it arrives
            final ChunkedSegmentViewer viewer = chunkedSegments.viewer(reply, key.msn());
            if (!chunkedSegments.advance(r, viewer, MEDIA_SEGMENT))
            {
                hold(r, viewer);
            }
            chunkedSegments.dispatch();
            return true;
        }
        if (isPart ? r.mayArrive(key.msn(), key.part()) : r.segmentMayComplete(key.msn()))
        {
            hold(r, new Waiter(isPart ? WaitKind.PART : WaitKind.SEGMENT, reply, key.msn(), key.part(), false));
            return true;
        }
        return false;
    }

    private void hold(final LiveRendition r, final Waiter waiter)
    {
        final Playlist full = r.full();
        final int targetMs = full == null ? 0 : full.window().targetDurationMs();
        final long holdMs = targetMs > 0 ? 3L * targetMs : LiveWindowStore.DEFAULT_HOLD_MS;
        r.hold(waiter);
        outcomes[Outcome.HELD.ordinal()].increment();
        final EventExecutor loop = waiter.reply.loop();
        final HoldTimeouts loopTimeouts = timeouts.computeIfAbsent(loop, l -> new HoldTimeouts(l, this::expire));
        if (loop.inEventLoop())
        {
            loopTimeouts.add(waiter, holdMs);
        }
        else
        {
            try
            {
                loop.execute(() -> loopTimeouts.add(waiter, holdMs));
            }
            catch (final RejectedExecutionException closing)
            {
                // the loop is shutting down with the server: the store's close() settles the waiter
            }
        }
    }

    /**
     * A held request reached its hold limit (on its event loop, no monitor held): a playlist request gets 503, a part
     * or segment request falls back to the normal path. Nothing when it was answered meanwhile.
     */
    private void expire(final Waiter waiter, final long holdMs)
    {
        final LiveReply reply = waiter.reply;
        if (!reply.claim())
        {
            if (waiter instanceof ChunkedSegmentViewer viewer)
            {
                chunkedSegments.expire(viewer);
            }
            return;
        }
        if (waiter.kind == WaitKind.PLAYLIST)
        {
            outcomes[Outcome.TIMEOUT.ordinal()].increment();
            reply.onRefuse(503, "hls.blocking-timeout", "the live window did not reach _HLS_msn=" + waiter.msn +
                (waiter.part < 0 ? "" : " _HLS_part=" + waiter.part) + " within " + holdMs + " ms");
        }
        else
        {
            outcomes[Outcome.FALLBACK_AFTER_HOLD.ordinal()].increment();
            reply.onFallBack();
        }
    }

    /**
     * A rendition's wake starts on this thread: what it arrived with reached the edge now (the start of the delivery
     * time of every request it answers). Called by {@link HeldRequests#wake} under the stream's monitor.
     */
    void beginWake()
    {
        batches.get().begin(System.nanoTime());
    }

    /**
     * Queue the answers claimed by {@link #tryAnswer} on this thread since the last call: one task per event loop.
     * Called by the store after each {@link LiveRendition#wake}.
     */
    void dispatchWakes()
    {
        final LiveWakeBatch batch = batches.get();
        if (!batch.isEmpty())
        {
            batch.dispatch(answers -> wakeTasks.increment(), wakeChunk);
        }
        chunkedSegments.dispatch();
    }

    /**
     * Called by {@link HeldRequests#wake} under the stream's monitor for each held request.
     *
     * @return true when the waiter was answered (or can never be: it fell back) and leaves the list.
     */
    boolean tryAnswer(final LiveRendition r, final Waiter waiter)
    {
        switch (waiter.kind)
        {
            case PLAYLIST ->
            {
                final Playlist playlist = r.playlistFor(waiter.skip);
                if (playlist == null || !(r.ended() || waiter.msn < 0 || playlist.window().reaches(waiter.msn, waiter.part)))
                {
                    return false;
                }
                return wakeWith(waiter, playlist.body(), HLS_PLAYLIST, waiter.msn < 0 || r.ended() ?
                    LiveHit.PLAYLIST_CACHE_CONTROL : playlist.blockingCacheControl());
            }
            case PART ->
            {
                final ByteBuf part = r.part(waiter.msn, waiter.part);
                if (part != null)
                {
                    return wakeWith(waiter, part, MEDIA_SEGMENT, r.mediaCacheControl());
                }
                if (r.ended() || r.partPassed(waiter.msn, waiter.part))
                {
                    return fallBack(waiter);
                }
                return false;
            }
            case SEGMENT_CHUNKS ->
            {
                return chunkedSegments.advance(r, (ChunkedSegmentViewer)waiter, MEDIA_SEGMENT);
            }
            default ->
            {
                final ByteBuf segment = r.segment(waiter.msn, allocator);
                if (segment != null)
                {
                    return wakeWith(waiter, segment, MEDIA_SEGMENT, r.mediaCacheControl());
                }
                if (r.ended() || waiter.msn < r.newestMsn() - 1)
                {
                    return fallBack(waiter);
                }
                return false;
            }
        }
    }

    private boolean wakeWith(final Waiter waiter, final ByteBuf body, final String contentType, final String cacheControl)
    {
        if (waiter.reply.claim())
        {
            outcomes[Outcome.WOKEN.ordinal()].increment();
            batches.get().add(waiter.reply, body, contentType, cacheControl, deliveries[waiter.kind.ordinal()]);
        }
        return true;
    }

    private boolean fallBack(final Waiter waiter)
    {
        if (waiter.reply.claim())
        {
            outcomes[Outcome.FALLBACK_AFTER_HOLD.ordinal()].increment();
            waiter.reply.fallBack();
        }
        return true;
    }

    private boolean serve(final ByteBuf body, final String contentType, final String cacheControl, final LiveReply reply)
    {
        if (body == null || !reply.claim())
        {
            return false;
        }
        outcomes[Outcome.SERVED.ordinal()].increment();
        reply.hit(new LiveHit(body.retainedDuplicate(), contentType, cacheControl));
        return true;
    }

    /**
     * The MPD with its own clock set to now ({@link MpdServedTime}): the origin's bytes carry the time it rendered them
     * (when a segment started), and dash.js sets its clock to that value, so served unchanged it would run behind by
     * the MPD's age and never ask for the segment being written. One pooled copy per answer (a few KiB, about once a
     * second per DASH player); an MPD without a direct UTCTiming is served as it is.
     */
    private boolean serveMpd(final ByteBuf mpd, final LiveReply reply)
    {
        final int value = mpd == null ? -1 : MpdServedTime.valueIndex(mpd);
        if (value < 0)
        {
            return serve(mpd, DASH_MPD, LiveHit.PLAYLIST_CACHE_CONTROL, reply);
        }
        if (!reply.claim())
        {
            return false;
        }
        final int length = mpd.readableBytes();
        final ByteBuf stamped = allocator.buffer(length, length);
        stamped.writeBytes(mpd, mpd.readerIndex(), length);
        MpdServedTime.stamp(stamped, value - mpd.readerIndex(), System.currentTimeMillis());
        outcomes[Outcome.SERVED.ordinal()].increment();
        reply.hit(new LiveHit(stamped, DASH_MPD, LiveHit.PLAYLIST_CACHE_CONTROL));
        return true;
    }

    private boolean refuse(final LiveReply reply, final int status, final String code, final String message)
    {
        if (reply.claim())
        {
            outcomes[Outcome.BAD_REQUEST.ordinal()].increment();
            reply.refuse(status, code, message);
        }
        return true;
    }
}
