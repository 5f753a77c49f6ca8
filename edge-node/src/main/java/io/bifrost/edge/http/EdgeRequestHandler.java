package io.bifrost.edge.http;

import io.bifrost.edge.cache.CacheHit;
import io.bifrost.edge.cache.CacheTierName;
import io.bifrost.edge.cache.ram.RamHit;
import io.bifrost.edge.fill.FillHops;
import io.bifrost.edge.fill.OriginFill;
import io.bifrost.edge.live.ChunkedLiveReply;
import io.bifrost.edge.live.LiveReply;
import io.bifrost.edge.live.SharedLiveReply;
import io.bifrost.edge.ring.AccessRing;
import io.bifrost.edge.ring.TierRing;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKind;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.naming.PathRejection;
import io.bifrost.protocol.node.Readiness;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;

/**
 * One viewer connection: decodes requests into content keys and answers them one at a time, in order (HTTP/1.1
 * pipelining is safe: requests that arrive while a response is streaming wait in a small bounded queue).
 *
 * <p>All state is confined to the connection's event loop; fill callbacks come back through
 * {@link #responseDone} and {@link #sendError}, which re-post to it.
 */
final class EdgeRequestHandler extends ChannelInboundHandlerAdapter
{
    /** Requests that may wait behind the one being answered before the connection is closed. */
    static final int MAX_PIPELINED = 16;

    /** How a request ended, counted as {@code bifrost.edge.requests{outcome}}. */
    enum Outcome
    {
        HIT, STALE, FILLED, PARTIAL, HEAD, NOT_MODIFIED, RANGE_NOT_SATISFIABLE, BAD_REQUEST, FORBIDDEN, METHOD_NOT_ALLOWED,
        ORIGIN_ERROR, ABORTED, PREFLIGHT, OPS, LIVE_HOLD_TIMEOUT;

        /** Lower-case name, the metrics tag value. */
        final String tag = name().toLowerCase(Locale.ROOT);
    }

    private final RequestServices shared;
    private final ArrayDeque<HttpRequest> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private RequestHeadDeadline headDeadline;
    private EncodedResponseWriter encodedWriter;
    private ViewerResponse current;
    private String currentPath;
    private OriginFill currentFill;
    /** The current request's {@link FillHops#HEADER}: how many edges it passed through (a miss forwards it once more). */
    private int currentHops;
    private LiveReply currentLive;
    private boolean currentKeepAlive;
    private long currentStartNanos;
    private boolean currentTimed;

