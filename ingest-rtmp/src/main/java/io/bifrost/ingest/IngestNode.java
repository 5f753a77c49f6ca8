package io.bifrost.ingest;

import io.bifrost.ingest.control.ControlPlaneAuthorizer;
import io.bifrost.ingest.control.ControlPlaneClient;
import io.bifrost.ingest.control.StreamStatusSinkFactory;
import io.bifrost.ingest.record.FlvRecordingSinkFactory;
import io.bifrost.ingest.rtmp.RtmpLimits;
import io.bifrost.ingest.rtmp.RtmpServer;
import io.bifrost.ingest.rtmp.session.PublishRegistry;
import io.bifrost.ingest.sink.DiscardingSinkFactory;
import io.bifrost.ingest.sink.FanOutSinkFactory;
import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.ingest.srt.SrtBridge;
import io.bifrost.ingest.srt.SrtSettings;
import io.bifrost.protocol.node.ContextValidation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The ingest role: RTMP, RTMPS and SRT listeners that publishers (OBS, ffmpeg) push live streams to, with stream
 * keys checked by the control plane, every stream reported live/offline to it, and every stream recorded as FLV
 * unless {@code ingest.recording} is off (live only).
 *
 * <p>What runs: an {@link RtmpServer} on {@code ingest.rtmp-port}; a second one with TLS in front of the same
 * pipeline on {@code ingest.rtmps-port} when {@code ingest.tls-cert} and {@code ingest.tls-key} are set; an
 * {@link SrtBridge} (ffmpeg listener) on {@code ingest.srt-port}/udp. All share one {@link PublishRegistry} (a key
 * publishes once across protocols), one {@link ControlPlaneAuthorizer} and one sink chain:
 * {@link StreamStatusSinkFactory} around a {@link FanOutSinkFactory} of the {@link FlvRecordingSinkFactory} (not
 * created, with its writer thread and {@code bifrost.ingest.recording.*} meters, when recording is off) and the
 * context's extra sinks ({@link DiscardingSinkFactory} when there are none).
 */
public final class IngestNode
{
    /** Role name on the command line. */
    public static final String ROLE = "ingest";

    private static final Logger LOG = LoggerFactory.getLogger(IngestNode.class);

    private IngestNode()
    {
    }

    /**
     * Start the ingest listeners.
     *
     * @param context the settings; {@link Context#conclude()} is called here.
     * @return the running role; ready once every listener is bound (and the SRT bridge's ffmpeg runs).
     * @throws IllegalArgumentException for bad settings, {@link IllegalStateException} when a listener cannot start
     *                                  (everything started so far is closed again).
     */
    public static RunningIngest launch(final Context context)
    {
        context.conclude();
        final Deque<AutoCloseable> resources = new ArrayDeque<>();
        try
        {
            createDataDir(context);
            final ControlPlaneClient control = push(resources, new ControlPlaneClient(URI.create(context.controlUrl()),
                context.controlToken(), Duration.ofMillis(context.controlTimeoutMs()), context.controlMaxInFlight(),
                context.controlMaxQueued(), Duration.ofMillis(context.controlQueueTimeoutMs()),
                context.controlStatusMaxInFlight(), context.controlStatusMaxQueued(), context.meterRegistry()));
            final ControlPlaneAuthorizer authorizer = new ControlPlaneAuthorizer(control);
            final FlvRecordingSinkFactory recorder = !context.recording() ? null : push(resources,
                new FlvRecordingSinkFactory(context.dataDir(), context.recordingMaxBytes(),
                context.recordingBufferBytes(), Clock.systemUTC(), context.meterRegistry()));
            final List<MediaSinkFactory> sinks = new ArrayList<>();
            if (null != recorder)
            {
                sinks.add(recorder);
            }
            sinks.addAll(context.extraSinkFactories());
            if (sinks.isEmpty())
            {
                sinks.add(DiscardingSinkFactory.INSTANCE);
            }
            final MediaSinkFactory sinkFactory = new StreamStatusSinkFactory(control, new FanOutSinkFactory(sinks));
            final PublishRegistry registry = new PublishRegistry();

            final RtmpServer rtmp = push(resources, RtmpServer.start(rtmpContext(context, authorizer, sinkFactory,
                registry).port(context.rtmpPort())));
            RtmpServer rtmps = null;
            if (null != context.tlsCertificate())
            {
                rtmps = push(resources, RtmpServer.start(rtmpContext(context, authorizer, sinkFactory, registry)
                    .port(context.rtmpsPort())
                    .sslContext(tls(context))));
            }
            SrtBridge srt = null;
            if (context.srtEnabled())
            {
                srt = push(resources, SrtBridge.start(new SrtSettings(context.ffmpegPath(), context.bindAddress(),
                    context.srtPort(), context.srtLatencyMs(), context.rtmpLimits().maxMessageSize(), authorizer,
                    sinkFactory, registry, context.meterRegistry())));
            }
            else
            {
                LOG.info("srt ingest disabled (ingest.srt-enabled=false)");
            }
            LOG.info("ingest: stream keys checked by {} ({}), {}", control.baseUri(),
                null == context.controlToken() ? "no ingest token: the control plane must see us on loopback" :
                "with the ingest token", null == recorder ? "recording off (ingest.recording=false)" :
                "recordings in " + recorder.recordingsDir());
            return new RunningIngest(rtmp, rtmps, srt, resources);
        }
        catch (final RuntimeException ex)
        {
            RunningIngest.closeAll(resources);
            throw ex;
        }
    }

