package io.bifrost.origin.live;

import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Answers live HTTP requests from the packager's windows ({@code /live/{streamId}/...}): master playlist, MPD, media
 * playlists with LL-HLS blocking reload ({@code _HLS_msn}, {@code _HLS_part}, {@code _HLS_skip=YES|v2}), init, parts
 * and segments from memory.
 *
 * <p>Held requests (RFC 8216bis 6.2.5.2 blocking reload, 6.2.6 preload hints, and a segment still being written) take
 * no thread: a {@link LiveWaiter} is registered on the rendition and the answer is made on the connection's executor
 * when the part arrives, when the session ends, or after three target durations (then 503). At most
 * {@link LivePackager.Context#maxHeldRequests()} are held at once; past that the answer is 503 at once. Spec answers:
 * {@code _HLS_part} without {@code _HLS_msn}, a malformed number, an msn more than two segments past the playlist's
 * last, or a part more than the Advance Part Limit past the last part: 400.
 *
 * <p>Low-latency DASH: a plain GET (no HEAD, no Range, not HTTP/1.0) for the segment being written (between two
 * segments: the one about to start) is answered at once and streamed part by part as the packager closes each part
 * ({@link ChunkedSegmentStream}); a viewer with more than {@link #DEFAULT_CHUNKED_MAX_QUEUED_BYTES} (or the configured
 * bound) not yet written when a part is due is closed. HEAD and Range requests for it are held until it is complete,
 * as before; the segment after it is held until complete too.
 *
 * <p>Cache-Control: playlists, master, MPD and init {@code public, max-age=1}; a blocking playlist answer
 * {@code public, max-age=<6 target durations>} (its URL names what it answers, so a cache keyed by the query may keep
 * it); parts and segments {@code public, max-age=<window>, immutable} (names carry the epoch and never repeat);
 * 400/404/503 {@code no-store}. CORS is the caller's. The MPD's own {@code UTCTiming} carries the time it is answered
 * ({@link LiveMpdWriter#served}): players set their clock to it.
 *
 * <p>Thread-safe; reads take the stream's lock briefly.
 */
public final class LiveResponder
{
    static final String HLS_PLAYLIST = "application/vnd.apple.mpegurl";
    static final String DASH_MPD = "application/dash+xml";
    static final String MEDIA_SEGMENT = "video/iso.segment";
    static final String MP4 = "video/mp4";
    static final String SHORT = "public, max-age=1";
    static final String NO_STORE = "no-store";
    /** RFC 8216bis 6.2.5.2: an _HLS_msn more than this past the last segment is a 400. */
    static final int MSN_AHEAD_LIMIT = 2;
    /**
     * Default bound on a streamed segment's bytes not yet written to a viewer's connection when the next part is due:
     * past it the viewer is closed as too slow. About two of the largest parts (one Aeron message each).
     */
    public static final long DEFAULT_CHUNKED_MAX_QUEUED_BYTES = 4L << 20;

    private final LivePackager packager;
    private final LiveMetrics metrics;
    private final long chunkedMaxQueuedBytes;

    /**
     * @param packager the windows to answer from.
     */
    public LiveResponder(final LivePackager packager)
    {
        this(packager, DEFAULT_CHUNKED_MAX_QUEUED_BYTES);
    }

    /**
     * @param packager              the windows to answer from.
     * @param chunkedMaxQueuedBytes the most bytes of a streamed segment that may wait for a viewer's connection when
     *                              the next part is due; past it the viewer is closed
     *                              ({@code bifrost.live.chunked{result=slow}}). At least 0.
     */
    public LiveResponder(final LivePackager packager, final long chunkedMaxQueuedBytes)
    {
        if (chunkedMaxQueuedBytes < 0)
        {
            throw new IllegalArgumentException("chunkedMaxQueuedBytes must be >= 0: " + chunkedMaxQueuedBytes);
        }
        this.packager = packager;
        this.metrics = packager.metrics;
        this.chunkedMaxQueuedBytes = chunkedMaxQueuedBytes;
    }

    /**
     * @param key         a parsed live path.
     * @param uri         the request URI, query included.
     * @param head        true for HEAD (no body, same headers).
     * @param mayStream   true when the client can take a streamed answer (a GET without Range over HTTP/1.1 or
     *                    HTTP/2); otherwise a segment being written is held until complete.
     * @param executor    the connection's executor: held answers, streamed chunks and timeouts run there.
     * @param closeFuture completes when the connection closes (a held request is then dropped); may be null.
     * @param later       receives the answer of a held request, or the streamed answer, on {@code executor}.
     * @return the answer now, or null when the request is held or streamed (the answer goes to {@code later}).
     */
    public FullHttpResponse respond(final ContentKey key, final String uri, final boolean head,
        final boolean mayStream, final EventExecutor executor, final Future<?> closeFuture, final LiveReply later)
    {
        final LivePackager.LiveStream stream = packager.stream(key.id());
        if (stream == null || !opened(stream))
        {
            return notFound("no live stream " + key.id());
        }
        return switch (key.kind())
        {
            case MASTER_PLAYLIST, MPD -> streamWide(stream, key, head);
            case MEDIA_PLAYLIST -> playlist(stream, key, uri, head, executor, closeFuture, later, true);
            case INIT -> init(stream, key, head);
            case PART, SEGMENT -> media(stream, key, head, mayStream, executor, closeFuture, later, true);
            default -> notFound("live streams have no " + key.kind().fileName());
        };
    }

    private static boolean opened(final LivePackager.LiveStream stream)
    {
        synchronized (stream)
        {
            return stream.session != null;
        }
    }

    private FullHttpResponse streamWide(final LivePackager.LiveStream stream, final ContentKey key, final boolean head)
    {
        final String body;
        synchronized (stream)
        {
            final PackagerSession session = stream.session;
            body = key.kind() == ContentKind.MPD ? session.mpd() : session.master();
        }
        if (body == null)
        {
            return notFound(key.path() + " is not ready yet");
        }
        return key.kind() == ContentKind.MPD ? ok(LiveMpdWriter.served(body, packager.clock.millis()), DASH_MPD,
            SHORT, head) : ok(text(body), HLS_PLAYLIST, SHORT, head);
    }

    private FullHttpResponse init(final LivePackager.LiveStream stream, final ContentKey key, final boolean head)
    {
        final byte[] bytes;
        synchronized (stream)
        {
            final RenditionWindow window = stream.session.renditions.get(key.rendition());
            bytes = window == null || window.init() == null ? null : window.init().bytes();
        }
        return bytes == null ? notFound("no init segment for " + key.path()) : ok(bytes, MP4, SHORT, head);
    }

    private FullHttpResponse playlist(final LivePackager.LiveStream stream, final ContentKey key, final String uri,
        final boolean head, final EventExecutor executor, final Future<?> closeFuture,
        final LiveReply later, final boolean mayHold)
    {
        final BlockingReloadQuery query = BlockingReloadQuery.parse(uri);
        if (query.error() != null)
        {
            return badRequest(query.error());
        }
        final long msn = query.msn();
        final int part = query.part();
        final boolean skip = query.skip();
        final boolean blocking = query.blocking();
        synchronized (stream)
        {
            final PackagerSession session = stream.session;
            final RenditionWindow window = session.renditions.get(key.rendition());
            if (window == null || window.playlist() == null)
            {
                return notFound(key.path() + " is not ready yet");
            }
            final boolean finished = session.ended || window.inputEnded();
            if (blocking && !finished)
            {
                final long lastMsn = Math.max(window.lastPartMsn(), window.nextMsn() - 1);
                if (msn > lastMsn + MSN_AHEAD_LIMIT)
                {
                    return badRequest("_HLS_msn " + msn + " is more than " + MSN_AHEAD_LIMIT +
                        " segments past the playlist's last, " + lastMsn);
                }
                if (part >= 0 && partsAhead(window, msn, part) > advancePartLimit())
                {
                    return badRequest("_HLS_part " + part + " of msn " + msn + " is more than " +
                        advancePartLimit() + " parts past the playlist's last part");
                }
                final LiveWaiter probe = new LiveWaiter(LiveWaiter.Until.PART_OR_LATER, msn, part, executor,
                    null);
                if (!probe.satisfiedBy(window))
                {
                    if (!mayHold)
                    {
                        metrics.count(LiveMetrics.Outcome.TIMEOUT);
                        return unavailable("the playlist did not reach msn " + msn +
                            (part >= 0 ? " part " + part : "") + " in time");
                    }
                    return hold(stream, window, LiveWaiter.Until.PART_OR_LATER, msn, part, executor, closeFuture,
                        later, () -> playlist(stream, key, uri, head, executor, closeFuture, later, false));
                }
            }
            final String body = skip && window.delta() != null ? window.delta() : window.playlist();
            final String cacheControl = blocking ?
                "public, max-age=" + HlsPlaylistWriter.SKIP_TARGET_DURATIONS *
                HlsPlaylistWriter.targetDurationSeconds(window) : SHORT;
            return ok(text(body), HLS_PLAYLIST, cacheControl, head);
        }
    }

    private FullHttpResponse media(final LivePackager.LiveStream stream, final ContentKey key, final boolean head,
        final boolean mayStream, final EventExecutor executor, final Future<?> closeFuture, final LiveReply later,
        final boolean mayHold)
    {
        synchronized (stream)
        {
            final PackagerSession session = stream.session;
            final RenditionWindow window = session.renditions.get(key.rendition());
            if (window == null || key.epoch() != session.epoch || window.init() == null)
            {
                return notFound(key.path() + " is not in the live window");
            }
            final boolean isPart = key.kind() == ContentKind.PART;
            final byte[] bytes;
            if (isPart)
            {
                final LivePart found = window.part(key.msn(), key.part());
                bytes = found == null ? null : found.bytes;
            }
            else
            {
                final LiveSegment found = window.segment(key.msn());
                bytes = found == null ? null : found.bytes;
            }
            final String cacheControl = "public, max-age=" + windowSeconds() + ", immutable";
            if (bytes != null)
            {
                return ok(bytes, MEDIA_SEGMENT, cacheControl, head);
            }
            final boolean finished = session.ended || window.inputEnded();
            final boolean upcoming = isPart ?
                key.msn() >= window.nextMsn() && partsAhead(window, key.msn(), key.part()) <= advancePartLimit() :
                key.msn() >= window.nextMsn() && key.msn() <= window.nextMsn() + 1;
            if (finished || !upcoming)
            {
                return notFound(key.path() + " is not in the live window");
            }
            if (!mayHold)
            {
                metrics.count(LiveMetrics.Outcome.TIMEOUT);
                return unavailable(key.path() + " did not arrive in time");
            }
            if (!isPart && !head && mayStream && key.msn() == window.nextMsn())
            {
                return stream(stream, window, key, cacheControl, executor, closeFuture, later);
            }
            return hold(stream, window, isPart ? LiveWaiter.Until.PART_OR_LATER : LiveWaiter.Until.SEGMENT_COMPLETE,
                key.msn(), isPart ? key.part() : -1, executor, closeFuture, later,
                () -> media(stream, key, head, mayStream, executor, closeFuture, later, false));
        }
    }

    /**
     * Streams the segment being written (or the next one, once its first part is here) part by part. Under the stream
     * lock; the first step runs on {@code executor} after the caller has returned.
     */
    private FullHttpResponse stream(final LivePackager.LiveStream stream, final RenditionWindow window,
        final ContentKey key, final String cacheControl, final EventExecutor executor, final Future<?> closeFuture,
        final LiveReply later)
    {
        if (!metrics.tryHold(packager.maxHeldRequests))
        {
            metrics.count(LiveMetrics.Outcome.TOO_MANY_HELD);
            return unavailable("too many held requests (" + packager.maxHeldRequests + "); retry");
        }
        metrics.count(LiveMetrics.Outcome.HELD);
        final long stallMs = 3L * HlsPlaylistWriter.targetDurationSeconds(window) * 1000L;
        new ChunkedSegmentStream(this, stream, window, key.path(), key.msn(), cacheControl, executor, closeFuture,
            later, chunkedMaxQueuedBytes, stallMs).begin();
        return null;
    }

    /**
     * Registers a waiter (under the stream lock) and arms its timeout. The answer is made again by {@code answer}
     * once the waiter fires; a timeout answers what {@code answer} says then (503 unless it just arrived).
     */
    private FullHttpResponse hold(final Object lock, final RenditionWindow window, final LiveWaiter.Until until,
        final long msn, final int part, final EventExecutor executor, final Future<?> closeFuture,
        final LiveReply later, final Supplier<FullHttpResponse> answer)
    {
        if (!metrics.tryHold(packager.maxHeldRequests))
        {
            metrics.count(LiveMetrics.Outcome.TOO_MANY_HELD);
            return unavailable("too many held requests (" + packager.maxHeldRequests + "); retry");
        }
        metrics.count(LiveMetrics.Outcome.HELD);
        final HeldRequest held = new HeldRequest(metrics, lock, window, closeFuture, later, answer);
        held.waiter = new LiveWaiter(until, msn, part, executor, held::ready);
        window.addWaiter(held.waiter);
        final long timeoutMs = 3L * HlsPlaylistWriter.targetDurationSeconds(window) * 1000L;
        held.timeout = executor.schedule(() -> held.abandon(true), timeoutMs, TimeUnit.MILLISECONDS);
        if (closeFuture != null)
        {
            addListener(closeFuture, held);
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void addListener(final Future<?> future, final GenericFutureListener<?> listener)
    {
        ((Future)future).addListener((GenericFutureListener)listener);
    }

    /** How many parts (msn, part) lies past the window's last part, counting a segment as its nominal parts. */
    private long partsAhead(final RenditionWindow window, final long msn, final int part)
    {
        final long lastMsn = window.lastPartMsn() >= 0 ? window.lastPartMsn() : window.nextMsn();
        final int lastPart = window.lastPartMsn() >= 0 ? window.lastPartIndex() : -1;
        final long partsPerSegment = (packager.segmentTargetUs + packager.partTargetUs - 1) / packager.partTargetUs;
        return (msn - lastMsn) * partsPerSegment + part - lastPart;
    }

    /** RFC 8216bis 6.2.5.2: three divided by the part target when it is under one second, else three. */
    private long advancePartLimit()
    {
        return packager.partTargetUs < 1_000_000 ? (3_000_000 + packager.partTargetUs - 1) / packager.partTargetUs : 3;
    }

    private long windowSeconds()
    {
        return Math.max(1, packager.windowSegments * packager.segmentTargetUs / 1_000_000);
    }

    private static byte[] text(final String body)
    {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private FullHttpResponse ok(final byte[] body, final String type, final String cacheControl, final boolean head)
    {
        metrics.count(LiveMetrics.Outcome.SERVED);
        final ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
            content);
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, type)
            .set(HttpHeaderNames.CACHE_CONTROL, cacheControl)
            .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    private FullHttpResponse badRequest(final String message)
    {
        metrics.count(LiveMetrics.Outcome.BAD_REQUEST);
        return error(HttpResponseStatus.BAD_REQUEST, "live.bad_request", message);
    }

    FullHttpResponse notFound(final String message)
    {
        metrics.count(LiveMetrics.Outcome.NOT_FOUND);
        return error(HttpResponseStatus.NOT_FOUND, "live.not_found", message);
    }

    static FullHttpResponse unavailable(final String message)
    {
        return error(HttpResponseStatus.SERVICE_UNAVAILABLE, "live.unavailable", message);
    }

    private static FullHttpResponse error(final HttpResponseStatus status, final String code, final String message)
    {
        final byte[] body = (status.code() + " " + code + ": " + message + "\n").getBytes(StandardCharsets.UTF_8);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.wrappedBuffer(body));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
            .set(HttpHeaderNames.CACHE_CONTROL, NO_STORE)
            .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }
}
