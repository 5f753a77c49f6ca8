package io.bifrost.control.edges;

import io.bifrost.control.http.Access;
import io.bifrost.control.http.ApiException;
import io.bifrost.control.http.ApiResponse;
import io.bifrost.control.http.Router;
import io.bifrost.control.telemetry.TelemetryAggregator;
import io.bifrost.control.telemetry.TelemetryWindow;
import io.bifrost.control.telemetry.TrafficStats;
import io.netty.handler.codec.http.HttpMethod;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The edge registry's operator endpoints ({@link Access#OPERATOR}): {@code GET /api/v1/edges} lists every known
 * edge with its status, load, tier use and last-minute traffic; {@code GET /api/v1/edges/{id}} shows one (404
 * {@code edge.not_found}).
 */
public final class EdgeRoutes
{
    private final EdgeRegistry registry;
    private final TelemetryAggregator telemetry;
    private final long egressCapacityBitsPerSecond;
    private final LongSupplier clock;

    /**
     * An edge as the API shows it (snake_case on the wire).
     *
     * @param edgeId              the id.
     * @param region              its region.
     * @param baseUrl             where viewers reach it.
     * @param status              up, draining, degraded or down.
     * @param lastHeartbeatAt     ISO-8601 instant of the latest heartbeat.
     * @param msSinceHeartbeat    how long ago that was.
     * @param startedAt           ISO-8601 instant the edge process started.
     * @param restarts            restarts seen.
     * @param lostHeartbeats      heartbeats lost on the wire since it started.
     * @param load                max(CPU, egress / capacity), 0-1.
     * @param cpuLoadPermille     CPU use, 0-1000.
     * @param egressBitsPerSecond bits sent to viewers over the last second.
     * @param activeConnections   open viewer connections.
     * @param ram                 RAM tier use.
     * @param ssd                 SSD tier use.
     * @param traffic             the last minute's traffic from its telemetry.
     */
    public record EdgeView(
        String edgeId,
        String region,
        String baseUrl,
        String status,
        String lastHeartbeatAt,
        long msSinceHeartbeat,
        String startedAt,
        long restarts,
        long lostHeartbeats,
        double load,
        int cpuLoadPermille,
        long egressBitsPerSecond,
        int activeConnections,
        TierUse ram,
        TierUse ssd,
        TrafficStats traffic)
    {
    }

    /**
     * One cache tier's use.
     *
     * @param capacityBytes configured capacity (0: no such tier).
     * @param usedBytes     bytes held.
     * @param use           used / capacity, 0 when there is no capacity.
     */
    public record TierUse(long capacityBytes, long usedBytes, double use)
    {
        static TierUse of(final long capacity, final long used)
        {
            return new TierUse(capacity, used, capacity <= 0 ? 0.0 : (double)used / capacity);
        }
    }

    /**
     * The edge list.
     *
     * @param edges every known edge, by region then id.
     * @param up    how many are up.
     * @param down  how many are down.
     */
    record EdgeList(List<EdgeView> edges, long up, long down)
    {
    }

    /**
     * @param registry                    the edges.
     * @param telemetry                   their traffic.
     * @param egressCapacityBitsPerSecond one edge's egress capacity, for the load figure.
     * @param clock                       epoch milliseconds.
     */
    public EdgeRoutes(
        final EdgeRegistry registry, final TelemetryAggregator telemetry, final long egressCapacityBitsPerSecond,
        final LongSupplier clock)
    {
        this.registry = registry;
        this.telemetry = telemetry;
        this.egressCapacityBitsPerSecond = egressCapacityBitsPerSecond;
        this.clock = clock;
    }

    /**
     * @param router where the routes are added.
     * @return the router.
     */
    public Router register(final Router router)
    {
        return router
            .add(HttpMethod.GET, "/api/v1/edges", Access.OPERATOR, request ->
            {
                final long nowMs = clock.getAsLong();
                final Map<String, TrafficStats> traffic = telemetry.edges(TelemetryWindow.MINUTE, nowMs);
                final List<EdgeView> views = registry.edges().stream().map(edge -> view(edge, traffic, nowMs)).toList();
                return ApiResponse.ok(new EdgeList(views, views.stream().filter(v -> "up".equals(v.status())).count(),
                    views.stream().filter(v -> "down".equals(v.status())).count()));
            })
            .add(HttpMethod.GET, "/api/v1/edges/{id}", Access.OPERATOR, request ->
            {
                final EdgeSnapshot edge = registry.edge(request.pathParam("id"));
                if (edge == null)
                {
                    throw ApiException.notFound("edge.not_found", "no edge with that id has sent a heartbeat");
                }
                final long nowMs = clock.getAsLong();
                return ApiResponse.ok(view(edge, telemetry.edges(TelemetryWindow.MINUTE, nowMs), nowMs));
            });
    }

    private EdgeView view(final EdgeSnapshot edge, final Map<String, TrafficStats> traffic, final long nowMs)
    {
        return new EdgeView(edge.edgeId(), edge.region(), edge.baseUrl(), edge.status().label(),
            Instant.ofEpochMilli(edge.lastHeartbeatMs()).toString(), Math.max(0, nowMs - edge.lastHeartbeatMs()),
            Instant.ofEpochMilli(edge.startTimeMs()).toString(), edge.restarts(), edge.lostHeartbeats(),
            edge.load(egressCapacityBitsPerSecond), edge.cpuLoadPermille(), edge.egressBitsPerSecond(),
            edge.activeConnections(), TierUse.of(edge.ramCapacityBytes(), edge.ramUsedBytes()),
            TierUse.of(edge.ssdCapacityBytes(), edge.ssdUsedBytes()), traffic.get(edge.edgeId()));
    }
}