    private static RtmpServer.Context rtmpContext(final Context context, final ControlPlaneAuthorizer authorizer,
        final MediaSinkFactory sinkFactory, final PublishRegistry registry)
    {
        return new RtmpServer.Context()
            .bindAddress(context.bindAddress())
            .limits(context.rtmpLimits())
            .authorizer(authorizer)
            .sinkFactory(sinkFactory)
            .registry(registry)
            .transport(context.transport())
            .meterRegistry(context.meterRegistry())
            .protocol(IngestProtocol.RTMP);
    }

    private static SslContext tls(final Context context)
    {
        final SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        try
        {
            final SslContext tls = SslContextBuilder
                .forServer(context.tlsCertificate().toFile(), context.tlsPrivateKey().toFile())
                .sslProvider(provider)
                .build();
            LOG.info("rtmps TLS uses {}", provider);
            return tls;
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new IllegalStateException("ingest TLS: cannot use certificate " + context.tlsCertificate() +
                " with key " + context.tlsPrivateKey() + " (" + ex.getMessage() + "); give a PEM certificate chain " +
                "(ingest.tls-cert) and a PEM PKCS#8 key (ingest.tls-key)", ex);
        }
    }

    private static void createDataDir(final Context context)
    {
        try
        {
            Files.createDirectories(context.dataDir());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("ingest cannot create its data directory " + context.dataDir(), ex);
        }
    }

    private static <T extends AutoCloseable> T push(final Deque<AutoCloseable> resources, final T resource)
    {
        resources.push(resource);
        return resource;
    }


    /**
     * Ingest settings with the defaults of DESIGN.md section 3. Mutable until {@link #conclude()}; not thread-safe
     * while being built.
     */
    public static final class Context
    {
        /** Default RTMP port. */
        public static final int DEFAULT_RTMP_PORT = 1935;
        /** Default RTMPS port (used only when a certificate is configured). */
        public static final int DEFAULT_RTMPS_PORT = 1936;
        /** Default SRT port (UDP). */
        public static final int DEFAULT_SRT_PORT = 9000;
        /** Default control plane (the zero-config {@code bifrost all} on one host). */
        public static final String DEFAULT_CONTROL_URL = "http://127.0.0.1:8082";
        /** Default timeout of one control plane call, milliseconds. */
        public static final long DEFAULT_CONTROL_TIMEOUT_MS = 2_000;
        /** Default SRT receiver latency, milliseconds (SRT's own default). */
        public static final int DEFAULT_SRT_LATENCY_MS = 120;

