package io.bifrost.control;

import io.bifrost.control.http.AccessGuard;
import io.bifrost.control.http.ApiMetrics;
import io.bifrost.control.http.ControlHttpServer;
import io.bifrost.control.http.OpsRoutes;
import io.bifrost.control.http.Router;
import io.bifrost.control.store.ControlDatabase;
import io.bifrost.control.stream.JdbcStreamRepository;
import io.bifrost.control.stream.StreamKeys;
import io.bifrost.control.stream.StreamRegistry;
import io.bifrost.control.stream.StreamRoutes;
import io.bifrost.protocol.node.ContextValidation;
import io.bifrost.protocol.node.NettyTransport;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.node.RunningRole;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The control-plane role. Built so far (issue #5's registry part): the HTTP API server with its router, the persisted
 * live stream registry (create, list, get, revoke, rotate key) and the internal endpoints ingest nodes authorize
 * publishers and report stream status with. Not yet (issue #7): edge registry and telemetry, placement, steering,
 * signed playback URLs, dashboard. Operator documentation: docs/control-plane.md.
 */
public final class ControlPlane
{
    /** Role name on the command line. */
    public static final String ROLE = "control";

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    private ControlPlane()
    {
    }

    /**
     * Start a control plane: open and migrate its database, then serve the API.
     *
     * @param context the settings; {@link Context#conclude()} is called here.
     * @return the running control plane; closing it stops the server, then closes the database.
     * @throws IllegalStateException when the database cannot be opened or the port cannot be bound.
     */
    public static Running launch(final Context context)
    {
        context.conclude();
        final String jdbcUrl;
        if (context.jdbcUrl() == null)
        {
            try
            {
                Files.createDirectories(context.dataDir());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("control plane cannot create its data directory " + context.dataDir(), ex);
            }
            jdbcUrl = ControlDatabase.embeddedUrl(context.dataDir());
        }
        else
        {
            jdbcUrl = context.jdbcUrl();
        }
        final ControlDatabase database = ControlDatabase.open(jdbcUrl, context.apiThreads() + 2);
        try
        {
            final StreamRegistry registry = new StreamRegistry(new JdbcStreamRepository(database),
                new StreamKeys(new SecureRandom()), context.clock(), context.meterRegistry());
            warnWhenOpen(context);
            final ControlHttpServer server = ControlHttpServer.start(new ControlHttpServer.Settings(context.bindAddress(),
                    context.port(), context.transport(), context.ioThreads(), context.apiThreads(), context.maxBodyBytes(),
                    context.idleTimeout()),
                router(context, registry), new AccessGuard(context.adminToken(), context.ingestToken()),
                new ApiMetrics(context.meterRegistry()));
            return new Running(server, database, registry);
        }
        catch (final RuntimeException ex)
        {
            database.close();
            throw ex;
        }
    }

    /**
     * Every route the control plane serves.
     *
     * @param context  concluded settings.
     * @param registry the stream registry.
     * @return the route table.
     */
    static Router router(final Context context, final StreamRegistry registry)
    {
        final Router router = new Router();
        OpsRoutes.register(router, () -> readiness(registry), context.metricsText());
        return new StreamRoutes(registry, context.publicIngestHost(), context.publicPlaybackUrl()).register(router);
    }

    /**
     * A running control plane. {@link #close()} stops the server (in-flight requests finish), then closes the
     * database; it is idempotent and thread-safe.
     */
    public static final class Running implements RunningRole
    {
        private final ControlHttpServer server;
        private final ControlDatabase database;
        private final StreamRegistry registry;
        private boolean closed;

        private Running(final ControlHttpServer server, final ControlDatabase database, final StreamRegistry registry)
        {
            this.server = server;
            this.database = database;
            this.registry = registry;
        }

        /**
         * @return the bound HTTP port (useful when the context asked for port 0).
         */
        public int port()
        {
            return server.port();
        }

        @Override
        public String roleName()
        {
            return ROLE;
        }

        @Override
        public Readiness readiness()
        {
            return ControlPlane.readiness(registry);
        }

        @Override
        public synchronized void close()
        {
            if (!closed)
            {
                closed = true;
                server.close();
                database.close();
            }
        }

        @Override
        public String toString()
        {
            return "control plane on port " + server.port() + ", store " + database;
        }
    }

    private static Readiness readiness(final StreamRegistry registry)
    {
        final String reason = registry.unavailabilityReason();
        return reason == null ? Readiness.up() : Readiness.notReady(reason);
    }

    private static void warnWhenOpen(final Context context)
    {
        if (context.adminToken() == null)
        {
            LOG.warn("control.admin-token is not set: the operator API (/api/v1/streams...) answers only callers on " +
                "this host (loopback); set it to manage streams remotely");
        }
        if (context.ingestToken() == null)
        {
            LOG.warn("control.ingest-token is not set: the internal ingest API answers only ingest nodes on this host " +
                "(loopback); set it (and the ingest nodes' ingest.control-token) for ingest on other hosts");
        }
    }

    /**
     * Control-plane settings with the defaults of DESIGN.md section 3. Mutable until {@link #conclude()}; not
     * thread-safe.
     */
    public static final class Context
    {
        /** Default HTTP port. */
        public static final int DEFAULT_PORT = 8082;
        /** Default host name in {@code rtmp_url}. */
        public static final String DEFAULT_PUBLIC_INGEST_HOST = "localhost";
        /** Default base URL of {@code hls_url} (the edge of a single-host install). */
        public static final String DEFAULT_PUBLIC_PLAYBACK_URL = "http://localhost:8080";
        /** Default largest request body. */
        public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
        /** Shortest admin or ingest token accepted. */
        public static final int MIN_TOKEN_LENGTH = 16;

        private String bindAddress = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private Path dataDir = Path.of("data", ROLE);
        private String jdbcUrl;
        private String adminToken;
        private String ingestToken;
        private String publicIngestHost = DEFAULT_PUBLIC_INGEST_HOST;
        private String publicPlaybackUrl = DEFAULT_PUBLIC_PLAYBACK_URL;
        private MeterRegistry meterRegistry;
        private Supplier<String> metricsText = () -> "# this control plane was started without a Prometheus registry\n";
        private NettyTransport transport;
        private int ioThreads = 2;
        private int apiThreads = 8;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();

        public Context bindAddress(final String bindAddress) { this.bindAddress = bindAddress; return this; }
        public String bindAddress() { return bindAddress; }
        public Context port(final int port) { this.port = port; return this; }
        public int port() { return port; }
        /** Where the embedded database lives (unless {@link #jdbcUrl(String)} names another). */
        public Context dataDir(final Path dataDir) { this.dataDir = dataDir; return this; }
        public Path dataDir() { return dataDir; }
        /** {@code jdbc:postgresql://...} (credentials as URL parameters) or {@code jdbc:h2:...}; null: embedded H2 in dataDir. */
        public Context jdbcUrl(final String jdbcUrl) { this.jdbcUrl = blankToNull(jdbcUrl); return this; }
        public String jdbcUrl() { return jdbcUrl; }
        /** Bearer token for the operator API; null: loopback callers only. */
        public Context adminToken(final String adminToken) { this.adminToken = blankToNull(adminToken); return this; }
        public String adminToken() { return adminToken; }
        /** Bearer token ingest nodes send to the internal API; null: loopback callers only. */
        public Context ingestToken(final String ingestToken) { this.ingestToken = blankToNull(ingestToken); return this; }
        public String ingestToken() { return ingestToken; }
        /** Host name publishers reach ingest at, used in {@code rtmp_url}. */
        public Context publicIngestHost(final String host) { this.publicIngestHost = host; return this; }
        public String publicIngestHost() { return publicIngestHost; }
        /** Base URL viewers play from, used in {@code hls_url}. */
        public Context publicPlaybackUrl(final String url) { this.publicPlaybackUrl = url; return this; }
        public String publicPlaybackUrl() { return publicPlaybackUrl; }
        /** Where the control plane registers its meters; default a private registry. */
        public Context meterRegistry(final MeterRegistry registry) { this.meterRegistry = registry; return this; }
        public MeterRegistry meterRegistry() { return meterRegistry; }
        /** Prometheus text served at {@code /metrics} on the control port (the process registry's scrape). */
        public Context metricsText(final Supplier<String> metricsText) { this.metricsText = metricsText; return this; }
        public Supplier<String> metricsText() { return metricsText; }
        /** Netty transport; default: the best available (io_uring, epoll, NIO). */
        public Context transport(final NettyTransport transport) { this.transport = transport; return this; }
        public NettyTransport transport() { return transport; }
        /** Event-loop threads (decode and encode only). */
        public Context ioThreads(final int ioThreads) { this.ioThreads = ioThreads; return this; }
        public int ioThreads() { return ioThreads; }
        /** API worker threads: requests handled at once (handlers may block on the database). */
        public Context apiThreads(final int apiThreads) { this.apiThreads = apiThreads; return this; }
        public int apiThreads() { return apiThreads; }
        /** Largest request body in bytes; larger ones are answered 413. */
        public Context maxBodyBytes(final int bytes) { this.maxBodyBytes = bytes; return this; }
        public int maxBodyBytes() { return maxBodyBytes; }
        /** A connection idle this long between requests is closed. */
        public Context idleTimeout(final Duration idleTimeout) { this.idleTimeout = idleTimeout; return this; }
        public Duration idleTimeout() { return idleTimeout; }
        /** Time source for created/updated stamps (tests fix it). */
        public Context clock(final Clock clock) { this.clock = clock; return this; }
        public Clock clock() { return clock; }

        /**
         * Validate the settings and fill in the derived ones (transport, meter registry).
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad key.
         */
        public Context conclude()
        {
            ContextValidation.requireNonBlank("control.bind", bindAddress);
            ContextValidation.requirePort("control.port", port);
            ContextValidation.requireNonBlank("control.public-ingest-host", publicIngestHost);
            if (!publicIngestHost.matches("[A-Za-z0-9.:\\[\\]-]+"))
            {
                throw new IllegalArgumentException("control.public-ingest-host must be a host name or IP address, got '" +
                    publicIngestHost + "'");
            }
            ContextValidation.requireNonBlank("control.public-playback-url", publicPlaybackUrl);
            final URI playback;
            try
            {
                playback = URI.create(publicPlaybackUrl);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("control.public-playback-url is not a URL: " + publicPlaybackUrl, ex);
            }
            if (!("http".equals(playback.getScheme()) || "https".equals(playback.getScheme())) || playback.getHost() == null ||
                playback.getQuery() != null || playback.getFragment() != null)
            {
                throw new IllegalArgumentException("control.public-playback-url must be an http(s)://host[:port][/path] URL, got " +
                    publicPlaybackUrl);
            }
            requireToken("control.admin-token", adminToken);
            requireToken("control.ingest-token", ingestToken);
            if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:"))
            {
                throw new IllegalArgumentException("control.jdbc-url must be a jdbc:postgresql:// (or jdbc:h2:) URL; leave it " +
                    "empty for the embedded database in the data directory");
            }
            if (jdbcUrl == null && dataDir == null)
            {
                throw new IllegalArgumentException("control: a data directory is needed for the embedded database");
            }
            if (ioThreads < 1 || apiThreads < 1)
            {
                throw new IllegalArgumentException("control: io and API threads must be 1 or more");
            }
            if (maxBodyBytes < 1024 || maxBodyBytes > 16 << 20)
            {
                throw new IllegalArgumentException("control: the request body limit must be 1 KiB to 16 MiB, got " + maxBodyBytes);
            }
            if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero())
            {
                throw new IllegalArgumentException("control: the idle timeout must be positive");
            }
            if (transport == null)
            {
                transport = NettyTransport.select("auto");
            }
            if (meterRegistry == null)
            {
                meterRegistry = new SimpleMeterRegistry();
            }
            return this;
        }

        private static void requireToken(final String key, final String token)
        {
            if (token != null && (token.length() < MIN_TOKEN_LENGTH || !token.matches("[\\x21-\\x7E]+")))
            {
                throw new IllegalArgumentException(key + " must be at least " + MIN_TOKEN_LENGTH + " printable ASCII " +
                    "characters without spaces (e.g. openssl rand -hex 32)");
            }
        }

        private static String blankToNull(final String value)
        {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
