package io.bifrost.edge.player;

import io.bifrost.protocol.node.LingeringClose;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
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
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One connection's (or HTTP/2 stream's) player requests. Sits before the edge's request handler: a request under
 * {@code /player} is read here (a beacon body up to {@link QoeBeaconParser#MAX_BODY_BYTES}) and answered from
 * {@link PlayerService}; every other message goes on untouched.
 *
 * <p>HTTP/1.1 pipelining keeps its order: the handler counts requests it passed on whose response has not ended yet
 * (it sees their last content go out), answers a player request only when that count is zero, and holds whatever
 * arrives after it until then (at most {@link #MAX_HELD} messages, else the connection is closed).
 *
 * <p>Event-loop confined.
 */
final class PlayerHandler extends ChannelDuplexHandler
{
    /** Inbound messages held behind a player request waiting for earlier responses. */
    static final int MAX_HELD = 64;
    /** Body bytes dropped after an oversized beacon before the connection is closed without waiting further. */
    static final int MAX_DISCARD_BYTES = 1 << 20;

    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; " +
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' blob: data:; worker-src 'self' blob:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'";

    private final PlayerService service;
    private final Runnable onRequestHead;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private int outstanding;
    private boolean passing;
    private HttpRequest request;
    private ByteBuf body;
    private boolean tooLarge;
    private boolean answerWaiting;
    private boolean closing;
    private long discarded;

    PlayerHandler(final PlayerService service, final Runnable onRequestHead)
    {
        this.service = service;
        this.onRequestHead = onRequestHead;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (closing)
        {
            discard(ctx, msg);
            return;
        }
        if (answerWaiting)
        {
            if (held.size() >= MAX_HELD)
            {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            held.add(msg);
            return;
        }
        process(ctx, msg);
    }

    private void process(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof HttpRequest head)
        {
            if (!head.decoderResult().isSuccess() || !PlayerRoute.owns(head.uri()))
            {
                passing = true;
                outstanding++;
                ctx.fireChannelRead(msg);
                return;
            }
            if (onRequestHead != null)
            {
                onRequestHead.run();
            }
            passing = false;
            request = head;
            tooLarge = false;
        }
        else if (!(msg instanceof HttpContent) || passing)
        {
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof HttpContent content)
        {
            readBody(ctx, content);
        }
    }

    private void readBody(final ChannelHandlerContext ctx, final HttpContent content)
    {
        try
        {
            if (request == null)
            {
                return;
            }
            final int readable = content.content().readableBytes();
            if (readable > 0 && HttpMethod.POST.equals(request.method()) && !tooLarge)
            {
                if (body == null)
                {
                    body = ctx.alloc().heapBuffer(Math.min(readable, QoeBeaconParser.MAX_BODY_BYTES));
                }
                if (body.readableBytes() + readable > QoeBeaconParser.MAX_BODY_BYTES)
                {
                    tooLarge = true;
                    releaseBody();
                }
                else
                {
                    body.writeBytes(content.content());
                }
            }
            if (tooLarge && outstanding == 0)
            {
                // Refuse at once rather than read the rest; the lingering close drains what is still in flight.
                refuseOversized(ctx, content instanceof LastHttpContent);
                return;
            }
            if (content instanceof LastHttpContent)
            {
                if (outstanding == 0)
                {
                    answer(ctx);
                }
                else
                {
                    answerWaiting = true;
                }
            }
        }
        finally
        {
            content.release();
        }
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
    {
        final boolean ended = msg instanceof LastHttpContent && outstanding > 0;
        ctx.write(msg, promise);
        if (ended && --outstanding == 0 && answerWaiting)
        {
            answerWaiting = false;
            if (tooLarge)
            {
                refuseOversized(ctx, true);
                return;
            }
            answer(ctx);
            drainHeld(ctx);
        }
    }

    private void drainHeld(final ChannelHandlerContext ctx)
    {
        while (!answerWaiting && !closing && !held.isEmpty())
        {
            process(ctx, held.poll());
        }
    }

    private void answer(final ChannelHandlerContext ctx)
    {
        final HttpRequest head = request;
        request = null;
        final ByteBuf received = body;
        body = null;
        try
        {
            final boolean keepAlive = HttpUtil.isKeepAlive(head);
            final FullHttpResponse response = respond(head, received);
            if (!keepAlive)
            {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            if (keepAlive)
            {
                ctx.writeAndFlush(response);
            }
            else
            {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
        finally
        {
            if (received != null)
            {
                received.release();
            }
        }
    }

    private FullHttpResponse respond(final HttpRequest head, final ByteBuf received)
    {
        final String uri = head.uri();
        final int query = uri.indexOf('?');
        final PlayerRoute route = PlayerRoute.parse(query < 0 ? uri : uri.substring(0, query));
        final HttpMethod method = head.method();
        if (HttpMethod.OPTIONS.equals(method))
        {
            service.count(PlayerService.Outcome.PREFLIGHT);
            final FullHttpResponse response = empty(HttpResponseStatus.NO_CONTENT);
            response.headers()
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, route.kind() == PlayerRoute.Kind.BEACON ?
                    "POST, OPTIONS" : "GET, HEAD, OPTIONS")
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type")
                .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
            return response;
        }
        return switch (route.kind())
        {
            case BEACON -> beacon(method, received);
            case PAGE -> file(head, service.page(), PlayerService.Outcome.PAGE);
            case ASSET ->
            {
                final PlayerAsset asset = service.asset(route.asset());
                yield asset == null ?
                    error(HttpResponseStatus.SERVICE_UNAVAILABLE, "player.unavailable",
                        "hls.js is not installed on this edge", PlayerService.Outcome.UNAVAILABLE) :
                    file(head, asset, PlayerService.Outcome.ASSET);
            }
            case NOT_FOUND -> error(HttpResponseStatus.NOT_FOUND, "player.not_found",
                "no player page or asset at this path; pages are /player/{id} and /player/live/{id}",
                PlayerService.Outcome.NOT_FOUND);
        };
    }

    private FullHttpResponse beacon(final HttpMethod method, final ByteBuf received)
    {
        if (!HttpMethod.POST.equals(method))
        {
            final FullHttpResponse response = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "player.method",
                "QoE beacons are POSTed", PlayerService.Outcome.METHOD_NOT_ALLOWED);
            response.headers().set(HttpHeaderNames.ALLOW, "POST, OPTIONS");
            return response;
        }
        final BeaconParse parsed;
        if (received == null)
        {
            parsed = BeaconRejection.MALFORMED;
        }
        else
        {
            final byte[] bytes = new byte[received.readableBytes()];
            received.readBytes(bytes);
            parsed = QoeBeaconParser.parse(bytes);
        }
        return switch (parsed)
        {
            case QoeBeacon beacon ->
            {
                service.accept(beacon);
                service.count(PlayerService.Outcome.BEACON);
                final FullHttpResponse response = empty(HttpResponseStatus.NO_CONTENT);
                response.headers()
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
                yield response;
            }
            case BeaconRejection rejection -> rejectBeacon(rejection);
        };
    }

    private FullHttpResponse rejectBeacon(final BeaconRejection rejection)
    {
        service.qoe().reject(rejection);
        final FullHttpResponse response = error(
            rejection == BeaconRejection.TOO_LARGE ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE : HttpResponseStatus.BAD_REQUEST,
            "qoe." + rejection.code(), rejection.message(), PlayerService.Outcome.BAD_BEACON);
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        return response;
    }

    private void refuseOversized(final ChannelHandlerContext ctx, final boolean bodyEnded)
    {
        request = null;
        releaseBody();
        final FullHttpResponse response = rejectBeacon(BeaconRejection.TOO_LARGE);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        closing = true;
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        if (bodyEnded)
        {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
        else
        {
            LingeringClose.writeAndClose(ctx, response);
        }
    }

    private void discard(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof HttpContent content)
        {
            discarded += content.content().readableBytes();
        }
        ReferenceCountUtil.release(msg);
        if (discarded > MAX_DISCARD_BYTES)
        {
            ctx.close();
        }
    }

    private FullHttpResponse file(final HttpRequest head, final PlayerAsset asset, final PlayerService.Outcome outcome)
    {
        final HttpMethod method = head.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method))
        {
            final FullHttpResponse response = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "player.method",
                "player pages and assets are read with GET or HEAD", PlayerService.Outcome.METHOD_NOT_ALLOWED);
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD, OPTIONS");
            return response;
        }
        final boolean notModified = asset.etag().equals(head.headers().get(HttpHeaderNames.IF_NONE_MATCH));
        service.count(notModified ? PlayerService.Outcome.NOT_MODIFIED : outcome);
        final FullHttpResponse response;
        if (notModified)
        {
            response = empty(HttpResponseStatus.NOT_MODIFIED);
        }
        else
        {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                HttpMethod.HEAD.equals(method) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(asset.bytes()));
            HttpUtil.setContentLength(response, asset.bytes().length);
        }
        final HttpHeaders headers = response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, asset.contentType())
            .set(HttpHeaderNames.CACHE_CONTROL, asset.cacheControl())
            .set(HttpHeaderNames.ETAG, asset.etag())
            .set("X-Content-Type-Options", "nosniff")
            .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        if (outcome == PlayerService.Outcome.PAGE)
        {
            // No frame restriction: operators embed the reference player in their own pages.
            headers.set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)
                .set("Referrer-Policy", "no-referrer");
        }
        return response;
    }

    private static FullHttpResponse empty(final HttpResponseStatus status)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        if (status.code() != HttpResponseStatus.NOT_MODIFIED.code() && status.code() != HttpResponseStatus.NO_CONTENT.code())
        {
            HttpUtil.setContentLength(response, 0);
        }
        return response;
    }

    private FullHttpResponse error(
        final HttpResponseStatus status, final String code, final String message, final PlayerService.Outcome outcome)
    {
        service.count(outcome);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.copiedBuffer(status.code() + " " + code + ": " + message + "\n", StandardCharsets.UTF_8));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
            .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        return response;
    }

    private void releaseBody()
    {
        if (body != null)
        {
            body.release();
            body = null;
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        releaseBody();
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        ctx.fireChannelInactive();
    }
}
