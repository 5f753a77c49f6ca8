package io.bifrost.control;

import io.bifrost.control.dashboard.TrafficHistory;
import io.bifrost.control.edges.EdgeRegistry;
import io.bifrost.control.placement.PopularityScore;
import io.bifrost.control.steer.EdgeSteering;
import io.bifrost.control.steer.ViewRate;
import io.bifrost.control.telemetry.TelemetryAggregator;

/**
 * The edge-facing state of one control plane, shared by the HTTP API ({@link ControlRoutes}) and the Aeron agent
 * ({@link EdgeLink}): what edges exist and whether they are up, what they report, and what is derived from both for
 * steering and the dashboard. Every component is thread-safe on its own terms (the agent writes, API threads read);
 * this record only groups them so they are built once, from one {@link ControlPlane.Context}.
 *
 * @param registry  the edge registry.
 * @param telemetry the aggregated telemetry.
 * @param viewRate  views and temperatures from telemetry.
 * @param steering  client steering.
 * @param history   fleet traffic over the last hour for the dashboard (sampled by the Aeron agent).
 */
record EdgeFleet(
    EdgeRegistry registry, TelemetryAggregator telemetry, ViewRate viewRate, EdgeSteering steering,
    TrafficHistory history)
{
    /**
     * @param context concluded settings (heartbeat timeout, telemetry size, steering thresholds, clock, meters).
     * @return a fleet with no edges yet; its meters are registered in the context's registry.
     */
    static EdgeFleet create(final ControlPlane.Context context)
    {
        final EdgeRegistry registry = new EdgeRegistry(context.heartbeatTimeout().toMillis(), context.meterRegistry());
        final TelemetryAggregator telemetry = new TelemetryAggregator(context.telemetryMaxContents(),
            context.meterRegistry());
        final ViewRate viewRate = new ViewRate(telemetry, new PopularityScore(), context.meanViewSeconds());
        return new EdgeFleet(registry, telemetry, viewRate, new EdgeSteering(registry, viewRate,
            context.edgeEgressCapacityBitsPerSecond(), context.steerOverloadThreshold()),
            new TrafficHistory(telemetry, context.clock()::millis, TrafficHistory.DEFAULT_INTERVAL_MS,
            TrafficHistory.DEFAULT_CAPACITY));
    }
}
