package io.bifrost.control.stream;

import io.bifrost.control.http.Access;
import io.bifrost.control.http.ApiException;
import io.bifrost.control.http.ApiRequest;
import io.bifrost.control.http.ApiResponse;
import io.bifrost.control.http.Router;
import io.netty.handler.codec.http.HttpMethod;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The stream registry's HTTP endpoints.
 *
 * <p>Operator ({@link Access#OPERATOR}): {@code POST /api/v1/streams/create} (201), {@code GET /api/v1/streams}
 * ({@code ?status=&limit=&offset=}), {@code GET /api/v1/streams/{id}}, {@code DELETE /api/v1/streams/{id}} (revokes),
 * {@code POST /api/v1/streams/{id}/rotate-key}.
 *
 * <p>Internal, for ingest nodes ({@link Access#INTERNAL}): {@code POST /api/v1/internal/streams/authorize} and
 * {@code POST /api/v1/internal/streams/{id}/status}, exactly as the ingest contract fixes them (docs/control-plane.md).
 */
public final class StreamRoutes
{
    /** Default page size of the stream list. */
    static final int DEFAULT_LIMIT = 100;
    /** Largest page size of the stream list. */
    static final int MAX_LIMIT = 500;
    /** Furthest page start of the stream list. */
    static final int MAX_OFFSET = 1_000_000;

    private final StreamRegistry registry;
    private final String rtmpUrl;
    private final String playbackUrl;
    private final ToLongFunction<String> viewers;

    /**
     * @param registry         the registry.
     * @param publicIngestHost host name publishers reach ingest at, for {@code rtmp_url}.
     * @param publicPlaybackUrl base URL viewers play from (an edge or a load balancer), for {@code hls_url}.
     */
    public StreamRoutes(final StreamRegistry registry, final String publicIngestHost, final String publicPlaybackUrl)
    {
        this(registry, publicIngestHost, publicPlaybackUrl, streamId -> 0);
    }

    /**
     * @param registry         the registry.
     * @param publicIngestHost host name publishers reach ingest at, for {@code rtmp_url}.
     * @param publicPlaybackUrl base URL viewers play from (an edge or a load balancer), for {@code hls_url}.
     * @param viewers          viewers now of a stream id, from edge telemetry ({@code viewer_count}).
     */
    public StreamRoutes(
        final StreamRegistry registry, final String publicIngestHost, final String publicPlaybackUrl,
        final ToLongFunction<String> viewers)
    {
        this.registry = registry;
        this.viewers = viewers;
        final String host = publicIngestHost.indexOf(':') >= 0 && !publicIngestHost.startsWith("[") ?
            "[" + publicIngestHost + "]" : publicIngestHost;
        this.rtmpUrl = "rtmp://" + host + ":1935/live";
        this.playbackUrl = publicPlaybackUrl.endsWith("/") ?
            publicPlaybackUrl.substring(0, publicPlaybackUrl.length() - 1) : publicPlaybackUrl;
    }

    /**
     * @param router where the routes are added.
     * @return the router.
     */
    public Router register(final Router router)
    {
        return router
            .add(HttpMethod.POST, "/api/v1/streams/create", Access.OPERATOR, this::create)
            .add(HttpMethod.GET, "/api/v1/streams", Access.OPERATOR, this::list)
            .add(HttpMethod.GET, "/api/v1/streams/{id}", Access.OPERATOR,
                request -> ApiResponse.ok(view(registry.get(request.pathParam("id")), null)))
            .add(HttpMethod.DELETE, "/api/v1/streams/{id}", Access.OPERATOR,
                request -> ApiResponse.ok(view(registry.revoke(request.pathParam("id")), null)))
            .add(HttpMethod.POST, "/api/v1/streams/{id}/rotate-key", Access.OPERATOR, request ->
            {
                final StreamRegistry.IssuedKey issued = registry.rotateKey(request.pathParam("id"));
                return ApiResponse.ok(view(issued.stream(), issued.key()));
            })
            .add(HttpMethod.POST, "/api/v1/internal/streams/authorize", Access.INTERNAL, this::authorize)
            .add(HttpMethod.POST, "/api/v1/internal/streams/{id}/status", Access.INTERNAL, this::status);
    }

    private ApiResponse create(final ApiRequest request)
    {
        final StreamRegistry.IssuedKey issued = registry.create(NewStream.fromJson(request.body()));
        return ApiResponse.created(view(issued.stream(), issued.key()));
    }

    private ApiResponse list(final ApiRequest request)
    {
        final String statusLabel = request.queryParam("status");
        final StreamStatus status = statusLabel == null ? null : StreamStatus.fromLabel(statusLabel);
        if (statusLabel != null && status == null)
        {
            throw ApiException.badRequest("status.invalid", "'status' must be created, live, offline or revoked");
        }
        final int limit = request.intQueryParam("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        final int offset = request.intQueryParam("offset", 0, 0, MAX_OFFSET);
        final List<StreamView> streams = registry.list(status, limit, offset).stream().map(s -> view(s, null)).toList();
        return ApiResponse.ok(new StreamPage(streams, limit, offset));
    }

    /**
     * One page of the stream list.
     *
     * @param streams the streams, newest first.
     * @param limit   the page size asked for.
     * @param offset  the page start.
     */
    record StreamPage(List<StreamView> streams, int limit, int offset)
    {
    }

    /**
     * The authorize answer: the stream to publish into, and whether to skip transcoding.
     *
     * @param streamId    the stream.
     * @param passthrough package as published.
     */
    record Authorized(String streamId, boolean passthrough)
    {
    }

    /**
     * The status answer.
     *
     * @param streamId the stream.
     * @param status   its status after the report.
     */
    record StatusAnswer(String streamId, String status)
    {
    }

    private ApiResponse authorize(final ApiRequest request)
    {
        final StreamRecord stream = registry.authorize(AuthorizeRequest.fromJson(request.body()));
        return ApiResponse.ok(new Authorized(stream.streamId(), stream.passthrough()));
    }

    private ApiResponse status(final ApiRequest request)
    {
        final StatusReport report = StatusReport.fromJson(request.body());
        final StreamRecord stream = registry.reportStatus(request.pathParam("id"), report);
        return ApiResponse.ok(new StatusAnswer(stream.streamId(), stream.status().label()));
    }

    private StreamView view(final StreamRecord stream, final String key)
    {
        return new StreamView(
            stream.streamId(),
            key,
            stream.keyPrefix(),
            stream.title(),
            stream.description(),
            stream.categoryId(),
            stream.scheduledStart() == null ? null : stream.scheduledStart().toString(),
            stream.privacy().label(),
            stream.status().label(),
            stream.passthrough(),
            stream.liveProtocol() == null ? null : stream.liveProtocol().label(),
            rtmpUrl,
            playbackUrl + "/live/" + stream.streamId() + "/master.m3u8",
            viewers.applyAsLong(stream.streamId()),
            stream.createdAt().toString(),
            stream.updatedAt().toString());
    }
}
