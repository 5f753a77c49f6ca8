package io.bifrost.origin;

import io.bifrost.origin.catalog.CaptionCatalog;
import io.bifrost.origin.catalog.TitlePublisher;
import io.bifrost.origin.catalog.VideoApi;
import io.bifrost.origin.catalog.VideoCatalog;
import io.bifrost.origin.http.ApiRouter;
import io.bifrost.origin.http.OriginHttpServer;
import io.bifrost.origin.http.OriginTls;
import io.bifrost.origin.jobs.TranscodeJobs;
import io.bifrost.origin.keys.KeyEndpoints;
import io.bifrost.origin.keys.TitleKeyStore;
import io.bifrost.origin.keys.TitleProtections;
import io.bifrost.origin.live.LivePackager;
import io.bifrost.origin.live.LiveRecorder;
import io.bifrost.origin.live.LiveResponder;
import io.bifrost.origin.live.replication.LiveReplicationPublisher;
import io.bifrost.origin.live.replication.LiveReplicationSettings;
import io.bifrost.origin.store.OriginStore;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.node.ContextValidation;
import io.bifrost.protocol.node.NettyTransport;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.node.RunningRole;
import io.bifrost.transcoder.TranscodeWorker.Backend;
import io.bifrost.transcoder.backend.BackendSelection;
import io.bifrost.transcoder.backend.BackendSelector;
import io.bifrost.transcoder.job.VodTranscoder;
import io.bifrost.transcoder.ladder.LadderOptions;
import io.bifrost.transcoder.ladder.VideoCodec;
import io.bifrost.transcoder.probe.SourceLimits;
import io.bifrost.transcoder.protection.ContentProtection;
import io.bifrost.transcoder.thumbnail.ThumbnailOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelHandler;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The origin role: the segment store (RocksDB), the video catalog, the VOD transcode jobs, the live packager
 * ({@link RunningOrigin#live()}, where live producers open sessions and listeners subscribe) and the HTTP origin
 * (content for edges and players, live LL-HLS/DASH with blocking reload, the management API, ops endpoints).
 *
 * <p>Data directory layout: {@code store/} (RocksDB), {@code jobs/} (Chronicle Queue job log), {@code originals/}
 * (uploaded sources, one file per video id), {@code titles/} (title folders while the transcoder publishes them; a
 * folder is deleted once imported into the store).
 */
public final class OriginNode
{
    /** Role name on the command line. */
    public static final String ROLE = "origin";

    private OriginNode()
    {
    }

    /**
     * Start an origin from a context: open the store and job log, start the transcode workers (which replay the job
     * log and finish what a previous run left), then bind the HTTP port.
     *
     * @param context the origin settings; {@link Context#conclude()} is called here.
     * @return the running origin; closing it stops HTTP, then the workers (a running transcode is killed and redone on
     * the next start), then closes the job log and the store.
     * @throws IllegalStateException when the data directory, store or port cannot be used.
     */
    public static RunningOrigin launch(final Context context)
    {
        context.conclude();
        final Path dataDir = context.dataDir().toAbsolutePath();
        final Path originals = dataDir.resolve("originals");
        final Path titles = dataDir.resolve("titles");
        try
        {
            Files.createDirectories(originals);
            Files.createDirectories(titles);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("origin cannot create its data directory " + dataDir, ex);
        }
        final List<AutoCloseable> opened = new ArrayList<>();
        try
        {
            final OriginStore store = track(opened, OriginStore.open(dataDir.resolve("store")));
            final TranscodeJobs jobs = track(opened, new TranscodeJobs(dataDir.resolve("jobs"), titles,
                context.segmentSeconds(), context.x264Preset(), context.extraCodecs()));
            final VideoCatalog catalog = new VideoCatalog(store, originals, titles, jobs, context.clock(),
                context.meterRegistry());
            final TitlePublisher publisher = new TitlePublisher(catalog, store, titles);
            catalog.submitPendingJobs();
            final TitleKeyStore titleKeys = new TitleKeyStore(store, new SecureRandom());
            catalog.onDeleted(titleKeys::shred);
            final BackendSelection backend = BackendSelector.select(context.transcodeBackend(), context.ffmpeg())
                .register(context.meterRegistry());
            jobs.start(context.transcodeWorkers(), new VodTranscoder(context.ffmpeg(), context.ffprobe(),
                context.sourceLimits(), backend.ladderEncoding(context.ffmpeg())), context.thumbnails(), catalog,
                publisher, context.meterRegistry(),
                new TitleProtections(catalog, titleKeys, context.defaultProtection(), context.publicBaseUrl()));
            Supplier<ChannelHandler> uploadHandler = context.uploadHandlerFactory();
            if (context.uploads() != null)
            {
                uploadHandler = context.uploads().apply(catalog);
                if (uploadHandler instanceof AutoCloseable closeable)
                {
                    track(opened, closeable);
                }
            }
            final ApiRouter router = new ApiRouter();
            new VideoApi(catalog, new CaptionCatalog(catalog, store), context.publicBaseUrl()).register(router);
            final LiveRecorder recorder = context.liveRecord() ? track(opened, new LiveRecorder(
                dataDir.resolve("live-recordings"), publisher::publish, context.liveRecordMaxSegments())) : null;
            final LivePackager live = new LivePackager(new LivePackager.Context()
                .recorder(recorder)
                .partTargetMs(context.livePartTargetMs())
                .segmentTargetMs(context.liveSegmentTargetMs())
                .windowSegments(context.liveWindowSegments())
                .maxHeldRequests(context.liveMaxHeldRequests())
                .clock(context.clock())
                .meterRegistry(context.meterRegistry()));
            if (context.liveReplication() != null)
            {
                final LiveReplicationSettings replication = context.liveReplication();
                final EmbeddedAeron aeron = track(opened,
                    EmbeddedAeron.acquire(replication.aeronDirectory(), replication.externalDriver()));
                live.addListener(track(opened, LiveReplicationPublisher.open(aeron.aeron(), replication.channel(),
                    context.meterRegistry(), context.fleetKeyRing())));
            }
            final RunningOrigin origin = new RunningOrigin(catalog, live, backend, opened);
            final OriginHttpServer server = track(opened, OriginHttpServer.start(new OriginHttpServer.Settings(
                context.bindAddress(), context.port(), context.transport(), context.ioThreads(),
                context.blockingThreads(), context.maxRequestBodyBytes(), context.idleTimeoutSeconds(),
                uploadHandler, new LiveResponder(live, context.liveChunkedMaxQueuedBytes())).withTls(context.tlsPort(), context.tlsCertificate(),
                context.tlsPrivateKey()), store, router, origin::readiness, context.metricsText(),
                context.meterRegistry(), new KeyEndpoints(catalog, titleKeys, context.meterRegistry())));
            origin.serving(server, Files.isExecutable(context.ffmpeg()) && Files.isExecutable(context.ffprobe()) ?
                Readiness.up() : Readiness.notReady("ffmpeg/ffprobe not found at " + context.ffmpeg() + ", " +
                context.ffprobe() + "; content is served but uploads cannot be transcoded"));
            return origin;
        }
        catch (final RuntimeException ex)
        {
            for (int i = opened.size() - 1; i >= 0; i--)
            {
                CloseHelper.quietClose(opened.get(i));
            }
            throw ex;
        }
    }

    private static <T extends AutoCloseable> T track(final List<AutoCloseable> opened, final T resource)
    {
        opened.add(resource);
        return resource;
    }

    /**
     * Origin settings with the defaults of DESIGN.md section 3. Mutable until {@link #conclude()}; not thread-safe.
     */
    public static final class Context
    {
        /** Default HTTP port. */
        public static final int DEFAULT_PORT = 8081;
        /** Default HTTPS port, used only with a certificate: next to the edge's 8443. */
        public static final int DEFAULT_TLS_PORT = 8444;

        private String bindAddress = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private int tlsPort = DEFAULT_TLS_PORT;
        private Path tlsCertificate;
        private Path tlsPrivateKey;
        private Path dataDir = Path.of("data", ROLE);
        private NettyTransport transport;
        private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int blockingThreads = 8;
        private int maxRequestBodyBytes = 1024 * 1024;
        private int idleTimeoutSeconds = 60;
        private int transcodeWorkers = 1;
        private Backend transcodeBackend = Backend.AUTO;
        private int segmentSeconds = 4;
        private String x264Preset = LadderOptions.DEFAULTS.x264Preset();
        private Set<VideoCodec> extraCodecs = Set.of();
        private Path ffmpeg = Path.of("/usr/bin/ffmpeg");
        private Path ffprobe = Path.of("/usr/bin/ffprobe");
        private SourceLimits sourceLimits = SourceLimits.DEFAULTS;
        private ThumbnailOptions thumbnails = ThumbnailOptions.DEFAULTS;
        private String publicBaseUrl = "";
        private ContentProtection defaultProtection = ContentProtection.NONE;
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry;
        private Supplier<String> metricsText = () -> "# this origin was started without a Prometheus registry\n";
        private Supplier<ChannelHandler> uploadHandlerFactory;
        private Function<VideoCatalog, Supplier<ChannelHandler>> uploads;
        private LiveReplicationSettings liveReplication;
        private String fleetKeys;
        private FleetKeys fleetKeyRing = FleetKeys.NONE;
        private int livePartTargetMs = LivePackager.Context.DEFAULT_PART_TARGET_MS;
        private int liveSegmentTargetMs = LivePackager.Context.DEFAULT_SEGMENT_TARGET_MS;
        private int liveWindowSegments = LivePackager.Context.DEFAULT_WINDOW_SEGMENTS;
        private int liveMaxHeldRequests = LivePackager.Context.DEFAULT_MAX_HELD_REQUESTS;
        private long liveChunkedMaxQueuedBytes = LiveResponder.DEFAULT_CHUNKED_MAX_QUEUED_BYTES;
        private boolean liveRecord;
        private int liveRecordMaxSegments = 1800;

        public Context bindAddress(final String bindAddress) { this.bindAddress = bindAddress; return this; }
        public String bindAddress() { return bindAddress; }
        public Context port(final int port) { this.port = port; return this; }
        public int port() { return port; }
        /** HTTPS port ({@code origin.tls-port}, default 8444; 0 = ephemeral), bound only with a certificate. */
        public Context tlsPort(final int port) { this.tlsPort = port; return this; }
        public int tlsPort() { return tlsPort; }
        /**
         * PEM certificate chain ({@code origin.tls-cert}); with {@link #tlsPrivateKey} the origin also serves HTTPS on
         * {@link #tlsPort}, h2 or http/1.1 by ALPN. Null (the default): no TLS port.
         */
        public Context tlsCertificate(final Path path) { this.tlsCertificate = path; return this; }
        public Path tlsCertificate() { return tlsCertificate; }
        /** PEM PKCS#8 private key of {@link #tlsCertificate} ({@code origin.tls-key}). */
        public Context tlsPrivateKey(final Path path) { this.tlsPrivateKey = path; return this; }
        public Path tlsPrivateKey() { return tlsPrivateKey; }
        public Context dataDir(final Path dataDir) { this.dataDir = dataDir; return this; }
        public Path dataDir() { return dataDir; }
        /** Netty transport; default: the best available (io_uring, epoll, NIO). */
        public Context transport(final NettyTransport transport) { this.transport = transport; return this; }
        public NettyTransport transport() { return transport; }
        /** Event loop threads (default: one per core). */
        public Context ioThreads(final int ioThreads) { this.ioThreads = ioThreads; return this; }
        public int ioThreads() { return ioThreads; }
        /** Threads that run request handling, which blocks on RocksDB (default 8). */
        public Context blockingThreads(final int blockingThreads) { this.blockingThreads = blockingThreads; return this; }
        public int blockingThreads() { return blockingThreads; }
        /** Largest API request body in bytes (default 1 MiB; 413 beyond). */
        public Context maxRequestBodyBytes(final int bytes) { this.maxRequestBodyBytes = bytes; return this; }
        public int maxRequestBodyBytes() { return maxRequestBodyBytes; }
        /** Idle connections are closed after this many seconds (default 60). */
        public Context idleTimeoutSeconds(final int seconds) { this.idleTimeoutSeconds = seconds; return this; }
        public int idleTimeoutSeconds() { return idleTimeoutSeconds; }
        /** Titles transcoded at once, each by one ffmpeg process (default 1). */
        public Context transcodeWorkers(final int workers) { this.transcodeWorkers = workers; return this; }
        public int transcodeWorkers() { return transcodeWorkers; }
        /**
         * transcode.backend: auto (probe for CUDA and NVENC at start-up), cpu, nvenc or jcuda (start-up fails when the
         * machine lacks it). Used for VOD titles, and by live scaling in auto mode.
         */
        public Context transcodeBackend(final Backend backend) { this.transcodeBackend = backend; return this; }
        public Backend transcodeBackend() { return transcodeBackend; }
        /** VOD segment duration in seconds, 2..6 (default 4). */
        public Context segmentSeconds(final int seconds) { this.segmentSeconds = seconds; return this; }
        public int segmentSeconds() { return segmentSeconds; }
        /** libx264 preset (default veryfast). */
        public Context x264Preset(final String preset) { this.x264Preset = preset; return this; }
        public String x264Preset() { return x264Preset; }
        /** Extra ladder codecs besides H.264 (default none). */
        public Context extraCodecs(final Set<VideoCodec> codecs) { this.extraCodecs = Set.copyOf(codecs); return this; }
        public Set<VideoCodec> extraCodecs() { return extraCodecs; }
        public Context ffmpeg(final Path ffmpeg) { this.ffmpeg = ffmpeg; return this; }
        public Path ffmpeg() { return ffmpeg; }
        public Context ffprobe(final Path ffprobe) { this.ffprobe = ffprobe; return this; }
        public Path ffprobe() { return ffprobe; }
        /** What uploads are accepted (dimensions, duration, decompression bombs). */
        public Context sourceLimits(final SourceLimits limits) { this.sourceLimits = limits; return this; }
        public SourceLimits sourceLimits() { return sourceLimits; }
        public Context thumbnails(final ThumbnailOptions thumbnails) { this.thumbnails = thumbnails; return this; }
        public ThumbnailOptions thumbnails() { return thumbnails; }
        /** Prefix of content URLs in API responses, e.g. the CDN's {@code https://cdn.example.com} (default none). */
        public Context publicBaseUrl(final String url) { this.publicBaseUrl = url; return this; }
        /** Protection of titles whose upload names none ({@code origin.default-protection}). */
        public Context defaultProtection(final ContentProtection protection) { this.defaultProtection = protection; return this; }
        public ContentProtection defaultProtection() { return defaultProtection; }
        public String publicBaseUrl() { return publicBaseUrl; }
        public Context clock(final Clock clock) { this.clock = clock; return this; }
        public Clock clock() { return clock; }
        /** Registry for the origin's meters; default: a private simple registry. */
        public Context meterRegistry(final MeterRegistry registry) { this.meterRegistry = registry; return this; }
        public MeterRegistry meterRegistry() { return meterRegistry; }
        /** The Prometheus text served at {@code /metrics}. */
        public Context metricsText(final Supplier<String> metricsText) { this.metricsText = metricsText; return this; }
        public Supplier<String> metricsText() { return metricsText; }

        /**
         * The hook for the upload service: a factory of the handler placed right after the HTTP codec of every
         * connection, which answers its own requests and passes every other one down the pipeline.
         *
         * @param factory makes one handler per connection (or returns a shared {@code @Sharable} one); null for none.
         * @return this.
         */
        public Context uploadHandlerFactory(final Supplier<ChannelHandler> factory)
        {
            this.uploadHandlerFactory = factory;
            return this;
        }

        public Supplier<ChannelHandler> uploadHandlerFactory() { return uploadHandlerFactory; }

        /**
         * The hook for an upload service that needs the catalog (its listener calls {@code create},
         * {@code uploadCompleted}, {@code uploadTerminated}, {@code markFailed}): called once during launch, after the
         * catalog exists and before the port is bound; the returned factory makes the handler placed right after the
         * HTTP codec of every connection. When it is also {@link AutoCloseable} it is closed after the HTTP server.
         * Takes precedence over {@link #uploadHandlerFactory(Supplier)}.
         *
         * @param uploads builds the upload service from the catalog; null for none.
         * @return this.
         */
        public Context uploads(final Function<VideoCatalog, Supplier<ChannelHandler>> uploads)
        {
            this.uploads = uploads;
            return this;
        }

        public Function<VideoCatalog, Supplier<ChannelHandler>> uploads() { return uploads; }

        /**
         * Publish every live part and window update to the edges over Aeron (DESIGN.md section 2, Live).
         *
         * @param settings channel, Aeron directory and driver mode; null (the default) publishes nothing.
         * @return this.
         */
        public Context liveReplication(final LiveReplicationSettings settings)
        {
            this.liveReplication = settings;
            return this;
        }

        public LiveReplicationSettings liveReplication() { return liveReplication; }

        /**
         * Keys shared with the edges ({@code origin.fleet-keys}, {@code kid:secret} pairs, the syntax and values of
         * {@code edge.fleet-keys}): every live part and window update is signed with the first, and edges with keys
         * refuse unsigned ones. Blank or null (the default): live replication is not authenticated.
         *
         * @param keys the keys, or null.
         * @return this.
         */
        public Context fleetKeys(final String keys)
        {
            this.fleetKeys = keys == null || keys.isBlank() ? null : keys;
            return this;
        }

        public String fleetKeys() { return fleetKeys; }
        /** The parsed {@link #fleetKeys(String)} (after {@link #conclude()}); {@link FleetKeys#NONE} when unset. */
        public FleetKeys fleetKeyRing() { return fleetKeyRing; }

        /** Live LL-HLS part target in ms, 200..1000 (default 333); live producers write one fragment per part. */
        public Context livePartTargetMs(final int ms) { this.livePartTargetMs = ms; return this; }
        public int livePartTargetMs() { return livePartTargetMs; }
        /** Live segment target in ms, 1000..10000, at least two part targets (default 2000). */
        public Context liveSegmentTargetMs(final int ms) { this.liveSegmentTargetMs = ms; return this; }
        public int liveSegmentTargetMs() { return liveSegmentTargetMs; }
        /** Complete segments in a live playlist and kept in memory per rendition, 3..1000 (default 10). */
        public Context liveWindowSegments(final int segments) { this.liveWindowSegments = segments; return this; }
        public int liveWindowSegments() { return liveWindowSegments; }
        /** Live requests held at once (blocking reloads, preload hints) before 503 (default 10000). */
        public Context liveMaxHeldRequests(final int max) { this.liveMaxHeldRequests = max; return this; }
        public int liveMaxHeldRequests() { return liveMaxHeldRequests; }
        /**
         * Most bytes of a streamed (low-latency DASH) segment that may wait for a viewer's connection when the next
         * part is due; past it the viewer is closed as too slow. 64 KiB..1 GiB (default 4 MiB).
         */
        public Context liveChunkedMaxQueuedBytes(final long bytes) { this.liveChunkedMaxQueuedBytes = bytes; return this; }
        public long liveChunkedMaxQueuedBytes() { return liveChunkedMaxQueuedBytes; }
        /** Keep every ended live session as a VOD title {@code {streamId}-{epoch}} (default false). */
        public Context liveRecord(final boolean record) { this.liveRecord = record; return this; }
        public boolean liveRecord() { return liveRecord; }
        /** Most segments a recording keeps per rendition, 1..1000000 (default 1800: an hour of 2 s segments). */
        public Context liveRecordMaxSegments(final int segments) { this.liveRecordMaxSegments = segments; return this; }
        public int liveRecordMaxSegments() { return liveRecordMaxSegments; }

        /**
         * Validate the settings and fill derived defaults.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad key.
         */
        public Context conclude()
        {
            ContextValidation.requireNonBlank("origin.bind", bindAddress);
            fleetKeyRing = FleetKeys.parse(fleetKeys, "origin.fleet-keys");
            ContextValidation.requirePort("origin.port", port);
            if (OriginTls.validate(tlsCertificate, tlsPrivateKey, "origin.tls-cert", "origin.tls-key"))
            {
                ContextValidation.requirePort("origin.tls-port", tlsPort);
            }
            requireRange("origin.io-threads", ioThreads, 1, 1024);
            requireRange("origin.blocking-threads", blockingThreads, 1, 1024);
            requireRange("origin.max-request-body-bytes", maxRequestBodyBytes, 1024, 64 * 1024 * 1024);
            requireRange("origin.idle-timeout-seconds", idleTimeoutSeconds, 1, 3600);
            requireRange("origin.transcode-workers", transcodeWorkers, 1, 64);
            requireRange("origin.segment-seconds", segmentSeconds, 2, 6);
            requireRange("origin.live-part-target-ms", livePartTargetMs, 200, 1000);
            requireRange("origin.live-segment-target-ms", liveSegmentTargetMs, Math.max(1000, 2 * livePartTargetMs),
                10_000);
            requireRange("origin.live-window-segments", liveWindowSegments, 3, 1000);
            requireRange("origin.live-max-held-requests", liveMaxHeldRequests, 1, 1_000_000);
            if (liveChunkedMaxQueuedBytes < 64 * 1024 || liveChunkedMaxQueuedBytes > 1L << 30)
            {
                throw new IllegalArgumentException("origin.live-chunked-max-queued-bytes must be between 65536 and "
                    + (1L << 30) + ", got " + liveChunkedMaxQueuedBytes);
            }
            requireRange("origin.live-record-max-segments", liveRecordMaxSegments, 1, 1_000_000);
            LadderOptions.DEFAULTS.withX264Preset(x264Preset);
            if (dataDir == null)
            {
                throw new IllegalArgumentException("origin.data-dir must be set");
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

        private static void requireRange(final String key, final int value, final int min, final int max)
        {
            if (value < min || value > max)
            {
                throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + value);
            }
        }
    }
}
