package io.bifrost.edge;

import io.bifrost.edge.cache.policy.CachePolicies;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.cache.ssd.SsdTier;
import io.bifrost.edge.control.ContentTraffic;
import io.bifrost.edge.control.EdgeControl;
import io.bifrost.edge.fill.FillHops;
import io.bifrost.edge.http.EdgeHttpServer;
import io.bifrost.edge.http.RamHitPath;
import io.bifrost.edge.live.LiveEdge;
import io.bifrost.edge.player.PlayerService;
import io.bifrost.edge.player.QoeBeacon;
import io.bifrost.edge.ring.AccessObserver;
import io.bifrost.edge.ring.AccessRing;
import io.bifrost.edge.ring.TierRing;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.node.ContextValidation;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.signing.SigningKeyRing;

import io.bifrost.protocol.node.NettyTransport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import org.agrona.CloseHelper;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;

/**
 * The edge role: serves viewers from the RAM tier and fills misses from the origin(s), coalescing concurrent misses.
 *
 * <p>Launched through {@link #launch(Context)} by the launcher, the system tests and production alike. Built so far
 * (issue #3): HTTP/1.1 and HTTP/2 (h2c, and h2 over TLS by ALPN), origin fill with coalescing, failover and a circuit
 * breaker, the persisted RAM tier under a pluggable cache policy, the persisted RocksDB SSD tier behind it with an
 * admission filter, Disruptor rings for SSD work and access events, signed-URL checks, stale-if-error, placement
 * hooks, and live: with {@link Context#liveChannel(String)} set, the edge follows the origin's Aeron live stream and
 * answers LL-HLS (blocking reloads, preload hints, parts, segments) from its own live window
 * ({@link io.bifrost.edge.live.LiveWindowStore}).
 */
public final class EdgeNode
{
    /** Role name on the command line. */
    public static final String ROLE = "edge";

    private EdgeNode()
    {
    }

    /**
     * Start an edge from a concluded context.
     *
     * @param context the edge settings; {@link Context#conclude()} is called here.
     * @return the running edge (its bound ports); closing it stops the server, then closes the SSD and RAM tiers
     * (which stay on disk, warm).
     */
    public static RunningEdge launch(final Context context)
    {
        context.conclude();
        final RamTier ramTier = RamTier.open(context.dataDir().resolve("ram"), context.ramBytes(), context.ramPageBytes(),
            context.maxRamObjectBytes(), CachePolicies.named(context.cachePolicy()), context.meterRegistry());
        SsdTier ssdTier = null;
        EmbeddedAeron aeron = null;
        LiveEdge liveEdge = null;
        EdgeControl control = null;
        final EdgeHttpServer server;
        try
        {
            if (context.ssdBytes() > 0)
            {
                ssdTier = SsdTier.open(context.dataDir().resolve("ssd"), context.ssdBytes(),
                    CachePolicies.named(context.ssdCachePolicy()), context.ssdMinTtl().toMillis(),
                    context.staleIfErrorDefault().toMillis(), context.meterRegistry());
            }
            if (context.liveChannel() != null)
            {
                aeron = EmbeddedAeron.acquire(context.aeronDirectory(), context.aeronExternal());
                liveEdge = LiveEdge.start(aeron.aeron(), context.liveChannel(), context.liveBytes(),
                    PooledByteBufAllocator.DEFAULT, context.meterRegistry(), context.fleetKeyRing());
                liveEdge.store().wakeChunk(context.liveWakeChunk());
            }
            final AccessObserver configuredObserver = context.accessObserver();
            final ObjLongConsumer<String> configuredFills = context.fillObserver();
            final Consumer<QoeBeacon> configuredBeacons = context.beaconObserver();
            final ContentTraffic traffic = context.controlEndpoint() == null ? null : new ContentTraffic();
            if (traffic != null)
            {
                context.accessObserver(traffic.alongside(configuredObserver))
                    .fillObserver((path, nanos) ->
                    {
                        configuredFills.accept(path, nanos);
                        traffic.onFill(path, nanos);
                    })
                    .beaconObserver(configuredBeacons.andThen(traffic::onBeacon));
                FunctionCounter.builder("bifrost.edge.telemetry.beacons.unknown", traffic, ContentTraffic::unknownBeacons)
                    .description("QoE beacons left out of telemetry: they named a content this edge was not serving")
                    .register(context.meterRegistry());
            }
            try
            {
                server = EdgeHttpServer.start(context, ramTier, ssdTier, liveEdge == null ? null : liveEdge.store(),
                    Readiness::up);
            }
            finally
            {
                context.accessObserver(configuredObserver).fillObserver(configuredFills).beaconObserver(configuredBeacons);
            }
            if (liveEdge != null)
            {
                liveEdge.catchUpThrough(server.coalescer());
            }
            control = traffic == null ? null : EdgeControl.start(context, server, traffic);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(control, liveEdge, aeron);
            if (ssdTier != null)
            {
                ssdTier.close();
            }
            ramTier.close();
            throw ex;
        }
        return new RunningEdge(server, control, liveEdge, aeron, ssdTier, ramTier);
    }

