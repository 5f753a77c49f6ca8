package io.bifrost.origin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bifrost.origin.live.LiveResponder;
import io.bifrost.origin.keys.KeyEndpoints;
import io.bifrost.origin.store.OriginStore;
import io.bifrost.origin.store.StoredObject;
import io.bifrost.protocol.http.ByteRange;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.naming.PathRejection;
import io.bifrost.protocol.node.Readiness;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers every request that reaches the end of the origin's pipeline (the upload handler, when there is one, has
 * taken its own): {@code /healthz}, {@code /readyz}, {@code /metrics}; the management API under {@code /api/v1/}
 * through the {@link ApiRouter} in the JSON envelope; and content under {@code /vod/} and {@code /live/} from the
 * {@link OriginStore}, with single byte ranges, ETag / If-None-Match, Last-Modified / If-Modified-Since, HEAD and
 * CORS. Live content ({@code /live/}) is answered by the {@link LiveResponder} from the packager's windows; a
 * blocking playlist reload or a preload-hinted part is held without a thread and answered later on the connection's
 * executor, and requests pipelined behind a held one wait (at most {@value #MAX_PIPELINED_BEHIND_HELD}) so responses
 * stay in order. The segment being written is streamed chunk by chunk through a {@link HeldLiveReply} (low-latency DASH);
 * the requests behind it wait for its end the same way.
 *
 * <p>Shared by every connection and stateless but for the per-channel queue behind a held request; runs on the
 * server's blocking executor (RocksDB reads and API work block), one executor per connection, so pipelined responses
 * stay in order.
 */
@ChannelHandler.Sharable
final class OriginRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    private static final Logger LOG = LoggerFactory.getLogger(OriginRequestHandler.class);
    private static final String API_PREFIX = "/api/";
    /** Requests a client may pipeline behind a held live request before the connection is closed. */
    static final int MAX_PIPELINED_BEHIND_HELD = 16;
    /** Set on a channel while one of its requests is held: the requests pipelined behind it. */
    private static final AttributeKey<ArrayDeque<FullHttpRequest>> BEHIND_HELD =
        AttributeKey.valueOf("bifrost.origin.behind-held");

    private final OriginStore store;
    private final ApiRouter router;
    private final Supplier<Readiness> readiness;
    private final Supplier<String> metricsText;
    private final RequestMetrics metrics;
    private final LiveResponder live;
    private final KeyEndpoints keys;
    private final ObjectMapper json = new ObjectMapper();

    OriginRequestHandler(final OriginStore store, final ApiRouter router, final Supplier<Readiness> readiness,
        final Supplier<String> metricsText, final RequestMetrics metrics, final LiveResponder live,
        final KeyEndpoints keys)
    {
        this.keys = keys;
        this.live = live;
        this.store = store;
        this.router = router;
        this.readiness = readiness;
        this.metricsText = metricsText;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final ArrayDeque<FullHttpRequest> behind = ctx.channel().attr(BEHIND_HELD).get();
        if (behind != null)
        {
            if (behind.size() >= MAX_PIPELINED_BEHIND_HELD)
            {
                metrics.count(RequestMetrics.Outcome.MALFORMED);
                ctx.close();
                return;
            }
            behind.add(request.retain());
            return;
        }
        handle(ctx, request);
    }

    /**
     * @return true when the request is held (its answer comes later; requests behind it wait).
     */
    private boolean handle(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess())
        {
            metrics.count(RequestMetrics.Outcome.MALFORMED);
            send(ctx, errorText(HttpResponseStatus.BAD_REQUEST, "http.malformed", "malformed request"), false);
            return false;
        }
        final String uri = request.uri();
        final int queryStart = uri.indexOf('?');
        final String path = queryStart < 0 ? uri : uri.substring(0, queryStart);
        FullHttpResponse response;
        try
        {
            response = respond(ctx, request, path, uri, keepAlive);
        }
        catch (final RuntimeException ex)
        {
            LOG.error("request {} {} failed", request.method(), path, ex);
            metrics.count(RequestMetrics.Outcome.ERROR);
            response = errorText(HttpResponseStatus.INTERNAL_SERVER_ERROR, "origin.error", "internal error");
        }
        if (response == null)
        {
            ctx.channel().attr(BEHIND_HELD).set(new ArrayDeque<>());
            return true;
        }
        send(ctx, response, keepAlive);
        return false;
    }

    /** A held live request got its answer (on this channel's executor): send it, then the requests behind it. */
    void answerHeld(final ChannelHandlerContext ctx, final FullHttpResponse response, final boolean keepAlive)
    {
        Cors.apply(response.headers());
        send(ctx, response, keepAlive);
        handleBehindHeld(ctx);
    }

    /** The held or streamed answer is out: handle the requests pipelined behind it, in order. */
    void handleBehindHeld(final ChannelHandlerContext ctx)
    {
        final ArrayDeque<FullHttpRequest> behind = ctx.channel().attr(BEHIND_HELD).getAndSet(null);
        while (behind != null && !behind.isEmpty())
        {
            final FullHttpRequest next = behind.poll();
            final boolean held;
            try
            {
                held = handle(ctx, next);
            }
            finally
            {
                next.release();
            }
            if (held)
            {
                ctx.channel().attr(BEHIND_HELD).get().addAll(behind);
                return;
            }
        }
    }

    private FullHttpResponse respond(final ChannelHandlerContext ctx, final FullHttpRequest request,
        final String path, final String uri, final boolean keepAlive)
    {
        final HttpMethod method = request.method();
        if (HttpMethod.OPTIONS.equals(method))
        {
            final FullHttpResponse preflight = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
            Cors.applyPreflight(preflight.headers());
            metrics.count(RequestMetrics.Outcome.PREFLIGHT);
            return preflight;
        }
        if (path.startsWith(API_PREFIX))
        {
            final FullHttpResponse key = keys == null ? null : keys.respond(request, path);
            return key != null ? key : api(request, path, uri);
        }
        final boolean head = HttpMethod.HEAD.equals(method);
        if (!head && !HttpMethod.GET.equals(method))
        {
            metrics.count(RequestMetrics.Outcome.METHOD_NOT_ALLOWED);
            final FullHttpResponse refused = errorText(HttpResponseStatus.METHOD_NOT_ALLOWED, "http.method",
                "content is read with GET or HEAD");
            refused.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD, OPTIONS");
            return refused;
        }
        final FullHttpResponse ops = ops(path);
        if (ops != null)
        {
            metrics.count(RequestMetrics.Outcome.OPS);
            return ops;
        }
        return switch (ContentKeyParser.parse(path))
        {
            case PathRejection rejection ->
            {
                metrics.rejected(rejection);
                yield errorText(HttpResponseStatus.BAD_REQUEST, rejection.code(), rejection.message());
            }
            case ContentKey key when key.isLive() -> live(ctx, request, key, uri, head, keepAlive);
            case ContentKey key -> content(request, key, head);
        };
    }

    private FullHttpResponse live(final ChannelHandlerContext ctx, final FullHttpRequest request, final ContentKey key,
        final String uri, final boolean head, final boolean keepAlive)
    {
        if (live == null)
        {
            metrics.count(RequestMetrics.Outcome.NOT_FOUND);
            return errorText(HttpResponseStatus.NOT_FOUND, "content.not_found", "this origin packages no live streams");
        }
        // a streamed answer (chunked) needs HTTP/1.1 or HTTP/2; a Range is answered from the complete segment
        final boolean mayStream = !request.headers().contains(HttpHeaderNames.RANGE) &&
            !HttpVersion.HTTP_1_0.equals(request.protocolVersion());
        final FullHttpResponse response = live.respond(key, uri, head, mayStream, ctx.executor(),
            ctx.channel().closeFuture(), new HeldLiveReply(this, ctx, keepAlive));
        if (response != null)
        {
            Cors.apply(response.headers());
        }
        return response;
    }

    private FullHttpResponse content(final FullHttpRequest request, final ContentKey key, final boolean head)
    {
        final StoredObject object = store.get(key);
        if (object == null)
        {
            metrics.count(RequestMetrics.Outcome.NOT_FOUND);
            return errorText(HttpResponseStatus.NOT_FOUND, "content.not_found", "nothing is stored under " +
                key.path());
        }
        final String ifNoneMatch = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        final String ifModifiedSince = request.headers().get(HttpHeaderNames.IF_MODIFIED_SINCE);
        final boolean notModified = ifNoneMatch != null ? HttpValidators.noneMatchFails(ifNoneMatch, object.etag()) :
            ifModifiedSince != null && notModifiedSince(ifModifiedSince, object.lastModifiedMs());
        if (notModified)
        {
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
            validators(response, key, object);
            metrics.count(RequestMetrics.Outcome.NOT_MODIFIED);
            return response;
        }
        final long length = object.payloadLength();
        final ByteRange range = ByteRange.resolve(request.headers().get(HttpHeaderNames.RANGE), length);
        if (range == ByteRange.UNSATISFIABLE)
        {
            final FullHttpResponse response = errorText(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                "http.range", "the range lies beyond the " + length + " bytes of " + key.path());
            response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + length);
            metrics.count(RequestMetrics.Outcome.RANGE_NOT_SATISFIABLE);
            return response;
        }
        final boolean partial = range != ByteRange.WHOLE;
        final int offset = object.payloadOffset() + (partial ? (int)range.first() : 0);
        final int bodyLength = partial ? (int)range.length() : (int)length;
        final ByteBuf body = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(object.value(), offset, bodyLength);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            partial ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK, body);
        validators(response, key, object);
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.of(key))
            .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES)
            .set(HttpHeaderNames.CONTENT_LENGTH, bodyLength);
        if (partial)
        {
            response.headers().set(HttpHeaderNames.CONTENT_RANGE,
                "bytes " + range.first() + "-" + range.last() + "/" + length);
        }
        metrics.count(partial ? RequestMetrics.Outcome.PARTIAL : RequestMetrics.Outcome.CONTENT);
        metrics.served(head ? 0 : bodyLength);
        return response;
    }

    private FullHttpResponse api(final FullHttpRequest request, final String path, final String uri)
    {
        final ApiResponse answer = switch (router.match(request.method().name(), path))
        {
            case ApiRouter.NotFound ignored -> ApiResponse.error(404, "api.not_found", "no API resource at " + path);
            case ApiRouter.MethodNotAllowed refused -> ApiResponse.error(405, "api.method",
                request.method().name() + " is not allowed here; allowed: " + String.join(", ", refused.allowed()));
            case ApiRouter.Found found ->
            {
                final byte[] body = new byte[request.content().readableBytes()];
                request.content().readBytes(body);
                yield found.handler().handle(new ApiRequest(request.method().name(), path, found.parameters(),
                    query(uri), body));
            }
        };
        metrics.count(answer.success() ? RequestMetrics.Outcome.API : RequestMetrics.Outcome.API_ERROR);
        final Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("success", answer.success());
        if (answer.success())
        {
            envelope.put("data", answer.data());
        }
        else
        {
            final Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", answer.code());
            error.put("message", answer.message());
            envelope.put("error", error);
        }
        final byte[] bytes;
        try
        {
            bytes = json.writeValueAsBytes(envelope);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write the API response", ex);
        }
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(bytes));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
            .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
            .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        Cors.apply(response.headers());
        return response;
    }

    private FullHttpResponse ops(final String path)
    {
        return switch (path)
        {
            case "/healthz" -> text(HttpResponseStatus.OK, "text/plain; charset=utf-8", "up\n");
            case "/readyz" ->
            {
                final Readiness now = readiness.get();
                yield text(now.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "text/plain; charset=utf-8", (now.ready() ? "ready" : "not ready: " + now.detail()) + "\n");
            }
            case "/metrics" -> text(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                metricsText.get());
            default -> null;
        };
    }

    private static Map<String, String> query(final String uri)
    {
        final Map<String, String> values = new LinkedHashMap<>();
        for (final Map.Entry<String, List<String>> entry : new QueryStringDecoder(uri).parameters().entrySet())
        {
            values.put(entry.getKey(), entry.getValue().get(0));
        }
        return values;
    }

    private static boolean notModifiedSince(final String header, final long lastModifiedMs)
    {
        final Date since = DateFormatter.parseHttpDate(header);
        return since != null && lastModifiedMs / 1000 <= since.getTime() / 1000;
    }

    private static void validators(final FullHttpResponse response, final ContentKey key, final StoredObject object)
    {
        response.headers()
            .set(HttpHeaderNames.ETAG, object.etag())
            .set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(object.lastModifiedMs())))
            .set(HttpHeaderNames.CACHE_CONTROL, ContentTypes.cacheControl(key));
        Cors.apply(response.headers());
    }

    private static FullHttpResponse text(final HttpResponseStatus status, final String type, final String body)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type).set(HttpHeaderNames.CACHE_CONTROL, "no-store")
            .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }

    static FullHttpResponse errorText(final HttpResponseStatus status, final String code, final String message)
    {
        final FullHttpResponse response = text(status, "text/plain; charset=utf-8",
            status.code() + " " + code + ": " + message + "\n");
        Cors.apply(response.headers());
        return response;
    }

    private static void send(final ChannelHandlerContext ctx, final FullHttpResponse response, final boolean keepAlive)
    {
        if (keepAlive)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        }
        else
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        metrics.count(RequestMetrics.Outcome.ERROR);
        ctx.close();
    }
}
