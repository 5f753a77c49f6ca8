package io.bifrost.control;

import io.bifrost.control.edges.UdpEndpoint;
import io.bifrost.control.playback.PlaybackUrlIssuer;
import io.bifrost.control.store.DatabaseWorker;
import io.bifrost.protocol.node.ContextValidation;

import java.net.URI;
import java.time.Duration;

/**
 * The rules a {@link ControlPlane.Context} must satisfy before a control plane starts from it, each failure an
 * {@link IllegalArgumentException} that names the configuration key ({@code control.*}) and the value it got.
 * {@link ControlPlane.Context#conclude()} applies them in this order: {@link #requireValidSettings}, then (after the
 * placement settings and fleet keys are concluded) {@link #requireValidLimits}, then, once the UDP endpoints are
 * parsed, {@link #requireAdjacentPorts}.
 *
 * <p>Stateless and thread-safe; reads the context through its getters only.
 */
final class ContextChecks
{
    private ContextChecks()
    {
    }

    /**
     * The addresses, URLs, tokens, database and HTTP, telemetry and steering settings.
     *
     * @param context the settings being concluded.
     * @throws IllegalArgumentException naming the first bad key.
     */
    static void requireValidSettings(final ControlPlane.Context context)
    {
        ContextValidation.requireNonBlank("control.bind", context.bindAddress());
        ContextValidation.requirePort("control.port", context.port());
        final String publicIngestHost = context.publicIngestHost();
        ContextValidation.requireNonBlank("control.public-ingest-host", publicIngestHost);
        if (!publicIngestHost.matches("[A-Za-z0-9.:\\[\\]-]+"))
        {
            throw new IllegalArgumentException("control.public-ingest-host must be a host name or IP address, got '" +
                publicIngestHost + "'");
        }
        ContextValidation.requireNonBlank("control.public-playback-url", context.publicPlaybackUrl());
        final URI playback = httpUrl("control.public-playback-url", context.publicPlaybackUrl(),
            "http(s)://host[:port][/path]");
        if (playback.getQuery() != null || playback.getFragment() != null)
        {
            throw new IllegalArgumentException("control.public-playback-url must be an http(s)://host[:port][/path] URL, " +
                "got " + context.publicPlaybackUrl());
        }
        if (context.originUrl() != null)
        {
            httpUrl("control.origin-url", context.originUrl(), "http(s)://host[:port]");
        }
        requireToken("control.admin-token", context.adminToken());
        requireToken("control.ingest-token", context.ingestToken());
        final String jdbcUrl = context.jdbcUrl();
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:"))
        {
            throw new IllegalArgumentException("control.jdbc-url must be a jdbc:postgresql:// (or jdbc:h2:) URL; leave it " +
                "empty for the embedded database in the data directory");
        }
        if (jdbcUrl == null && context.dataDir() == null)
        {
            throw new IllegalArgumentException("control: a data directory is needed for the embedded database");
        }
        if (context.ioThreads() < 1 || context.apiThreads() < 1 || context.keyCheckThreads() < 1 ||
            context.keyCheckQueue() < 1)
        {
            throw new IllegalArgumentException("control: io, API and key-check threads, and the key-check queue, "
                + "must be 1 or more");
        }
        final int maxBodyBytes = context.maxBodyBytes();
        if (maxBodyBytes < 1024 || maxBodyBytes > 16 << 20)
        {
            throw new IllegalArgumentException("control: the request body limit must be 1 KiB to 16 MiB, got " + maxBodyBytes);
        }
        final Duration idleTimeout = context.idleTimeout();
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero())
        {
            throw new IllegalArgumentException("control: the idle timeout must be positive");
        }
        if (context.heartbeatTimeout() == null || context.heartbeatTimeout().toMillis() < 1)
        {
            throw new IllegalArgumentException("control.heartbeat-timeout must be positive");
        }
        if (context.telemetryMaxContents() < 1 || context.telemetryMaxContents() > 1_000_000)
        {
            throw new IllegalArgumentException("control.telemetry-max-contents must be 1 to 1000000, got " +
                context.telemetryMaxContents());
        }
        if (context.edgeEgressCapacityBitsPerSecond() < 1)
        {
            throw new IllegalArgumentException("control.edge-egress-capacity must be positive (bits per second)");
        }
        final double steerOverloadThreshold = context.steerOverloadThreshold();
        if (!(steerOverloadThreshold > 0 && steerOverloadThreshold <= 1))
        {
            throw new IllegalArgumentException("control.steer-overload must be above 0 and at most 1, got " +
                steerOverloadThreshold);
        }
        if (context.meanViewSeconds() < 1)
        {
            throw new IllegalArgumentException("control.mean-view-seconds must be positive");
        }
        if (context.placement() == null)
        {
            throw new IllegalArgumentException("control: placement settings are required");
        }
    }

    /**
     * The playback URL lifetime, the signing-key broadcast interval and the database queue.
     *
     * @param context the settings being concluded.
     * @throws IllegalArgumentException naming the first bad key.
     */
    static void requireValidLimits(final ControlPlane.Context context)
    {
        final Duration playbackUrlMaxTtl = context.playbackUrlMaxTtl();
        if (playbackUrlMaxTtl == null || playbackUrlMaxTtl.toSeconds() < PlaybackUrlIssuer.MIN_TTL_SECONDS ||
            playbackUrlMaxTtl.toDays() > 366)
        {
            throw new IllegalArgumentException("control.playback-url-max-ttl-seconds must be " +
                PlaybackUrlIssuer.MIN_TTL_SECONDS + " s to 366 days, got " + playbackUrlMaxTtl);
        }
        final Duration broadcastInterval = context.signingKeyBroadcastInterval();
        if (broadcastInterval == null || broadcastInterval.toMillis() < 100 || broadcastInterval.toMillis() > 60_000)
        {
            throw new IllegalArgumentException("control.signing-keys-interval-ms must be 100 to 60000, got " +
                broadcastInterval);
        }
        if (context.dbQueueCapacity() < 1 || context.dbQueueCapacity() > DatabaseWorker.MAX_QUEUE_CAPACITY)
        {
            throw new IllegalArgumentException("control.db-queue-capacity must be 1 to " +
                DatabaseWorker.MAX_QUEUE_CAPACITY + ", got " + context.dbQueueCapacity());
        }
    }

    /**
     * Edges derive the placement publication's port from the heartbeat endpoint's, so both must be set together
     * right.
     *
     * @param context the settings being concluded, with {@code edgeUdpEndpoint} and {@code placementUdpEndpoint}
     *                parsed (either may be null: IPC only).
     * @throws IllegalArgumentException when both are set and the placement port is not the one after the edge port.
     */
    static void requireAdjacentPorts(final ControlPlane.Context context)
    {
        final UdpEndpoint edge = context.edgeUdpEndpoint();
        final UdpEndpoint placement = context.placementUdpEndpoint();
        if (edge != null && placement != null && placement.port() != edge.port() + 1)
        {
            throw new IllegalArgumentException("control.placement-endpoint must use the port after " +
                "control.edge-endpoint's (edges find it there), e.g. 40458 and 40459; got " + context.edgeEndpoint() +
                " and " + context.placementEndpoint());
        }
    }

    private static URI httpUrl(final String key, final String url, final String shape)
    {
        final URI uri;
        try
        {
            uri = URI.create(url);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(key + " is not a URL: " + url, ex);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null)
        {
            throw new IllegalArgumentException(key + " must be an " + shape + " URL, got " + url);
        }
        return uri;
    }

    private static void requireToken(final String key, final String token)
    {
        if (token != null && (token.length() < ControlPlane.Context.MIN_TOKEN_LENGTH || !token.matches("[\\x21-\\x7E]+")))
        {
            throw new IllegalArgumentException(key + " must be at least " + ControlPlane.Context.MIN_TOKEN_LENGTH +
                " printable ASCII characters without spaces (e.g. openssl rand -hex 32)");
        }
    }
}