    /**
     * Edge settings with the defaults of DESIGN.md section 3. Mutable until {@link #conclude()}; not thread-safe.
     */
    public static final class Context
    {
        /** Default plain HTTP port. */
        public static final int DEFAULT_PORT = 8080;
        /** Default HTTPS port. */
        public static final int DEFAULT_TLS_PORT = 8443;
        /** Default origin for a zero-configuration single host. */
        public static final URI DEFAULT_ORIGIN = URI.create("http://127.0.0.1:8081");
        /** SSD tier size a deployment should start from ({@code edge.ssd-bytes=4g}); the context's own default is 0. */
        public static final long SUGGESTED_SSD_BYTES = 4L << 30;
        /** io_uring submission queue entries per event loop (Netty's own default is 128). */
        public static final int DEFAULT_IO_URING_RING_SIZE = 4096;
        /** io_uring completion queue entries per event loop: 10,000 held viewers woken on one loop fit without overflow. */
        public static final int DEFAULT_IO_URING_CQ_SIZE = 32768;
        /**
         * Woken held live requests an event loop answers in a row before its next I/O turn: more than one loop's wake,
         * so a wake is one pass (smaller chunks lowered the median but raised the p99 and the CPU per answer).
         */
        public static final int DEFAULT_LIVE_WAKE_CHUNK = 65536;

        private String bindAddress = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private int tlsPort = DEFAULT_TLS_PORT;
        private List<URI> origins = List.of(DEFAULT_ORIGIN);
        private String region = "default";
        private Path dataDir = Path.of("data", ROLE);
        private long ramBytes = 256L << 20;
        private int ramPageBytes = 16 * 1024;
        private long maxRamObjectBytes = 16L << 20;
        private String cachePolicy = CachePolicies.DEFAULT;
        private long ssdBytes;
        private String ssdCachePolicy = "lru";
        private Duration ssdMinTtl = Duration.ofMinutes(10);
        private long ssdWriteQueueBytes = 64L << 20;
        private String ramHitPath = "inline";
        private int tierRingSlots = TierRing.DEFAULT_SLOTS;
        private int accessRingSlots = AccessRing.DEFAULT_SLOTS;
        private AccessObserver accessObserver = AccessObserver.NONE;
        private Duration staleIfErrorDefault = Duration.ofSeconds(60);
        private Path tlsCertificate;
        private Path tlsPrivateKey;
        private LongSupplier clock = System::currentTimeMillis;
        private List<String> signedPrefixes = List.of();
        private SigningKeyRing signingKeys;
        private NettyTransport transport;
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private int ioUringRingSize = DEFAULT_IO_URING_RING_SIZE;
        private int ioUringCqSize = DEFAULT_IO_URING_CQ_SIZE;
        private boolean liveEncodedAnswers = true;
        private int liveWakeChunk = DEFAULT_LIVE_WAKE_CHUNK;
        private Duration originConnectTimeout = Duration.ofSeconds(2);
        private Duration originResponseTimeout = Duration.ofSeconds(10);
        private int maxOriginConnections = 64;
        private Duration originCircuitCooldown = Duration.ofSeconds(5);
        private long maxFillObjectBytes = 64L << 20;
        private int maxFillHops = FillHops.DEFAULT_MAX_HOPS;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration requestHeadTimeout = Duration.ofSeconds(10);
        private MeterRegistry meterRegistry;
        private Supplier<String> metricsText = () -> "# this edge was started without a Prometheus registry\n";
        private String liveChannel;
        private Path aeronDirectory = EmbeddedAeron.defaultDirectory();
        private boolean aeronExternal;
        private long liveBytes = 256L << 20;
        private String edgeId;
        private String publicUrl;
        private String controlEndpoint;
        private String placementEndpoint = EdgeControl.DEFAULT_PLACEMENT_ENDPOINT;
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private Duration telemetryInterval = Duration.ofSeconds(1);
        private int placementPrefetchRate = EdgeControl.DEFAULT_PREFETCHES_PER_SECOND;
        private Path playerHlsJsDir;
        private String fleetKeys;
        private FleetKeys fleetKeyRing = FleetKeys.NONE;
        private ObjLongConsumer<String> fillObserver = (path, nanos) -> { };
        private Consumer<QoeBeacon> beaconObserver = beacon -> { };

