package io.bifrost.edge.http;

import io.bifrost.edge.cache.ram.RamHit;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.fill.FillCoalescer;
import io.bifrost.edge.fill.OriginFill;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.naming.PathRejection;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

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
        ORIGIN_ERROR, ABORTED, PREFLIGHT, OPS
    }

    /** What every connection shares. */
    record Shared(
        TokenGate tokenGate,
        RamTier ramTier,
        long staleIfErrorMs,
        long requestHeadTimeoutMs,
        LongSupplier clock,
        FillCoalescer coalescer,
        AtomicInteger openConnections,
        Map<Outcome, Counter> outcomes,
        Map<PathRejection, Counter> rejections,
        Supplier<Readiness> readiness,
        Supplier<String> metricsText)
    {
        static Shared create(
            final TokenGate tokenGate,
            final RamTier ramTier,
            final long staleIfErrorMs,
            final long requestHeadTimeoutMs,
            final LongSupplier clock,
            final FillCoalescer coalescer,
            final MeterRegistry registry,
            final Supplier<Readiness> readiness,
            final Supplier<String> metricsText)
        {
            final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
            for (final Outcome outcome : Outcome.values())
            {
                outcomes.put(outcome, Counter.builder("bifrost.edge.requests")
                    .description("viewer requests by how they ended")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry));
            }
            final AtomicInteger open = new AtomicInteger();
            Gauge.builder("bifrost.edge.connections.open", open, AtomicInteger::get)
                .description("viewer connections open now").register(registry);
            final Map<PathRejection, Counter> rejections = new EnumMap<>(PathRejection.class);
            for (final PathRejection rejection : PathRejection.values())
            {
                rejections.put(rejection, Counter.builder("bifrost.edge.rejected.paths")
                    .description("requests refused because the path names no content")
                    .tag("reason", rejection.code()).register(registry));
            }
            return new Shared(tokenGate, ramTier, staleIfErrorMs, requestHeadTimeoutMs, clock, coalescer, open, outcomes, rejections, readiness, metricsText);
        }
    }

    private final Shared shared;
    private final ArrayDeque<HttpRequest> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private RequestHeadDeadline headDeadline;
    private ViewerResponse current;
    private OriginFill currentFill;
    private boolean currentKeepAlive;

    EdgeRequestHandler(final Shared shared)
    {
        this.shared = shared;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        this.headDeadline = ctx.pipeline().get(RequestHeadDeadline.class);
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
        final String path = query < 0 ? uri : uri.substring(0, query);
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
        if (answerOps(path))
        {
            return;
        }
        switch (ContentKeyParser.parse(path))
        {
            case PathRejection rejection ->
            {
                shared.rejections.get(rejection).increment();
                writeFull(HttpResponseStatus.BAD_REQUEST, rejection.code(), rejection.message(), Outcome.BAD_REQUEST);
            }
            case ContentKey key ->
            {
                final TokenGate.Refusal refusal = shared.tokenGate.check(path, query < 0 ? null : uri.substring(query + 1),
                    ((InetSocketAddress)ctx.channel().remoteAddress()).getAddress(),
                    Instant.ofEpochMilli(shared.clock.getAsLong()));
                if (refusal != null)
                {
                    writeFull(HttpResponseStatus.FORBIDDEN, refusal.code(), refusal.message(), Outcome.FORBIDDEN);
                    return;
                }
                current = new ViewerResponse(ctx.channel(), key, HttpMethod.HEAD.equals(method),
                    request.headers().get(HttpHeaderNames.RANGE), request.headers().get(HttpHeaderNames.IF_NONE_MATCH),
                    this);
                final long nowMs = shared.clock.getAsLong();
                final RamHit hit = shared.ramTier.acquire(key, nowMs);
                if (hit != null)
                {
                    current.serveHit(hit, nowMs);
                }
                else
                {
                    currentFill = shared.coalescer.request(key, current);
                }
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
                final Readiness readiness = shared.readiness.get();
                writeText(readiness.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "text/plain; charset=utf-8", (readiness.ready() ? "ready" : "not ready: " + readiness.detail()) + "\n");
            }
            case "/metrics" -> writeText(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                shared.metricsText.get());
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
        ctx.writeAndFlush(response);
        complete(outcome, true);
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
                complete(outcome, reusable);
            }
        });
    }

    /**
     * A fill failed before any head was sent: answer with an expired copy if one may stand in (stale-if-error),
     * otherwise with the error status; called from any thread.
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
            final long nowMs = shared.clock.getAsLong();
            final RamHit stale = status.code() >= 500 ?
                shared.ramTier.acquireStale(response.path(), nowMs, shared.staleIfErrorMs) : null;
            if (stale != null)
            {
                current = response.retry();
                currentFill = null;
                current.serveHit(stale, nowMs, true);
                return;
            }
            writeFull(status, code, detail, outcome);
        });
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

    private void complete(final Outcome outcome, final boolean reusable)
    {
        shared.outcomes.get(outcome).increment();
        current = null;
        currentFill = null;
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
        current = null;
        currentFill = null;
        pending.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }
}
