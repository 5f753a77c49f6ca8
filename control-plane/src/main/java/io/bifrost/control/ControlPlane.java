package io.bifrost.control;

import io.bifrost.control.edges.EdgeRegistry;
import io.bifrost.control.edges.PlacementLoop;
import io.bifrost.control.edges.UdpEndpoint;
import io.bifrost.control.http.ControlHttpServer;
import io.bifrost.control.http.Router;
import io.bifrost.control.store.ControlDatabase;
import io.bifrost.control.store.DatabaseWorker;
import io.bifrost.control.stream.StreamRegistry;
import io.bifrost.control.signing.SigningKeyBroadcast;
import io.bifrost.control.signing.SigningKeys;
import io.bifrost.control.placement.PlacementPlanner;
import io.bifrost.control.playback.PlaybackUrlIssuer;
import io.bifrost.control.steer.EdgeSteering;
import io.bifrost.control.steer.ViewRate;
import io.bifrost.control.telemetry.TelemetryAggregator;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.node.NettyTransport;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.node.RunningRole;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.CloseHelper;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The control-plane role: the HTTP API server with its router, the persisted live stream registry (create, list, get,
 * revoke, rotate key), the internal endpoints ingest nodes authorize publishers and report stream status with, the
 * edge registry (heartbeats over Aeron, down after a timeout), telemetry aggregation (minute / hour / day windows),
 * client steering ({@code /v1/steer}), the placement command publication, signed playback URL issuance
 * ({@code /api/v1/playback-urls}) and the web dashboard ({@code /dashboard}). Operator documentation:
 * docs/control-plane.md.
 *
 * <p>Aeron ({@link Context#aeronEnabled(boolean)}): one agent thread (backoff idle) polls the heartbeat and telemetry
 * subscriptions (IPC for edges in this process, UDP on {@link Context#edgeEndpoint(String)} for the others), marks
 * silent edges down, and runs the placement loop ({@link PlacementLoop}: H5's planner over telemetry, every
 * {@code control.placement.interval}) whose commands go out on the placement publications (IPC, and UDP
 * multi-destination-cast on {@link Context#placementEndpoint(String)}).
 *
 * <p>This class holds the settings and the order of start and stop; each part lives in its own class: the database and
 * its registries ({@link ControlStore}), the edge state the API and the agent share ({@link EdgeFleet}), the Aeron side
 * ({@link EdgeLink}), the HTTP routes and server ({@link ControlApi}), the settings' rules ({@link ContextChecks}) and
 * the start-up warnings about open access ({@link OpenAccessWarnings}).
 */
public final class ControlPlane
{
    /** Role name on the command line. */
    public static final String ROLE = "control";

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
        final ControlDatabase database = ControlStore.open(context);
        EdgeLink link = null;
        try
        {
            final StreamRegistry registry = ControlStore.streams(context, database);
            final EdgeFleet edges = EdgeFleet.create(context);
            final SigningKeys signingKeys = ControlStore.signingKeys(context, database);
            link = context.aeronEnabled() ? EdgeLink.start(context, edges, database, signingKeys) : null;
            OpenAccessWarnings.log(context);
            final ControlHttpServer server = ControlApi.serve(context,
                ControlApi.router(context, registry, edges, signingKeys));
            return new Running(server, database, registry, edges, link);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(link);
            database.close();
            throw ex;
        }
    }

    /**
     * Every route the control plane serves, over a fleet with no edges (for tests of the route table).
     *
     * @param context  concluded settings.
     * @param registry the stream registry.
     * @param database the database the signing keys are kept in.
     * @return the route table.
     */
    static Router router(final Context context, final StreamRegistry registry, final ControlDatabase database)
    {
        return ControlApi.router(context, registry, EdgeFleet.create(context), ControlStore.signingKeys(context, database));
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
        private final EdgeFleet edges;
        private final EdgeLink link;
        private boolean closed;

        private Running(
            final ControlHttpServer server, final ControlDatabase database, final StreamRegistry registry,
            final EdgeFleet edges, final EdgeLink link)
        {
            this.server = server;
            this.database = database;
            this.registry = registry;
            this.edges = edges;
            this.link = link;
        }

        /**
         * @return the edge registry.
         */
        public EdgeRegistry edgeRegistry()
        {
            return edges.registry();
        }

        /**
         * @return the aggregated edge telemetry.
         */
        public TelemetryAggregator telemetry()
        {
            return edges.telemetry();
        }

        /**
         * @return true when at least one edge subscribes to a placement publication (false without Aeron).
         */
        public boolean placementConnected()
        {
            return link != null && link.placement().connected();
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
            return ControlStore.readiness(registry);
        }

        @Override
        public synchronized void close()
        {
            if (!closed)
            {
                closed = true;
                server.close();
                CloseHelper.quietClose(link);
                database.close();
            }
        }

        @Override
        public String toString()
        {
            return "control plane on port " + server.port() + ", store " + database;
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
        /** Default UDP endpoint edges on other hosts send heartbeats and telemetry to. */
        public static final String DEFAULT_EDGE_ENDPOINT = "0.0.0.0:" + AeronChannels.CONTROL_PLANE_PORT;
        /** Default UDP control endpoint of the placement multi-destination-cast publication. */
        public static final String DEFAULT_PLACEMENT_ENDPOINT = "0.0.0.0:" + AeronChannels.PLACEMENT_CONTROL_PORT;
        /** Default time without a heartbeat before an edge is down: three missed 1 s heartbeats. */
        public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);

        private String bindAddress = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private Path dataDir = Path.of("data", ROLE);
        private String jdbcUrl;
        private String adminToken;
        private String ingestToken;
        private String publicIngestHost = DEFAULT_PUBLIC_INGEST_HOST;
        private String publicPlaybackUrl = DEFAULT_PUBLIC_PLAYBACK_URL;
        private String originUrl;
        private MeterRegistry meterRegistry;
        private Supplier<String> metricsText = () -> "# this control plane was started without a Prometheus registry\n";
        private NettyTransport transport;
        private int ioThreads = 2;
        private int apiThreads = 8;
        private int keyCheckThreads = ControlHttpServer.DEFAULT_KEY_CHECK_THREADS;
        private int keyCheckQueue = ControlHttpServer.DEFAULT_KEY_CHECK_QUEUE;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();
        private boolean aeronEnabled;
        private Path aeronDirectory;
        private boolean aeronExternal;
        private String edgeEndpoint = DEFAULT_EDGE_ENDPOINT;
        private String placementEndpoint = DEFAULT_PLACEMENT_ENDPOINT;
        private UdpEndpoint edgeUdpEndpoint;
        private UdpEndpoint placementUdpEndpoint;
        private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;
        private int telemetryMaxContents = TelemetryAggregator.DEFAULT_MAX_CONTENTS;
        private long edgeEgressCapacityBitsPerSecond = EdgeSteering.DEFAULT_EGRESS_CAPACITY_BPS;
        private double steerOverloadThreshold = EdgeSteering.DEFAULT_OVERLOAD;
        private long meanViewSeconds = ViewRate.DEFAULT_MEAN_VIEW_SECONDS;
        private PlacementPlanner.Context placement = new PlacementPlanner.Context();
        private String fleetKeys;
        private FleetKeys fleetKeyRing = FleetKeys.NONE;
        private SigningKeyRing signingKeys;
        private Duration playbackUrlMaxTtl = Duration.ofSeconds(PlaybackUrlIssuer.DEFAULT_MAX_TTL_SECONDS);
        private Duration signingKeyBroadcastInterval = Duration.ofMillis(SigningKeyBroadcast.DEFAULT_INTERVAL_MS);
        private int dbQueueCapacity = DatabaseWorker.DEFAULT_QUEUE_CAPACITY;

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

        /** @param url the origin whose catalog dates VOD titles for placement ({@code control.origin-url}); null or blank: first sightings only. @return this. */
        public Context originUrl(final String url) { this.originUrl = blankToNull(url); return this; }
        public String originUrl() { return originUrl; }
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
        /** Workers of the stream-key-check lane (ingest's publish checks never wait behind other API calls). */
        public Context keyCheckThreads(final int threads) { this.keyCheckThreads = threads; return this; }
        public int keyCheckThreads() { return keyCheckThreads; }
        /** Key checks that may wait for a lane worker; one more is answered 503 server.busy. */
        public Context keyCheckQueue(final int waiting) { this.keyCheckQueue = waiting; return this; }
        public int keyCheckQueue() { return keyCheckQueue; }
        /** Largest request body in bytes; larger ones are answered 413. */
        public Context maxBodyBytes(final int bytes) { this.maxBodyBytes = bytes; return this; }
        public int maxBodyBytes() { return maxBodyBytes; }
        /** A connection idle this long between requests is closed. */
        public Context idleTimeout(final Duration idleTimeout) { this.idleTimeout = idleTimeout; return this; }
        public Duration idleTimeout() { return idleTimeout; }
        /** Time source for created/updated stamps, heartbeat timeouts and telemetry windows (tests drive it). */
        public Context clock(final Clock clock) { this.clock = clock; return this; }
        public Clock clock() { return clock; }
        /** Run the Aeron side (edge heartbeats, telemetry, placement); off by default, the launcher turns it on. */
        public Context aeronEnabled(final boolean enabled) { this.aeronEnabled = enabled; return this; }
        public boolean aeronEnabled() { return aeronEnabled; }
        /** Aeron directory; default the process's shared embedded driver ({@link EmbeddedAeron#defaultDirectory()}). */
        public Context aeronDirectory(final Path directory) { this.aeronDirectory = directory; return this; }
        public Path aeronDirectory() { return aeronDirectory; }
        /** Connect to an operator-run media driver in {@link #aeronDirectory()} instead of embedding one. */
        public Context aeronExternal(final boolean external) { this.aeronExternal = external; return this; }
        public boolean aeronExternal() { return aeronExternal; }
        /** UDP host:port edges on other hosts send heartbeats and telemetry to; blank: in-process (IPC) edges only. */
        public Context edgeEndpoint(final String endpoint) { this.edgeEndpoint = blankToNull(endpoint); return this; }
        public String edgeEndpoint() { return edgeEndpoint; }
        /**
         * UDP host:port of the placement publication's control endpoint edges subscribe through; its port must be the
         * one after {@link #edgeEndpoint(String)}'s (edges derive it); blank: IPC only.
         */
        public Context placementEndpoint(final String endpoint) { this.placementEndpoint = blankToNull(endpoint); return this; }
        public String placementEndpoint() { return placementEndpoint; }
        /** @return {@link #edgeEndpoint()} parsed, or null (after {@link #conclude()}). */
        public UdpEndpoint edgeUdpEndpoint() { return edgeUdpEndpoint; }
        /** @return {@link #placementEndpoint()} parsed, or null (after {@link #conclude()}). */
        public UdpEndpoint placementUdpEndpoint() { return placementUdpEndpoint; }
        /** Time without a heartbeat after which an edge is down and no longer steered to. */
        public Context heartbeatTimeout(final Duration timeout) { this.heartbeatTimeout = timeout; return this; }
        public Duration heartbeatTimeout() { return heartbeatTimeout; }
        /** Contents whose telemetry is kept exactly (the rest go to a count-min sketch). */
        public Context telemetryMaxContents(final int contents) { this.telemetryMaxContents = contents; return this; }
        public int telemetryMaxContents() { return telemetryMaxContents; }
        /** What one edge can send, bits per second: egress / this is its network load for steering. */
        public Context edgeEgressCapacityBitsPerSecond(final long bps) { this.edgeEgressCapacityBitsPerSecond = bps; return this; }
        public long edgeEgressCapacityBitsPerSecond() { return edgeEgressCapacityBitsPerSecond; }
        /** Load (0-1, the larger of CPU and egress share) at which steering skips an edge. */
        public Context steerOverloadThreshold(final double threshold) { this.steerOverloadThreshold = threshold; return this; }
        public double steerOverloadThreshold() { return steerOverloadThreshold; }
        /** Mean view length in seconds, to turn telemetry's viewer-time into views per hour for temperatures. */
        public Context meanViewSeconds(final long seconds) { this.meanViewSeconds = seconds; return this; }
        public long meanViewSeconds() { return meanViewSeconds; }
        /** Placement planner settings ({@code control.placement.*}); the loop runs when Aeron is enabled. */
        public Context placement(final PlacementPlanner.Context placement) { this.placement = placement; return this; }
        public PlacementPlanner.Context placement() { return placement; }
        /**
         * Keys that authenticate heartbeats, telemetry and placement commands ({@code control.fleet-keys}, a secret):
         * {@code kid:secret[,kid:secret...]}, secrets base64url of 32+ bytes, the first signs, all verify; edges need
         * the same keys. Blank: not authenticated (a WARN at start).
         */
        public Context fleetKeys(final String keys) { this.fleetKeys = blankToNull(keys); return this; }
        public String fleetKeys() { return fleetKeys; }
        /** @return {@link #fleetKeys()} parsed (after {@link #conclude()}); {@link FleetKeys#NONE} when blank. */
        public FleetKeys fleetKeyRing() { return fleetKeyRing; }
        /**
         * Keys signed playback URLs are signed with ({@code control.signing-keys}, the edges' {@code kid:secret} syntax):
         * the current key signs; null: {@code POST /api/v1/playback-urls} answers 409 {@code signing.not_configured}.
         */
        public Context signingKeys(final SigningKeyRing keys) { this.signingKeys = keys; return this; }
        public SigningKeyRing signingKeys() { return signingKeys; }
        /** Longest lifetime a signed playback URL may be asked for ({@code control.playback-url-max-ttl-seconds}). */
        public Context playbackUrlMaxTtl(final Duration ttl) { this.playbackUrlMaxTtl = ttl; return this; }
        public Duration playbackUrlMaxTtl() { return playbackUrlMaxTtl; }
        /**
         * How often the API signing keys are sent to edges when they do not change (a change is sent at once): the
         * longest a restarted edge waits for them ({@code control.signing-keys-interval-ms}, default 2 s).
         */
        public Context signingKeyBroadcastInterval(final Duration interval) { this.signingKeyBroadcastInterval = interval; return this; }
        public Duration signingKeyBroadcastInterval() { return signingKeyBroadcastInterval; }
        /**
         * Database reads that may wait for the control plane's database thread ({@code control.db-queue-capacity},
         * default 64, 1 to 65536): the Aeron agent hands them over without waiting, and one more is dropped (counted,
         * asked again next round).
         */
        public Context dbQueueCapacity(final int capacity) { this.dbQueueCapacity = capacity; return this; }
        public int dbQueueCapacity() { return dbQueueCapacity; }

        /**
         * Validate the settings ({@link ContextChecks}) and fill in the derived ones (parsed endpoints and fleet keys,
         * Aeron directory, transport, meter registry).
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad key.
         */
        public Context conclude()
        {
            ContextChecks.requireValidSettings(this);
            placement.conclude();
            fleetKeyRing = FleetKeys.parse(fleetKeys, "control.fleet-keys");
            ContextChecks.requireValidLimits(this);
            edgeUdpEndpoint = edgeEndpoint == null ? null : UdpEndpoint.parse("control.edge-endpoint", edgeEndpoint);
            placementUdpEndpoint = placementEndpoint == null ? null :
                UdpEndpoint.parse("control.placement-endpoint", placementEndpoint);
            ContextChecks.requireAdjacentPorts(this);
            if (aeronDirectory == null)
            {
                aeronDirectory = EmbeddedAeron.defaultDirectory();
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

        private static String blankToNull(final String value)
        {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