        public Context bindAddress(final String bindAddress) { this.bindAddress = bindAddress; return this; }
        public String bindAddress() { return bindAddress; }
        public Context port(final int port) { this.port = port; return this; }
        public int port() { return port; }
        public Context tlsPort(final int tlsPort) { this.tlsPort = tlsPort; return this; }
        public int tlsPort() { return tlsPort; }
        /** Origins in failover order. */
        public Context origins(final List<URI> origins) { this.origins = List.copyOf(origins); return this; }
        public List<URI> origins() { return origins; }
        public Context region(final String region) { this.region = region; return this; }
        public String region() { return region; }
        public Context dataDir(final Path dataDir) { this.dataDir = dataDir; return this; }
        public Path dataDir() { return dataDir; }
        /** RAM tier payload memory (memory-mapped, off the Java heap). */
        public Context ramBytes(final long bytes) { this.ramBytes = bytes; return this; }
        public long ramBytes() { return ramBytes; }
        /** RAM tier page size: objects use whole pages (power of two, 4 KiB - 1 MiB). */
        public Context ramPageBytes(final int bytes) { this.ramPageBytes = bytes; return this; }
        public int ramPageBytes() { return ramPageBytes; }
        /** Largest object kept in the RAM tier; larger ones are served but not kept there. */
        public Context maxRamObjectBytes(final long bytes) { this.maxRamObjectBytes = bytes; return this; }
        public long maxRamObjectBytes() { return maxRamObjectBytes; }
        /** PEM certificate chain for HTTPS on {@link #tlsPort()}; no TLS listener without it. */
        public Context tlsCertificate(final Path certificate) { this.tlsCertificate = certificate; return this; }
        public Path tlsCertificate() { return tlsCertificate; }
        /** PEM PKCS#8 private key matching {@link #tlsCertificate()}. */
        public Context tlsPrivateKey(final Path key) { this.tlsPrivateKey = key; return this; }
        public Path tlsPrivateKey() { return tlsPrivateKey; }
        /** Wall clock in epoch milliseconds for freshness and tokens (tests move it). */
        public Context clock(final LongSupplier clock) { this.clock = clock; return this; }
        public LongSupplier clock() { return clock; }
        /** How long past expiry a copy may stand in for an unreachable origin when its Cache-Control names no window. */
        public Context staleIfErrorDefault(final Duration window) { this.staleIfErrorDefault = window; return this; }
        public Duration staleIfErrorDefault() { return staleIfErrorDefault; }
        /** Path prefixes (e.g. {@code /vod/premium/}) whose requests need a signed-URL token; checked before the cache. */
        public Context signedPrefixes(final List<String> prefixes) { this.signedPrefixes = List.copyOf(prefixes); return this; }
        public List<String> signedPrefixes() { return signedPrefixes; }
        /** Keys that signed-URL tokens may be signed with (required when any prefix is protected). */
        public Context signingKeys(final SigningKeyRing keys) { this.signingKeys = keys; return this; }
        public SigningKeyRing signingKeys() { return signingKeys; }
        /** Admission/eviction policy by name: segment-aware (default), s3-fifo or lru. */
        public Context cachePolicy(final String name) { this.cachePolicy = name; return this; }
        public String cachePolicy() { return cachePolicy; }
        /** SSD tier body bytes ({@code dataDir/ssd}, RocksDB); 0 (the default here) disables the tier. */
        public Context ssdBytes(final long bytes) { this.ssdBytes = bytes; return this; }
        public long ssdBytes() { return ssdBytes; }
        /** SSD tier eviction policy by name, behind its admission filter: lru (default), s3-fifo or segment-aware. */
        public Context ssdCachePolicy(final String name) { this.ssdCachePolicy = name; return this; }
        public String ssdCachePolicy() { return ssdCachePolicy; }
        /** Least freshness an object must have left to be written to the SSD (short-lived live media stays in RAM). */
        public Context ssdMinTtl(final Duration ttl) { this.ssdMinTtl = ttl; return this; }
        public Duration ssdMinTtl() { return ssdMinTtl; }
        /** Most bytes waiting in the tier ring to be written to the SSD; offers beyond it are dropped and counted. */
        public Context ssdWriteQueueBytes(final long bytes) { this.ssdWriteQueueBytes = bytes; return this; }
        public long ssdWriteQueueBytes() { return ssdWriteQueueBytes; }
        /** Where RAM hits are looked up: inline (on the event loop, default) or ring (through the tier ring). */
        public Context ramHitPath(final String path) { this.ramHitPath = path; return this; }
        public String ramHitPath() { return ramHitPath; }
        /** Slots of the tier ring (SSD work, ring-mode RAM lookups), a power of two. */
        public Context tierRingSlots(final int slots) { this.tierRingSlots = slots; return this; }
        public int tierRingSlots() { return tierRingSlots; }
        /** Slots of the access-event ring, a power of two. */
        public Context accessRingSlots(final int slots) { this.accessRingSlots = slots; return this; }
        public int accessRingSlots() { return accessRingSlots; }
        /** Receives one event per request on the access ring's thread (telemetry); default none. */
        public Context accessObserver(final AccessObserver observer) { this.accessObserver = observer; return this; }
        public AccessObserver accessObserver() { return accessObserver; }
        /** Netty transport; default: the best available (io_uring, epoll, NIO). */
        public Context transport(final NettyTransport transport) { this.transport = transport; return this; }
        public NettyTransport transport() { return transport; }
        /** Event-loop threads for viewers and origin connections. */
        public Context ioThreads(final int ioThreads) { this.ioThreads = ioThreads; return this; }
        public int ioThreads() { return ioThreads; }
        /**
         * io_uring submission queue entries per event loop (a power of two, at most 32768); more means fewer
         * {@code io_uring_enter} calls when a wake answers thousands of viewers in one pass. Ignored on epoll/NIO.
         */
        public Context ioUringRingSize(final int entries) { this.ioUringRingSize = entries; return this; }
        public int ioUringRingSize() { return ioUringRingSize; }
        /**
         * io_uring completion queue entries per event loop (a power of two, at least the ring size, at most 65536): one
         * completion per viewer write, so it must hold a wake's fan-out on one loop or the kernel's overflow list (and
         * Netty's "CompletionQueue overflow" warning) takes over. Ignored on epoll/NIO.
         */
        public Context ioUringCqSize(final int entries) { this.ioUringCqSize = entries; return this; }
        public int ioUringCqSize() { return ioUringCqSize; }
        /**
         * Woken held live requests on HTTP/1.1 get their answer encoded once per wake and written below the HTTP codec
         * (default true); false answers each with the shared response through the codec (for comparison runs).
         */
        public Context liveEncodedAnswers(final boolean encoded) { this.liveEncodedAnswers = encoded; return this; }
        public boolean liveEncodedAnswers() { return liveEncodedAnswers; }
        /**
         * Woken held live requests an event loop answers in a row before its next I/O turn (default
         * {@value #DEFAULT_LIVE_WAKE_CHUNK}, at least 1): the chunk's writes are submitted to the kernel and the loop's
         * other connections served before the next chunk, so a wake of thousands of viewers sends its first answers
         * while it still writes the rest ({@code edge.live-wake-chunk}).
         */
        public Context liveWakeChunk(final int viewers) { this.liveWakeChunk = viewers; return this; }
        public int liveWakeChunk() { return liveWakeChunk; }
        public Context originConnectTimeout(final Duration timeout) { this.originConnectTimeout = timeout; return this; }
        public Duration originConnectTimeout() { return originConnectTimeout; }
        /** Time an origin may take to start answering, and between body chunks. */
        public Context originResponseTimeout(final Duration timeout) { this.originResponseTimeout = timeout; return this; }
        public Duration originResponseTimeout() { return originResponseTimeout; }
        /** How long an origin is skipped after repeated failures before one trial request. */
        public Context originCircuitCooldown(final Duration cooldown) { this.originCircuitCooldown = cooldown; return this; }
        public Duration originCircuitCooldown() { return originCircuitCooldown; }
        /** Pooled keep-alive connections per origin. */
        public Context maxOriginConnections(final int connections) { this.maxOriginConnections = connections; return this; }
        public int maxOriginConnections() { return maxOriginConnections; }
        /** Largest object one origin fill holds while it streams to viewers. */
        public Context maxFillObjectBytes(final long bytes) { this.maxFillObjectBytes = bytes; return this; }
        public long maxFillObjectBytes() { return maxFillObjectBytes; }
        /**
         * A miss on a request that has already passed through this many Bifrost edges ({@link FillHops#HEADER}) is
         * answered 508 instead of forwarded: the loop guard of regional shields (1-64).
         */
        public Context maxFillHops(final int hops) { this.maxFillHops = hops; return this; }
        public int maxFillHops() { return maxFillHops; }
        /** A connection with no request in progress is closed after this long without reading (slowloris). */
        public Context idleTimeout(final Duration idleTimeout) { this.idleTimeout = idleTimeout; return this; }
        public Duration idleTimeout() { return idleTimeout; }
        /** Once a request's first byte arrives, its headers must be complete within this (slowloris guard, 408). */
        public Context requestHeadTimeout(final Duration timeout) { this.requestHeadTimeout = timeout; return this; }
        public Duration requestHeadTimeout() { return requestHeadTimeout; }
        /** Where the edge registers its meters; default a private registry. */
        public Context meterRegistry(final MeterRegistry registry) { this.meterRegistry = registry; return this; }
        public MeterRegistry meterRegistry() { return meterRegistry; }
        /** Prometheus text served at {@code /metrics} on the edge port (the process registry's scrape). */
        public Context metricsText(final Supplier<String> metricsText) { this.metricsText = metricsText; return this; }
        public Supplier<String> metricsText() { return metricsText; }
        /**
         * Aeron channel of the origin's live stream, e.g. {@code aeron:udp?endpoint=edge1:40457|control=origin1:40456}
         * ({@code AeronChannels.liveSubscriptionChannel}) or {@code aeron:ipc} in {@code bifrost all}; null (the
         * default) leaves live to the fill path (no Aeron).
         */
        public Context liveChannel(final String channel) { this.liveChannel = channel; return this; }
        public String liveChannel() { return liveChannel; }
        /** Directory of the Aeron media driver shared by the roles of this process (default under /dev/shm, per pid). */
        public Context aeronDirectory(final Path directory) { this.aeronDirectory = directory; return this; }
        public Path aeronDirectory() { return aeronDirectory; }
        /** True to use a media driver run by the operator in {@link #aeronDirectory()} instead of an embedded one. */
        public Context aeronExternal(final boolean external) { this.aeronExternal = external; return this; }
        public boolean aeronExternal() { return aeronExternal; }
        /** Most bytes of live parts and playlists the live window holds (off-heap, pooled). */
        public Context liveBytes(final long bytes) { this.liveBytes = bytes; return this; }
        public long liveBytes() { return liveBytes; }
        /** This edge's unique id towards the control plane; default {@code hostname-port}. */
        public Context edgeId(final String edgeId) { this.edgeId = blankToNull(edgeId); return this; }
        public String edgeId() { return edgeId; }
        /** Where viewers reach this edge, as steering hands it out (no trailing slash); default http://hostname:port. */
        public Context publicUrl(final String url) { this.publicUrl = blankToNull(url); return this; }
        public String publicUrl() { return publicUrl; }
        /** The control plane: {@code ipc} (same process), {@code host[:port]} (UDP), or null/blank (none, the default). */
        public Context controlEndpoint(final String endpoint) { this.controlEndpoint = blankToNull(endpoint); return this; }
        public String controlEndpoint() { return controlEndpoint; }
        /** Local UDP {@code host:port} placement commands arrive on when the control plane is on another host. */
        public Context placementEndpoint(final String endpoint) { this.placementEndpoint = endpoint; return this; }
        public String placementEndpoint() { return placementEndpoint; }
        /** How often the edge heartbeats to the control plane. */
        public Context heartbeatInterval(final Duration interval) { this.heartbeatInterval = interval; return this; }
        public Duration heartbeatInterval() { return heartbeatInterval; }
        /** The telemetry window: per-content counters are sent this often. */
        public Context telemetryInterval(final Duration interval) { this.telemetryInterval = interval; return this; }
        public Duration telemetryInterval() { return telemetryInterval; }
        /** Most objects prefetched per second for the control plane's placement commands. */
        public Context placementPrefetchRate(final int perSecond) { this.placementPrefetchRate = perSecond; return this; }
        public int placementPrefetchRate() { return placementPrefetchRate; }
        /**
         * A directory holding {@code hls.min.js} (e.g. {@code node_modules/hls.js/dist} of a newer npm release) that the
         * reference player at {@code /player/{id}} loads instead of the bundled WebJar's (1.4.12); null (the default)
         * keeps the WebJar.
         */
        public Context playerHlsJsDir(final Path directory) { this.playerHlsJsDir = directory; return this; }
        public Path playerHlsJsDir() { return playerHlsJsDir; }
        /**
         * Keys shared with the control plane ({@code edge.fleet-keys}, {@code kid:secret} pairs): heartbeats and telemetry
         * are signed with the first, placement commands must be signed with one of them; blank or null (the default):
         * not authenticated.
         */
        public Context fleetKeys(final String keys)
        {
            this.fleetKeys = keys == null || keys.isBlank() ? null : keys;
            return this;
        }
        public String fleetKeys() { return fleetKeys; }
        /** The parsed {@link #fleetKeys(String)} (after {@link #conclude()}); {@link FleetKeys#NONE} when unset. */
        public FleetKeys fleetKeyRing() { return fleetKeyRing; }
        /** Told the path and duration (ns) of every completed origin fill, on the fill's thread; default none. */
        public Context fillObserver(final ObjLongConsumer<String> observer) { this.fillObserver = observer; return this; }
        public ObjLongConsumer<String> fillObserver() { return fillObserver; }
        /** Receives every QoE beacon the reference player posts that passes validation, on an event loop; default none. */
        public Context beaconObserver(final Consumer<QoeBeacon> observer) { this.beaconObserver = observer; return this; }
        public Consumer<QoeBeacon> beaconObserver() { return beaconObserver; }