        private String bindAddress = "0.0.0.0";
        private int rtmpPort = DEFAULT_RTMP_PORT;
        private int rtmpsPort = DEFAULT_RTMPS_PORT;
        private int srtPort = DEFAULT_SRT_PORT;
        private boolean srtEnabled = true;
        private int srtLatencyMs = DEFAULT_SRT_LATENCY_MS;
        private String ffmpegPath = "ffmpeg";
        private String transport = "auto";
        private Path tlsCertificate;
        private Path tlsPrivateKey;
        private String controlUrl = DEFAULT_CONTROL_URL;
        private String controlToken;
        private long controlTimeoutMs = DEFAULT_CONTROL_TIMEOUT_MS;
        private int controlMaxInFlight = ControlPlaneClient.DEFAULT_MAX_IN_FLIGHT;
        private int controlMaxQueued = ControlPlaneClient.DEFAULT_MAX_QUEUED;
        private long controlQueueTimeoutMs = ControlPlaneClient.DEFAULT_QUEUE_TIMEOUT_MS;
        private int controlStatusMaxInFlight = ControlPlaneClient.DEFAULT_STATUS_MAX_IN_FLIGHT;
        private int controlStatusMaxQueued = ControlPlaneClient.DEFAULT_STATUS_MAX_QUEUED;
        private Path dataDir = Path.of("data", ROLE);
        private boolean recording = true;
        private long recordingMaxBytes = FlvRecordingSinkFactory.DEFAULT_MAX_BYTES_PER_RECORDING;
        private long recordingBufferBytes;
        private RtmpLimits rtmpLimits = RtmpLimits.defaults();
        private final List<MediaSinkFactory> extraSinkFactories = new ArrayList<>();
        private MeterRegistry meterRegistry;

