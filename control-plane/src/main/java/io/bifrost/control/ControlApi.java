package io.bifrost.control;

import io.bifrost.control.dashboard.DashboardRoutes;
import io.bifrost.control.dashboard.HotContentRanking;
import io.bifrost.control.edges.EdgeRoutes;
import io.bifrost.control.http.AccessGuard;
import io.bifrost.control.http.ApiMetrics;
import io.bifrost.control.http.ControlHttpServer;
import io.bifrost.control.http.OpsRoutes;
import io.bifrost.control.http.Router;
import io.bifrost.control.placement.PopularityScore;
import io.bifrost.control.playback.PlaybackUrlIssuer;
import io.bifrost.control.playback.PlaybackUrlRoutes;
import io.bifrost.control.signing.SigningKeyRoutes;
import io.bifrost.control.signing.SigningKeys;
import io.bifrost.control.steer.SteerRoutes;
import io.bifrost.control.stream.StreamRegistry;
import io.bifrost.control.stream.StreamRoutes;
import io.bifrost.control.telemetry.TelemetryRoutes;

import java.time.Clock;

/**
 * The control plane's HTTP API: which routes it serves over which state ({@link #router}), and the server that answers
 * them on the context's port ({@link #serve}). Operator documentation: docs/control-plane.md; the contract:
 * {@code openapi.yaml}.
 *
 * <p>Stateless; both methods are called once per control plane on the launching thread. The route handlers run on the
 * server's API workers and read the shared {@link EdgeFleet}, stream registry and signing keys, which are thread-safe.
 */
final class ControlApi
{
    private ControlApi()
    {
    }

    /**
     * Every route the control plane serves.
     *
     * @param context     concluded settings.
     * @param registry    the stream registry.
     * @param edges       the edge fleet the edge, telemetry, dashboard, steering and playback routes read.
     * @param signingKeys the playback URL signing keys.
     * @return the route table.
     */
    static Router router(
        final ControlPlane.Context context, final StreamRegistry registry, final EdgeFleet edges,
        final SigningKeys signingKeys)
    {
        final Router router = new Router();
        final Clock clock = context.clock();
        OpsRoutes.register(router, () -> ControlStore.readiness(registry), context.metricsText());
        new StreamRoutes(registry, context.publicIngestHost(), context.publicPlaybackUrl(),
            streamId -> edges.telemetry().viewersNow("live/" + streamId, clock.millis())).register(router);
        new EdgeRoutes(edges.registry(), edges.telemetry(), context.edgeEgressCapacityBitsPerSecond(), clock::millis)
            .register(router);
        new TelemetryRoutes(edges.telemetry(), clock::millis).register(router);
        new DashboardRoutes(edges.history(), new HotContentRanking(edges.telemetry(), edges.viewRate(),
            new PopularityScore()), clock::millis).register(router);
        final PlaybackUrlIssuer issuer = new PlaybackUrlIssuer(signingKeys::signingRing, edges.steering(),
            context.publicPlaybackUrl(), context.playbackUrlMaxTtl().toSeconds());
        new PlaybackUrlRoutes(issuer, clock, context.meterRegistry()).register(router);
        new SigningKeyRoutes(signingKeys, issuer.defaultTtlSeconds(), issuer.maxTtlSeconds(), context.meterRegistry())
            .register(router);
        return new SteerRoutes(edges.steering(), clock::millis, context.meterRegistry()).register(router);
    }

    /**
     * Bind the HTTP server with the context's address, threads and limits, guarded by its admin and ingest tokens.
     *
     * @param context concluded settings.
     * @param router  the route table ({@link #router}).
     * @return the listening server; the caller owns it and closes it.
     * @throws IllegalStateException when the port cannot be bound.
     */
    static ControlHttpServer serve(final ControlPlane.Context context, final Router router)
    {
        return ControlHttpServer.start(new ControlHttpServer.Settings(context.bindAddress(), context.port(),
                context.transport(), context.ioThreads(), context.apiThreads(), context.maxBodyBytes(),
                context.idleTimeout(), context.keyCheckThreads(), context.keyCheckQueue()),
            router, new AccessGuard(context.adminToken(), context.ingestToken()), new ApiMetrics(context.meterRegistry()));
    }
}
