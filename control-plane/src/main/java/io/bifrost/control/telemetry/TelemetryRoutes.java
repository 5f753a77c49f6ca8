package io.bifrost.control.telemetry;

import io.bifrost.control.http.Access;
import io.bifrost.control.http.ApiException;
import io.bifrost.control.http.ApiRequest;
import io.bifrost.control.http.ApiResponse;
import io.bifrost.control.http.Router;
import io.netty.handler.codec.http.HttpMethod;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Telemetry's operator endpoints ({@link Access#OPERATOR}): {@code GET /api/v1/content/top?window=minute|hour|day
 * &limit=} (hot content, most requested first; default hour and 20, at most 500) and
 * {@code GET /api/v1/regions?window=} (traffic per region). A bad window is 400 {@code window.invalid}.
 */
public final class TelemetryRoutes
{
    /** Default number of contents in the top list. */
    static final int DEFAULT_LIMIT = 20;
    /** Most contents in the top list. */
    static final int MAX_LIMIT = 500;

    private final TelemetryAggregator telemetry;
    private final LongSupplier clock;

    /**
     * The top list.
     *
     * @param window   minute, hour or day.
     * @param contents the contents, most requested first.
     */
    record TopContent(String window, List<TrafficStats> contents)
    {
    }

    /**
     * Traffic per region.
     *
     * @param window  minute, hour or day.
     * @param regions by region name.
     */
    record RegionTraffic(String window, Map<String, TrafficStats> regions)
    {
    }

    /**
     * @param telemetry the aggregated telemetry.
     * @param clock     epoch milliseconds.
     */
    public TelemetryRoutes(final TelemetryAggregator telemetry, final LongSupplier clock)
    {
        this.telemetry = telemetry;
        this.clock = clock;
    }

    /**
     * @param router where the routes are added.
     * @return the router.
     */
    public Router register(final Router router)
    {
        return router
            .add(HttpMethod.GET, "/api/v1/content/top", Access.OPERATOR, request ->
            {
                final TelemetryWindow window = window(request);
                final int limit = request.intQueryParam("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
                return ApiResponse.ok(new TopContent(window.label(), telemetry.top(window, limit, clock.getAsLong())));
            })
            .add(HttpMethod.GET, "/api/v1/regions", Access.OPERATOR, request ->
            {
                final TelemetryWindow window = window(request);
                return ApiResponse.ok(new RegionTraffic(window.label(), telemetry.regions(window, clock.getAsLong())));
            });
    }

    private static TelemetryWindow window(final ApiRequest request)
    {
        final String label = request.queryParam("window");
        if (label == null)
        {
            return TelemetryWindow.HOUR;
        }
        final TelemetryWindow window = TelemetryWindow.fromLabel(label);
        if (window == null)
        {
            throw ApiException.badRequest("window.invalid", "'window' must be minute, hour or day");
        }
        return window;
    }
}