        public Context bindAddress(final String bindAddress) { this.bindAddress = bindAddress; return this; }
        public String bindAddress() { return bindAddress; }
        public Context rtmpPort(final int rtmpPort) { this.rtmpPort = rtmpPort; return this; }
        public int rtmpPort() { return rtmpPort; }
        public Context rtmpsPort(final int rtmpsPort) { this.rtmpsPort = rtmpsPort; return this; }
        public int rtmpsPort() { return rtmpsPort; }
        public Context srtPort(final int srtPort) { this.srtPort = srtPort; return this; }
        public int srtPort() { return srtPort; }
        /** Whether the SRT bridge runs (it needs ffmpeg with libsrt). */
        public Context srtEnabled(final boolean srtEnabled) { this.srtEnabled = srtEnabled; return this; }
        public boolean srtEnabled() { return srtEnabled; }
        /** SRT receiver latency in milliseconds; the connection uses the larger of this and the caller's. */
        public Context srtLatencyMs(final int srtLatencyMs) { this.srtLatencyMs = srtLatencyMs; return this; }
        public int srtLatencyMs() { return srtLatencyMs; }
        /** Netty transport of the RTMP listeners: auto, io_uring, epoll or nio. */
        public Context transport(final String transport) { this.transport = transport; return this; }
        public String transport() { return transport; }
        /** The ffmpeg executable of the SRT bridge: a path, or a name looked up on PATH. */
        public Context ffmpegPath(final String ffmpegPath) { this.ffmpegPath = ffmpegPath; return this; }
        public String ffmpegPath() { return ffmpegPath; }
        /** PEM certificate chain for RTMPS; RTMPS runs only when this and the key are set. */
        public Context tlsCertificate(final Path path) { this.tlsCertificate = path; return this; }
        public Path tlsCertificate() { return tlsCertificate; }
        /** PEM PKCS#8 private key for RTMPS. */
        public Context tlsPrivateKey(final Path path) { this.tlsPrivateKey = path; return this; }
        public Path tlsPrivateKey() { return tlsPrivateKey; }
        /** The control plane's base URL (stream keys, status reports). */
        public Context controlUrl(final String controlUrl) { this.controlUrl = controlUrl; return this; }
        public String controlUrl() { return controlUrl; }
        /** Bearer token for the control plane's internal API (= its control.ingest-token); null for none. */
        public Context controlToken(final String controlToken) { this.controlToken = controlToken; return this; }
        public String controlToken() { return controlToken; }
        /** Timeout of one control plane call, milliseconds. */
        public Context controlTimeoutMs(final long value) { this.controlTimeoutMs = value; return this; }
        public long controlTimeoutMs() { return controlTimeoutMs; }
        /** The most stream-key checks outstanding at the control plane at once; more wait in line. */
        public Context controlMaxInFlight(final int value) { this.controlMaxInFlight = value; return this; }
        public int controlMaxInFlight() { return controlMaxInFlight; }
        /** The most stream-key checks waiting in line; more are refused at once (fail closed). */
        public Context controlMaxQueued(final int value) { this.controlMaxQueued = value; return this; }
        public int controlMaxQueued() { return controlMaxQueued; }
        /** The most live/offline status reports at the control plane at once; more wait, one per stream. */
        public Context controlStatusMaxInFlight(final int value) { this.controlStatusMaxInFlight = value; return this; }
        public int controlStatusMaxInFlight() { return controlStatusMaxInFlight; }
        /** The most streams with a status report waiting; past that the oldest waiting report is dropped. */
        public Context controlStatusMaxQueued(final int value) { this.controlStatusMaxQueued = value; return this; }
        public int controlStatusMaxQueued() { return controlStatusMaxQueued; }
        /** The longest a stream-key check waits in line before it is refused (fail closed), milliseconds. */
        public Context controlQueueTimeoutMs(final long value) { this.controlQueueTimeoutMs = value; return this; }
        public long controlQueueTimeoutMs() { return controlQueueTimeoutMs; }
        /** Where recordings go ({@code recordings/{stream_id}/{epochMillis}.flv}). */
        public Context dataDir(final Path dataDir) { this.dataDir = dataDir; return this; }
        public Path dataDir() { return dataDir; }
        /**
         * Whether every publish is recorded as FLV (the default); off, the ingest is live only (nginx-rtmp's
         * {@code record off}): no file, no writer thread, no recording meters; the recording-* settings are still
         * checked, so a bad value is caught before recording is turned back on.
         */
        public Context recording(final boolean recording) { this.recording = recording; return this; }
        public boolean recording() { return recording; }
        /** The largest recording file, bytes; the recording stops there, the stream goes on. */
        public Context recordingMaxBytes(final long value) { this.recordingMaxBytes = value; return this; }
        public long recordingMaxBytes() { return recordingMaxBytes; }
        /**
         * The most bytes all recordings together may queue for the disk before publishers are paused (direct memory);
         * 0 (the default) means a quarter of the JVM's direct memory limit, at most 256 MiB; otherwise at least 1 MiB.
         */
        public Context recordingBufferBytes(final long value) { this.recordingBufferBytes = value; return this; }
        public long recordingBufferBytes() { return recordingBufferBytes; }
        /** Input bounds of the RTMP listeners (and the largest tag from the SRT bridge). */
        public Context rtmpLimits(final RtmpLimits limits) { this.rtmpLimits = limits; return this; }
        public RtmpLimits rtmpLimits() { return rtmpLimits; }
        /** Another sink every stream gets besides the recorder (the live packager, issue #6). */
        public Context addSinkFactory(final MediaSinkFactory factory) { extraSinkFactories.add(factory); return this; }
        public List<MediaSinkFactory> extraSinkFactories() { return List.copyOf(extraSinkFactories); }
        public Context meterRegistry(final MeterRegistry registry)
        {
            this.meterRegistry = registry;
            return this;
        }
        public MeterRegistry meterRegistry() { return meterRegistry; }