        /**
         * Validate the settings.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad key.
         */
        public Context conclude()
        {
            ContextValidation.requireNonBlank("edge.bind", bindAddress);
            fleetKeyRing = FleetKeys.parse(fleetKeys, "edge.fleet-keys");
            ContextValidation.requirePort("edge.port", port);
            ContextValidation.requirePort("edge.tls-port", tlsPort);
            ContextValidation.requireNonBlank("edge.region", region);
            if (origins.isEmpty())
            {
                throw new IllegalArgumentException("edge.origin: at least one origin URL is required, e.g. --origin http://origin:8081");
            }
            if (transport == null)
            {
                transport = NettyTransport.select("auto");
            }
            if (meterRegistry == null)
            {
                meterRegistry = new SimpleMeterRegistry();
            }
            if ((tlsCertificate == null) != (tlsPrivateKey == null))
            {
                throw new IllegalArgumentException("edge.tls-cert and edge.tls-key go together: give both or neither");
            }
            for (final String prefix : signedPrefixes)
            {
                if (!prefix.startsWith("/"))
                {
                    throw new IllegalArgumentException("edge.signed-prefixes: '" + prefix + "' must start with /");
                }
            }
            if (signingKeys == null && fleetKeyRing.enabled() && controlEndpoint != null)
            {
                // Keys come from the control plane (SigningKeys messages, sealed under the fleet keys).
                signingKeys = SigningKeyRing.verifyOnly();
            }
            if (!signedPrefixes.isEmpty() && signingKeys == null)
            {
                throw new IllegalArgumentException("edge.signed-prefixes is set but edge.signing-keys is empty: " +
                    "give the keys tokens are signed with (kid:base64url-secret, ...), or set edge.fleet-keys and " +
                    "edge.control-endpoint to take them from the control plane");
            }
            CachePolicies.named(cachePolicy);
            CachePolicies.named(ssdCachePolicy);
            RamHitPath.named(ramHitPath);
            if (ssdBytes < 0)
            {
                throw new IllegalArgumentException("edge.ssd-bytes must be 0 (no SSD tier) or a size, got " + ssdBytes);
            }
            if (ssdMinTtl.isNegative() || ssdWriteQueueBytes < 1)
            {
                throw new IllegalArgumentException("edge: the SSD minimum TTL must not be negative, its write queue positive");
            }
            if (Integer.bitCount(tierRingSlots) != 1 || Integer.bitCount(accessRingSlots) != 1 || accessObserver == null)
            {
                throw new IllegalArgumentException("edge: ring slots must be powers of two and the access observer set");
            }
            if (ramBytes < ramPageBytes)
            {
                throw new IllegalArgumentException("edge.ram-bytes must hold at least one page of " + ramPageBytes + " bytes");
            }
            if (ioThreads < 1 || maxOriginConnections < 1 || maxFillObjectBytes < 1)
            {
                throw new IllegalArgumentException("edge: io threads, origin connections and the fill limit must be positive");
            }
            if (maxFillHops < 1 || maxFillHops > FillHops.MAX_VALUE)
            {
                throw new IllegalArgumentException("edge.fill-max-hops must be 1-" + FillHops.MAX_VALUE + ", got " + maxFillHops);
            }
            if (Integer.bitCount(ioUringRingSize) != 1 || ioUringRingSize > 32768 ||
                Integer.bitCount(ioUringCqSize) != 1 || ioUringCqSize < ioUringRingSize || ioUringCqSize > 65536)
            {
                throw new IllegalArgumentException("edge.io-uring-ring-size (" + ioUringRingSize + ", at most 32768) and " +
                    "edge.io-uring-cq-size (" + ioUringCqSize + ", at least the ring size, at most 65536) must be powers of two");
            }
            if (liveWakeChunk < 1)
            {
                throw new IllegalArgumentException("edge.live-wake-chunk must be at least 1, got " + liveWakeChunk);
            }
            if (liveChannel != null && (liveChannel.isBlank() || !liveChannel.startsWith("aeron:")))
            {
                throw new IllegalArgumentException("edge.live-channel must be an Aeron channel (aeron:udp?... or aeron:ipc), got " +
                    liveChannel);
            }
            if (controlEndpoint != null)
            {
                EdgeControl.Channels.of(controlEndpoint, placementEndpoint);
                if (edgeId != null && !edgeId.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}"))
                {
                    throw new IllegalArgumentException("edge.id must be 1-128 letters, digits, '.', '_', ':' or '-', got " +
                        edgeId);
                }
                if (publicUrl != null && (!publicUrl.matches("https?://[A-Za-z0-9.:\\[\\]-]+(/[A-Za-z0-9._~/-]*)?") ||
                    publicUrl.endsWith("/")))
                {
                    throw new IllegalArgumentException("edge.public-url must be http(s)://host[:port][/path] without a " +
                        "trailing slash, got " + publicUrl);
                }
                if (heartbeatInterval == null || heartbeatInterval.toMillis() < 10 || telemetryInterval == null ||
                    telemetryInterval.toMillis() < 10 || placementPrefetchRate < 1)
                {
                    throw new IllegalArgumentException("edge: heartbeat and telemetry intervals must be 10 ms or more and " +
                        "edge.placement-prefetch-rate positive");
                }
            }
            if (playerHlsJsDir != null && !Files.isReadable(playerHlsJsDir.resolve(PlayerService.HLS_JS_FILE)))
            {
                throw new IllegalArgumentException("edge.player-hlsjs-dir: " + playerHlsJsDir.toAbsolutePath() +
                    " has no readable " + PlayerService.HLS_JS_FILE + "; point it at a folder holding it, e.g. " +
                    "node_modules/hls.js/dist of an npm install, or leave it empty for the bundled hls.js");
            }
            if (fillObserver == null || beaconObserver == null)
            {
                throw new IllegalArgumentException("edge: the fill and beacon observers must be set (default: none)");
            }
            if (liveBytes < 1 || aeronDirectory == null)
            {
                throw new IllegalArgumentException("edge.live-bytes must be positive and edge.aeron-dir set");
            }
            for (final URI origin : origins)
            {
                if (!"http".equals(origin.getScheme()) && !"https".equals(origin.getScheme()) || origin.getHost() == null)
                {
                    throw new IllegalArgumentException("edge.origin: " + origin + " is not an http(s)://host[:port] URL");
                }
            }
            return this;
        }

        private static String blankToNull(final String value)
        {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