    EdgeRequestHandler(final RequestServices shared)
    {
        this.shared = shared;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        this.headDeadline = ctx.pipeline().get(RequestHeadDeadline.class);
        // HTTP/1.1 connections only: an HTTP/2 stream's pipeline has no writer below a codec.
        this.encodedWriter = ctx.pipeline().get(EncodedResponseWriter.class);
    }


    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        try
        {
            if (msg instanceof HttpRequest request)
            {
                if (headDeadline != null)
                {
                    headDeadline.headComplete();
                }
                if (current == null && pending.isEmpty())
                {
                    handle(request);
                }
                else if (pending.size() < MAX_PIPELINED)
                {
                    pending.add(request);
                }
                else
                {
                    ctx.close();
                }
            }
        }
        finally
        {
            if (msg instanceof HttpContent)
            {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    private void handle(final HttpRequest request)
    {
        currentStartNanos = System.nanoTime();
        currentTimed = true;
        currentKeepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess())
        {
            currentKeepAlive = false;
            final Throwable cause = request.decoderResult().cause();
            final HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG :
                cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE :
                cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE :
                HttpResponseStatus.BAD_REQUEST;
            writeFull(status, "http.malformed", "malformed request: " + cause.getMessage(), Outcome.BAD_REQUEST);
            return;
        }
        final HttpMethod method = request.method();
        final String uri = request.uri();
        final int query = uri.indexOf('?');
        final String target = query < 0 ? uri : uri.substring(0, query);
        // A signed URL's path form, /t/{token}/{path}: served as {path} (cache key, fill, telemetry), token checked below.
        final int tokenSplit = TokenPath.split(target);
        final String path = tokenSplit > 0 ? target.substring(tokenSplit) : target;
        currentPath = path;
        if (HttpMethod.OPTIONS.equals(method))
        {
            final FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
            Cors.applyPreflight(response.headers());
            finishWith(response, Outcome.PREFLIGHT);
            return;
        }
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method))
        {
            writeFull(HttpResponseStatus.METHOD_NOT_ALLOWED, "http.method", "only GET, HEAD and OPTIONS are served",
                Outcome.METHOD_NOT_ALLOWED);
            return;
        }
        if (answerOps(target))
        {
            return;
        }
        if (tokenSplit < 0)
        {
            final TokenGate.Refusal malformed = shared.tokenGate().refusePathForm(tokenSplit);
            writeFull(HttpResponseStatus.BAD_REQUEST, malformed.code(), malformed.message(), Outcome.BAD_REQUEST);
            return;
        }
        switch (ContentKeyParser.parse(path))
        {
            case PathRejection rejection ->
            {
                shared.rejections().get(rejection).increment();
                writeFull(HttpResponseStatus.BAD_REQUEST, rejection.code(), rejection.message(), Outcome.BAD_REQUEST);
            }
            case ContentKey key ->
            {
                final TokenGate gate = shared.tokenGate();
                final TokenGate.Refusal refusal = !gate.isProtected(path) ? null :
                    gate.check(path, query < 0 ? null : uri.substring(query + 1),
                    tokenSplit > 0 ? TokenPath.token(target, tokenSplit) : null,
                    ((InetSocketAddress)ctx.channel().remoteAddress()).getAddress(),
                    Instant.ofEpochMilli(shared.clock().getAsLong()));
                if (refusal != null)
                {
                    writeFull(HttpResponseStatus.FORBIDDEN, refusal.code(), refusal.message(), Outcome.FORBIDDEN);
                    return;
                }
                currentHops = FillHops.parse(request.headers().get(FillHops.HEADER));
                current = new ViewerResponse(ctx.channel(), key, HttpMethod.HEAD.equals(method),
                    request.headers().get(HttpHeaderNames.RANGE), request.headers().get(HttpHeaderNames.IF_NONE_MATCH),
                    this);
                if (key.isLive() && shared.live() != null)
                {
                    final LiveReply reply = new ViewerLiveReply(current);
                    if (shared.live().answer(key, query < 0 ? null : uri.substring(query + 1), reply))
                    {
                        currentLive = reply;
                        // A blocking reload or a preload-hinted part may be held until the part arrives: that wait is
                        // the stream's pace, not the edge's latency, so it stays out of the first-byte percentiles.
                        currentTimed = key.kind() != ContentKind.PART && (query < 0 || !uri.contains("_HLS_msn="));
                        return;
                    }
                }
                lookup(current, key);
            }
        }
    }

    /**
     * RAM tier (inline, or on the tier ring in ring mode), then the SSD tier through the ring, then an origin fill.
     * A full ring never stalls a request: the lookup carries on inline without it.
     */
    private void lookup(final ViewerResponse response, final ContentKey key)
    {
        final TierRing ring = shared.tierRing();
        if (shared.ramHitViaRing() && ring.lookup(key, true, hit -> lookupDone(response, hit)))
        {
            return;
        }
        final long nowMs = shared.clock().getAsLong();
        final RamHit hit = shared.ramTier().acquire(key, nowMs);
        if (hit != null)
        {
            if (!serveEncodedHit(response, hit, nowMs))
            {
                response.serveHit(hit, nowMs);
            }
        }
        else if (ring == null || !ring.hasSsd() || !ring.lookup(key, false, ssdHit -> lookupDone(response, ssdHit)))
        {
            currentFill = shared.coalescer().request(key, response, currentHops);
        }
    }

    /**
     * A RAM hit for a plain keep-alive HTTP/1.1 GET (no Range, no If-None-Match): its head encoded once per object
     * ({@link EncodedHitHead}) and the body from the slab, written below the codec with one flush, with none of the
     * per-request header maps and response objects of {@link ViewerResponse#serveHit} (same bytes on the wire).
     *
     * @return false when the request needs the general path; the hit is still the caller's then.
     */
    private boolean serveEncodedHit(final ViewerResponse response, final RamHit hit, final long nowMs)
    {
        if (encodedWriter == null || !currentKeepAlive || !response.isPlainUnconditionalGet() || hit.status() != 200)
        {
            return false;
        }
        final ByteBuf head = EncodedHitHead.of(hit, response.key()).write(ctx.alloc(), hit.ageSeconds(nowMs));
        final ChannelPromise bodyWritten = ctx.newPromise();
        bodyWritten.addListener(written -> hit.release());
        final boolean written = encodedWriter.writeAndFlush(ctx, head, hit.content(), bodyWritten);
        complete(written ? Outcome.HIT : Outcome.ABORTED, written, written ? hit.length() : 0, CacheTierName.RAM);
        return true;
    }

    /**
     * A ring lookup finished (on the ring's thread): continue on this connection's event loop.
     */
    private void lookupDone(final ViewerResponse response, final CacheHit hit)
    {
        try
        {
            ctx.executor().execute(() ->
            {
                if (response != current)
                {
                    if (hit != null)
                    {
                        hit.release();
                    }
                }
                else if (hit != null)
                {
                    final long nowMs = shared.clock().getAsLong();
                    if (!(hit instanceof RamHit ramHit && serveEncodedHit(response, ramHit, nowMs)))
                    {
                        response.serveHit(hit, nowMs);
                    }
                }
                else
                {
                    currentFill = shared.coalescer().request(response.key(), response, currentHops);
                }
            });
        }
        catch (final RejectedExecutionException closing)
        {
            if (hit != null)
            {
                hit.release();
            }
        }
    }

    /**
     * The live window's answer to a live request (replicated from the origin over Aeron): served like a RAM hit,
     * refused (400 bad LL-HLS directives, 503 held past three target durations), or handed to the normal path; the
     * segment being produced streamed part by part (low-latency DASH). Always called on this connection's event loop.
     */
    private final class ViewerLiveReply extends LiveReply implements SharedLiveReply, ChunkedLiveReply
    {
        private final ViewerResponse response;
        private long chunkedBytes;

        ViewerLiveReply(final ViewerResponse response)
        {
            super(ctx.executor());
            this.response = response;
        }

        @Override
        public boolean acceptsShared()
        {
            return response == current && currentKeepAlive && response.isPlainGet();
        }

        @Override
        public boolean acceptsEncoded()
        {
            return encodedWriter != null && encodedWriter.liveAnswers() && acceptsShared();
        }

        @Override
        public void writeEncoded(final ByteBuf encoded, final int contentLength, final ChannelFutureListener onWritten)
        {
            currentLive = null;
            final boolean written = encodedWriter.writeAndFlush(ctx, encoded, promise(onWritten));
            complete(written ? Outcome.HIT : Outcome.ABORTED, written, contentLength, CacheTierName.RAM);
        }

        @Override
        public void writeShared(final FullHttpResponse shared, final ChannelFutureListener onWritten)
        {
            currentLive = null;
            final long bytes = shared.content().readableBytes();
            ctx.writeAndFlush(shared, promise(onWritten));
            complete(Outcome.HIT, true, bytes, CacheTierName.RAM);
        }

        /**
         * The batch times only its last write ({@link SharedLiveReply}): every other viewer's write takes the void
         * promise (a failure reaches {@link #exceptionCaught}, which closes the connection).
         */
        private ChannelPromise promise(final ChannelFutureListener onWritten)
        {
            return onWritten == null ? ctx.voidPromise() : ctx.newPromise().addListener(onWritten);
        }

        @Override
        public boolean acceptsChunked()
        {
            return response == current && response.isPlainGet();
        }

        @Override
        public void startChunked(final HttpHeaders headers)
        {
            if (response == current)
            {
                // the segment's pace is the stream's, not the edge's latency: out of the first-byte percentiles
                currentTimed = false;
                if (!currentKeepAlive)
                {
                    headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, headers), ctx.voidPromise());
            }
        }

        @Override
        public void writeChunk(final ByteBuf chunk)
        {
            if (response != current)
            {
                chunk.release();
                return;
            }
            chunkedBytes += chunk.readableBytes();
            ctx.writeAndFlush(new DefaultHttpContent(chunk), ctx.voidPromise());
        }

        @Override
        public void endChunked(final boolean complete)
        {
            if (response == current)
            {
                currentLive = null;
                if (complete)
                {
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
                }
                complete(complete ? Outcome.HIT : Outcome.ABORTED, complete, chunkedBytes, CacheTierName.RAM);
            }
        }

        @Override
        protected void onHit(final CacheHit hit)
        {
            if (response != current)
            {
                hit.release();
                return;
            }
            currentLive = null;
            response.serveHit(hit, shared.clock().getAsLong());
        }

        @Override
        protected void onRefuse(final int status, final String code, final String message)
        {
            if (response == current)
            {
                currentLive = null;
                writeFull(HttpResponseStatus.valueOf(status), code, message,
                    status == 400 ? Outcome.BAD_REQUEST : Outcome.LIVE_HOLD_TIMEOUT);
            }
        }

        @Override
        protected void onFallBack()
        {
            if (response == current)
            {
                currentLive = null;
                lookup(response, response.key());
            }
        }
    }

    private boolean answerOps(final String path)
    {
        switch (path)
        {
            case "/healthz" -> writeText(HttpResponseStatus.OK, "text/plain; charset=utf-8", "up\n");
            case "/readyz" ->
            {
                final Readiness readiness = shared.readiness().get();
                writeText(readiness.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "text/plain; charset=utf-8", (readiness.ready() ? "ready" : "not ready: " + readiness.detail()) + "\n");
            }
            case "/metrics" -> writeText(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                shared.metricsText().get());
            default ->
            {
                return false;
            }
        }
        return true;
    }

    private void writeText(final HttpResponseStatus status, final String contentType, final String body)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType).set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        finishWith(response, Outcome.OPS);
    }

    private void writeFull(final HttpResponseStatus status, final String code, final String message, final Outcome outcome)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.copiedBuffer(status.code() + " " + code + ": " + message + "\n", StandardCharsets.UTF_8));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
            .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        Cors.apply(response.headers());
        HttpUtil.setContentLength(response, response.content().readableBytes());
        finishWith(response, outcome);
    }

    private void finishWith(final FullHttpResponse response, final Outcome outcome)
    {
        if (!currentKeepAlive)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        final long bytes = response.content().readableBytes();
        ctx.writeAndFlush(response);
        complete(outcome, true, bytes, CacheTierName.NONE);
    }

    /**
     * A response from a fill has ended; called from any thread.
     */
    void responseDone(final ViewerResponse response, final Outcome outcome, final boolean reusable)
    {
        onLoop(() ->
        {
            if (response == current)
            {
                complete(outcome, reusable, response.bytesSent(), response.tier());
            }
        });
    }

    /**
     * A fill failed before any head was sent: answer with an expired copy if one may stand in (stale-if-error: the RAM
     * tier's, else the SSD tier's, looked up through the tier ring), otherwise with the error status; called from any
     * thread.
     */
    void sendError(
        final ViewerResponse response,
        final HttpResponseStatus status,
        final String code,
        final String detail,
        final Outcome outcome)
    {
        onLoop(() ->
        {
            if (response != current)
            {
                return;
            }
            final long nowMs = shared.clock().getAsLong();
            final RamHit stale = status.code() >= 500 ?
                shared.ramTier().acquireStale(response.path(), nowMs, shared.staleIfErrorMs()) : null;
            if (stale != null)
            {
                serveStale(response, stale, nowMs);
                return;
            }
            final TierRing ring = shared.tierRing();
            if (status.code() >= 500 && ring != null && ring.lookupStale(response.key(),
                ssdStale -> staleLookupDone(response, ssdStale, status, code, detail, outcome)))
            {
                currentFill = null;
                return;
            }
            writeFull(status, code, detail, outcome);
        });
    }

    /**
     * The SSD's stale-if-error lookup finished (on the ring's thread): serve the expired copy, or the error, on this
     * connection's event loop.
     */
    private void staleLookupDone(
        final ViewerResponse response,
        final CacheHit stale,
        final HttpResponseStatus status,
        final String code,
        final String detail,
        final Outcome outcome)
    {
        try
        {
            ctx.executor().execute(() ->
            {
                if (response != current)
                {
                    if (stale != null)
                    {
                        stale.release();
                    }
                }
                else if (stale != null)
                {
                    serveStale(response, stale, shared.clock().getAsLong());
                }
                else
                {
                    writeFull(status, code, detail, outcome);
                }
            });
        }
        catch (final RejectedExecutionException closing)
        {
            if (stale != null)
            {
                stale.release();
            }
        }
    }

    private void serveStale(final ViewerResponse response, final CacheHit stale, final long nowMs)
    {
        current = response.retry();
        currentFill = null;
        current.serveHit(stale, nowMs, true);
    }

    /**
     * Run on this connection's event loop: at once when already there (a RAM hit answered inline), else queued after
     * the writes a fill thread has already issued, so the end of a response never overtakes its bytes.
     */
    private void onLoop(final Runnable task)
    {
        if (ctx.executor().inEventLoop())
        {
            task.run();
        }
        else
        {
            ctx.executor().execute(task);
        }
    }

    private void complete(final Outcome outcome, final boolean reusable, final long bytes, final CacheTierName tier)
    {
        shared.outcomes().get(outcome).increment();
        final AccessRing access = shared.accessRing();
        if (access != null)
        {
            final long headNanos = current == null ? 0 : current.headNanos();
            final long firstByteNanos = !currentTimed ? -1 :
                (headNanos != 0 ? headNanos : System.nanoTime()) - currentStartNanos;
            access.record(currentPath, bytes, outcome.tag, tier, firstByteNanos);
        }
        current = null;
        currentFill = null;
        currentLive = null;
        if (!reusable || !currentKeepAlive)
        {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            pending.clear();
            return;
        }
        final HttpRequest next = pending.poll();
        if (next != null)
        {
            handle(next);
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof IdleStateEvent && current == null)
        {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (currentFill != null)
        {
            currentFill.detach(current);
        }
        if (currentLive != null)
        {
            currentLive.cancel();
        }
        current = null;
        currentFill = null;
        currentLive = null;
        pending.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }
}
