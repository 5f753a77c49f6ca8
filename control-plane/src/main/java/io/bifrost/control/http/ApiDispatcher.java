package io.bifrost.control.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Turns one decoded HTTP request into one response: route lookup, access check, the route's handler, and the JSON
 * envelope, with every outcome counted in {@link ApiMetrics}. Thread-safe.
 *
 * <p>{@link #dispatch} is called on a Netty event loop: it copies the request and runs {@link #respond} on the worker
 * pool, because handlers may block on the database; a full pool answers 503 {@code server.busy} at once. Stream-key
 * checks ({@code POST} {@value #KEY_CHECK_PATH}) run on their own lane when one is given: a publisher waits on that
 * answer, so a flood of status reports or operator calls in the general pool must never delay or refuse it.
 * {@link #respond} never throws: a refused request is its error envelope, and an unexpected exception in a handler is
 * logged and answered 500 {@code server.error}.
 */
public final class ApiDispatcher
{
    private static final Logger LOG = LoggerFactory.getLogger(ApiDispatcher.class);
    private static final String JSON = "application/json; charset=utf-8";
    private static final int MAX_QUERY_PARAMS = 32;

    /** The stream-key check of ingest nodes, answered on the key-check lane. */
    public static final String KEY_CHECK_PATH = "/api/v1/internal/streams/authorize";

    private final Router router;
    private final AccessGuard guard;
    private final ApiMetrics metrics;
    private final Executor workers;
    private final Executor keyCheckWorkers;

    /**
     * Every request on one pool.
     *
     * @param router  the routes (no longer changed).
     * @param guard   the access checks.
     * @param metrics where outcomes are counted.
     * @param workers where handlers run; should reject when saturated rather than queue without bound.
     */
    public ApiDispatcher(final Router router, final AccessGuard guard, final ApiMetrics metrics, final Executor workers)
    {
        this(router, guard, metrics, workers, workers);
    }

    /**
     * Stream-key checks on their own lane, everything else on the general pool.
     *
     * @param router          the routes (no longer changed).
     * @param guard           the access checks.
     * @param metrics         where outcomes are counted.
     * @param workers         where handlers run; should reject when saturated rather than queue without bound.
     * @param keyCheckWorkers where {@code POST} {@value #KEY_CHECK_PATH} runs; rejects only when the lane is full.
     */
    public ApiDispatcher(
        final Router router, final AccessGuard guard, final ApiMetrics metrics, final Executor workers,
        final Executor keyCheckWorkers)
    {
        this.router = router;
        this.guard = guard;
        this.metrics = metrics;
        this.workers = workers;
        this.keyCheckWorkers = keyCheckWorkers;
    }

    /**
     * Answer a request on the worker pool. Called on the event loop; the caller keeps ownership of {@code request}
     * (everything needed is copied before this returns).
     *
     * @param request the aggregated request (body within the server's limit).
     * @param remote  the caller's address, or null.
     * @param done    receives the response on a worker thread (or on the calling thread when the pool is full).
     */
    void dispatch(final FullHttpRequest request, final InetAddress remote, final Consumer<FullHttpResponse> done)
    {
        final HttpMethod method = request.method();
        final String uri = request.uri();
        final HttpHeaders headers = new DefaultHttpHeaders().set(request.headers());
        final byte[] body = new byte[request.content().readableBytes()];
        request.content().getBytes(request.content().readerIndex(), body);
        try
        {
            (isKeyCheck(method, uri) ? keyCheckWorkers : workers).execute(
                () -> done.accept(respond(method, uri, headers, body, remote)));
        }
        catch (final RejectedExecutionException ex)
        {
            done.accept(error(new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "server.busy",
                "the control plane is handling too many requests; retry shortly")));
        }
    }

    /**
     * @param method the request method.
     * @param uri    the request target as sent.
     * @return whether it is a stream-key check (origin-form path, any query), which goes to the key-check lane.
     */
    static boolean isKeyCheck(final HttpMethod method, final String uri)
    {
        return HttpMethod.POST.equals(method) && uri.startsWith(KEY_CHECK_PATH) &&
            (uri.length() == KEY_CHECK_PATH.length() || uri.charAt(KEY_CHECK_PATH.length()) == '?');
    }

    /**
     * Answer a request on the calling thread.
     *
     * @param method  the method.
     * @param uri     the request target as sent (path and optional query).
     * @param headers the headers.
     * @param body    the body, within the server's limit.
     * @param remote  the caller's address, or null.
     * @return the response; never null.
     */
    public FullHttpResponse respond(
        final HttpMethod method, final String uri, final HttpHeaders headers, final byte[] body, final InetAddress remote)
    {
        try
        {
            final QueryStringDecoder target = new QueryStringDecoder(uri, StandardCharsets.UTF_8, true, MAX_QUERY_PARAMS);
            final String path = target.rawPath();
            final RouteMatch match = router.match(method, path);
            if (match instanceof RouteMatch.MethodNotAllowed notAllowed)
            {
                final String allow = notAllowed.allowed().stream().map(HttpMethod::name).sorted()
                    .collect(Collectors.joining(", "));
                final FullHttpResponse response = error(new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method.not_allowed", method.name().length() > 16 ? "method not allowed here; use " + allow :
                    method.name() + " is not allowed here; use " + allow));
                response.headers().set(HttpHeaderNames.ALLOW, allow);
                return response;
            }
            if (!(match instanceof RouteMatch.Found found))
            {
                return error(ApiException.notFound("route.unknown", "no endpoint at " + JsonBody.abbreviate(path)));
            }
            final Map<String, List<String>> query;
            try
            {
                query = target.parameters();
            }
            catch (final IllegalArgumentException ex)
            {
                throw ApiException.badRequest("request.invalid", "the query string is malformed: " + ex.getMessage());
            }
            final ApiRequest request = new ApiRequest(method, path, found.params(), query, headers, body, remote);
            guard.check(found.route().access(), request);
            return encode(found.route().handler().handle(request));
        }
        catch (final ApiException ex)
        {
            return error(ex);
        }
        catch (final RuntimeException ex)
        {
            LOG.error("control API: {} {} failed", method, JsonBody.abbreviate(uri), ex);
            return error(new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "server.error",
                "the control plane failed to answer; see its log"));
        }
    }

    /**
     * @param ex a refusal.
     * @return its error envelope, counted.
     */
    FullHttpResponse error(final ApiException ex)
    {
        metrics.onError(ex.code());
        final FullHttpResponse response = response(ex.status(), JSON, ApiJson.failure(ex.code(), ex.getMessage()));
        if (ex.status().code() == HttpResponseStatus.UNAUTHORIZED.code())
        {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        return response;
    }

    private FullHttpResponse encode(final ApiResponse answer)
    {
        final FullHttpResponse response = answer.data() == null && answer.text() != null ?
            response(answer.status(), answer.contentType(), answer.text().getBytes(StandardCharsets.UTF_8)) :
            response(answer.status(), JSON, ApiJson.success(answer.data()));
        answer.headers().forEach((name, value) -> response.headers().set(name, value));
        return response;
    }

    private FullHttpResponse response(final HttpResponseStatus status, final String contentType, final byte[] body)
    {
        metrics.onResponse(status.code());
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.wrappedBuffer(body));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, contentType)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
            .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }
}