        /**
         * Validate the settings and fill defaults (a simple meter registry when none is given).
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad key.
         */
        public Context conclude()
        {
            ContextValidation.requireNonBlank("ingest.bind", bindAddress);
            ContextValidation.requirePort("ingest.rtmp-port", rtmpPort);
            ContextValidation.requirePort("ingest.rtmps-port", rtmpsPort);
            ContextValidation.requirePort("ingest.srt-port", srtPort);
            if (srtEnabled && 0 == srtPort)
            {
                throw new IllegalArgumentException("ingest.srt-port must be a fixed UDP port (the ffmpeg bridge " +
                    "cannot report an ephemeral one), got 0");
            }
            if ((null == tlsCertificate) != (null == tlsPrivateKey))
            {
                throw new IllegalArgumentException("ingest.tls-cert and ingest.tls-key must be set together " +
                    "(RTMPS needs both), got cert=" + tlsCertificate + " key=" + tlsPrivateKey);
            }
            if (null != tlsCertificate && (!Files.isReadable(tlsCertificate) || !Files.isReadable(tlsPrivateKey)))
            {
                throw new IllegalArgumentException("ingest.tls-cert " + tlsCertificate + " and ingest.tls-key " +
                    tlsPrivateKey + " must be readable files");
            }
            ContextValidation.requireNonBlank("ingest.control-url", controlUrl);
            final URI control;
            try
            {
                control = URI.create(controlUrl);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("ingest.control-url is not a URL: " + controlUrl, ex);
            }
            if (!("http".equals(control.getScheme()) || "https".equals(control.getScheme())) || null == control.getHost())
            {
                throw new IllegalArgumentException("ingest.control-url must be http(s)://host:port, got " + controlUrl);
            }
            if (null != controlToken && controlToken.isBlank())
            {
                controlToken = null;
            }
            if (controlTimeoutMs < 1)
            {
                throw new IllegalArgumentException("ingest.control-timeout-ms must be >= 1, got " + controlTimeoutMs);
            }
            if (controlMaxInFlight < 1 || controlMaxQueued < 0 || controlQueueTimeoutMs < 1)
            {
                throw new IllegalArgumentException("ingest.control-max-in-flight must be >= 1, " +
                    "ingest.control-max-queued >= 0 and ingest.control-queue-timeout-ms >= 1, got " +
                    controlMaxInFlight + ", " + controlMaxQueued + ", " + controlQueueTimeoutMs);
            }
            if (controlStatusMaxInFlight < 1 || controlStatusMaxQueued < 1)
            {
                throw new IllegalArgumentException("ingest.control-status-max-in-flight and " +
                    "ingest.control-status-max-queued must be >= 1, got " + controlStatusMaxInFlight + ", " +
                    controlStatusMaxQueued);
            }
            if (srtLatencyMs < 0 || srtLatencyMs > 60_000)
            {
                throw new IllegalArgumentException("ingest.srt-latency-ms must be in [0, 60000], got " + srtLatencyMs);
            }
            ContextValidation.requireNonBlank("ingest.ffmpeg", ffmpegPath);
            ContextValidation.requireNonBlank("ingest transport", transport);
            if (null == dataDir)
            {
                throw new IllegalArgumentException("ingest.data-dir must be set");
            }
            if (recordingMaxBytes < 1024)
            {
                throw new IllegalArgumentException("ingest.recording-max-bytes must be >= 1024, got " +
                    recordingMaxBytes);
            }
            if (0 == recordingBufferBytes)
            {
                recordingBufferBytes = FlvRecordingSinkFactory.defaultBufferBytes();
            }
            if (recordingBufferBytes < 1L << 20)
            {
                throw new IllegalArgumentException("ingest.recording-buffer-bytes must be 0 (auto) or >= 1048576, " +
                    "got " + recordingBufferBytes);
            }
            if (null == rtmpLimits)
            {
                throw new IllegalArgumentException("ingest RTMP limits must be set");
            }
            if (null == meterRegistry)
            {
                meterRegistry = new SimpleMeterRegistry();
            }
            return this;
        }
    }
}
