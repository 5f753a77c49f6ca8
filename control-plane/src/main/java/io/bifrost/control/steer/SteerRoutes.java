package io.bifrost.control.steer;

import io.bifrost.control.http.Access;
import io.bifrost.control.http.ApiException;
import io.bifrost.control.http.ApiRequest;
import io.bifrost.control.http.ApiResponse;
import io.bifrost.control.http.Router;
import io.bifrost.control.telemetry.ContentNames;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.naming.PathParseResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.function.LongSupplier;

/**
 * Client steering over HTTP, open to players (no token): {@code GET /v1/steer?content=&region=} answers the best
 * edge as JSON; {@code GET /v1/steer/redirect?...} (or {@code /v1/steer?...&redirect=1}) answers 302 with the edge URL
 * in {@code Location}, so a player can start from the control plane's URL.
 *
 * <p>{@code content} is a content id ({@code live/{id}}, {@code vod/{id}}: the answer's URL is its master playlist) or
 * a content path ({@code /vod/{id}/720p/index.m3u8}: the answer's URL is that path on the edge). {@code region} is
 * optional ([A-Za-z0-9._-]{1,64}); without it every region's edges are candidates. Errors: 400
 * {@code content.invalid} / {@code region.invalid}, 503 {@code steer.no_edge} when no edge serves viewers.
 */
public final class SteerRoutes
{

    private final EdgeSteering steering;
    private final LongSupplier clock;
    private final Counter steered;
    private final Counter noEdge;

    /**
     * @param steering the policy.
     * @param clock    epoch milliseconds.
     * @param meters   where the steering counters go.
     */
    public SteerRoutes(final EdgeSteering steering, final LongSupplier clock, final MeterRegistry meters)
    {
        this.steering = steering;
        this.clock = clock;
        steered = Counter.builder("bifrost.control.steer").tag("result", "steered")
            .description("steering answers by outcome").register(meters);
        noEdge = Counter.builder("bifrost.control.steer").tag("result", "no_edge")
            .description("steering answers by outcome").register(meters);
    }

    /**
     * @param router where the routes are added.
     * @return the router.
     */
    public Router register(final Router router)
    {
        return router
            .add(HttpMethod.GET, "/v1/steer", Access.OPEN, request ->
            {
                final String redirect = request.queryParam("redirect");
                return answer(request, "1".equals(redirect) || "true".equalsIgnoreCase(redirect));
            })
            .add(HttpMethod.GET, "/v1/steer/redirect", Access.OPEN, request -> answer(request, true));
    }

    private ApiResponse answer(final ApiRequest request, final boolean redirect)
    {
        final String content = request.queryParam("content");
        final String contentId;
        final String path;
        if (content != null && ContentNames.CONTENT_ID.matcher(content).matches())
        {
            contentId = content;
            path = "/" + content + "/master.m3u8";
        }
        else
        {
            final PathParseResult parsed = content == null || !content.startsWith("/") ? null : ContentKeyParser.parse(content);
            if (!(parsed instanceof ContentKey key))
            {
                throw ApiException.badRequest("content.invalid", "'content' must be a content id (live/{id} or " +
                    "vod/{id}) or a content path such as /vod/{id}/master.m3u8");
            }
            contentId = key.contentId();
            path = key.path();
        }
        final String region = request.queryParam("region");
        if (region != null && !ContentNames.REGION.matcher(region).matches())
        {
            throw ApiException.badRequest("region.invalid", "'region' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        final String client = request.remoteAddress() == null ? null : request.remoteAddress().getHostAddress();
        final SteerDecision decision = steering.steer(contentId, path, region, client, clock.getAsLong());
        if (decision == null)
        {
            noEdge.increment();
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "steer.no_edge",
                "no edge is serving viewers right now; retry shortly");
        }
        steered.increment();
        if (redirect)
        {
            return ApiResponse.text(HttpResponseStatus.FOUND, "text/plain; charset=utf-8", decision.url() + "\n")
                .withHeader("Location", decision.url());
        }
        return ApiResponse.ok(decision);
    }
}
