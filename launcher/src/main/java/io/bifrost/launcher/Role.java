package io.bifrost.launcher;

import io.bifrost.control.ControlPlane;
import io.bifrost.control.placement.PlacementPlanner;
import io.bifrost.edge.EdgeNode;
import io.bifrost.ingest.IngestNode;
import io.bifrost.ingest.relay.OriginRelayContext;
import io.bifrost.ingest.relay.OriginRelaySinkFactory;
import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.launcher.config.Config;
import io.bifrost.launcher.config.ConfigException;
import io.bifrost.launcher.config.ConfigKeys;
import io.bifrost.launcher.config.ConfigSource;
import io.bifrost.launcher.config.SigningKeysSetting;
import io.bifrost.origin.CatalogUploads;
import io.bifrost.origin.OriginNode;
import io.bifrost.origin.RunningOrigin;
import io.bifrost.origin.live.ingest.LiveIngestContext;
import io.bifrost.origin.live.ingest.LiveIngestSinkFactory;
import io.bifrost.origin.live.ingest.LiveMode;
import io.bifrost.origin.live.relay.RelayReceiver;
import io.bifrost.origin.live.relay.RelayReceiverContext;
import io.bifrost.origin.live.replication.LiveReplicationSettings;
import io.bifrost.origin.live.transcode.LiveScaling;
import io.bifrost.origin.upload.UploadContext;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.node.RunningRole;
import io.bifrost.transcoder.TranscodeWorker;
import io.bifrost.transcoder.protection.ContentProtection;
import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The roles the launcher can run, in start order for {@code bifrost all} (control first so edges can register,
 * edge last so it starts taking viewers when the rest is up). Each builds its role's {@code Context} from the
 * effective {@link Config} and launches it.
 */
public enum Role implements RoleLauncher
{
    /** Control plane. */
    CONTROL("control-plane: edge registry, placement, steering, operator API")
    {
        @Override
        public RunningRole launch(final Config config, final RoleEnvironment environment)
        {
            return ControlPlane.launch(new ControlPlane.Context()
                .bindAddress(config.string(ConfigKeys.BIND))
                .port(config.integer(ConfigKeys.CONTROL_PORT))
                .dataDir(dataDir(config, ControlPlane.ROLE))
                .jdbcUrl(config.secret(ConfigKeys.CONTROL_JDBC_URL))
                .adminToken(config.secret(ConfigKeys.CONTROL_ADMIN_TOKEN))
                .ingestToken(config.secret(ConfigKeys.CONTROL_INGEST_TOKEN))
                .publicIngestHost(config.string(ConfigKeys.CONTROL_PUBLIC_INGEST_HOST))
                .publicPlaybackUrl(config.string(ConfigKeys.CONTROL_PUBLIC_PLAYBACK_URL))
                .originUrl(controlOriginUrl(config, environment))
                .signingKeys(SigningKeysSetting.parse(ConfigKeys.CONTROL_SIGNING_KEYS,
                    config.secret(ConfigKeys.CONTROL_SIGNING_KEYS)))
                .playbackUrlMaxTtl(Duration.ofSeconds(config.integer(ConfigKeys.CONTROL_PLAYBACK_URL_MAX_TTL_SECONDS)))
                .signingKeyBroadcastInterval(
                    Duration.ofMillis(config.integer(ConfigKeys.CONTROL_SIGNING_KEYS_INTERVAL_MS)))
                .fleetKeys(config.secret(ConfigKeys.CONTROL_FLEET_KEYS))
                .dbQueueCapacity(config.integer(ConfigKeys.CONTROL_DB_QUEUE_CAPACITY))
                .aeronEnabled(true)
                .aeronDirectory(aeronDirectory(config))
                .aeronExternal(config.bool(ConfigKeys.AERON_EXTERNAL))
                .edgeEndpoint(controlEndpoint(config, 0))
                .placementEndpoint(controlEndpoint(config, 1))
                .heartbeatTimeout(Duration.ofMillis(config.integer(ConfigKeys.CONTROL_HEARTBEAT_TIMEOUT_MS)))
                .placement(new PlacementPlanner.Context()
                    .policy(config.string(ConfigKeys.CONTROL_PLACEMENT_POLICY))
                    .intervalMs(config.integer(ConfigKeys.CONTROL_PLACEMENT_INTERVAL_MS)))
                .transport(environment.transport())
                .meterRegistry(environment.registry())
                .metricsText(environment.metricsText()));
        }
    },
    /** Origin. */
    ORIGIN("origin: uploads, packaging, HLS/LL-HLS/DASH, the HTTP API edges fill from")
    {
        @Override
        public RunningRole launch(final Config config, final RoleEnvironment environment)
        {
            final Path dataDir = dataDir(config, OriginNode.ROLE);
            final Path ffprobe = config.path(ConfigKeys.ORIGIN_FFPROBE);
            final String publicBaseUrl = config.optionalString(ConfigKeys.ORIGIN_PUBLIC_BASE_URL);
            final UploadContext uploads = new UploadContext()
                .dataDir(dataDir)
                .maxUploadBytes(config.bytes(ConfigKeys.ORIGIN_MAX_UPLOAD_BYTES))
                .ffprobe(ffprobe)
                .publicUrl(publicBaseUrl)
                .meterRegistry(environment.registry());
            final RunningOrigin origin = OriginNode.launch(new OriginNode.Context()
                .bindAddress(config.string(ConfigKeys.BIND))
                .port(config.integer(ConfigKeys.ORIGIN_PORT))
                .tlsPort(config.integer(ConfigKeys.ORIGIN_TLS_PORT))
                .tlsCertificate(config.optionalPath(ConfigKeys.ORIGIN_TLS_CERT))
                .tlsPrivateKey(config.optionalPath(ConfigKeys.ORIGIN_TLS_KEY))
                .fleetKeys(originFleetKeys(config, environment))
                .dataDir(dataDir)
                .transcodeWorkers(config.integer(ConfigKeys.ORIGIN_TRANSCODE_WORKERS))
                .transcodeBackend(originTranscodeBackend(config))
                .segmentSeconds(config.integer(ConfigKeys.ORIGIN_SEGMENT_SECONDS))
                .x264Preset(config.string(ConfigKeys.ORIGIN_X264_PRESET))
                .publicBaseUrl(publicBaseUrl)
                .defaultProtection(ContentProtection.parse(config.string(ConfigKeys.ORIGIN_DEFAULT_PROTECTION)))
                .ffmpeg(config.path(ConfigKeys.ORIGIN_FFMPEG))
                .ffprobe(ffprobe)
                .transport(environment.transport())
                .meterRegistry(environment.registry())
                .metricsText(environment.metricsText())
                .uploads(CatalogUploads.hook(uploads))
                .livePartTargetMs(config.integer(ConfigKeys.ORIGIN_LIVE_PART_MS))
                .liveSegmentTargetMs(config.integer(ConfigKeys.ORIGIN_LIVE_SEGMENT_SECONDS) * 1000)
                .liveWindowSegments(config.integer(ConfigKeys.ORIGIN_LIVE_WINDOW_SEGMENTS))
                .liveRecord(config.bool(ConfigKeys.ORIGIN_LIVE_RECORD))
                .liveChunkedMaxQueuedBytes(config.integer(ConfigKeys.ORIGIN_LIVE_CHUNKED_MAX_QUEUED_BYTES))
                .liveReplication(liveReplication(config, environment)));
            final LiveIngestSinkFactory liveIngest;
            LiveScaling liveScaling = null;
            try
            {
                liveScaling = LiveScaling.open(originLiveScaling(config), origin.transcodeBackend(),
                    environment.registry());
                liveIngest = new LiveIngestSinkFactory(new LiveIngestContext()
                    .liveStreams(origin.live())
                    .defaultMode(LiveMode.parse(config.string(ConfigKeys.ORIGIN_LIVE_MODE)))
                    .ffmpeg(config.path(ConfigKeys.ORIGIN_FFMPEG))
                    .x264Preset(config.string(ConfigKeys.ORIGIN_LIVE_X264_PRESET))
                    .partTargetMs(config.integer(ConfigKeys.ORIGIN_LIVE_PART_MS))
                    .segmentSeconds(config.integer(ConfigKeys.ORIGIN_LIVE_SEGMENT_SECONDS))
                    .keyframeSeconds(config.integer(ConfigKeys.ORIGIN_LIVE_KEYFRAME_MS) / 1000.0)
                    .workDir(dataDir.resolve("live"))
                    .scaling(liveScaling)
                    .meterRegistry(environment.registry()));
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.quietCloseAll(liveScaling, origin);
                throw ex;
            }
            // The ingest role of this process (bifrost all) feeds published streams into this origin's packager.
            environment.services().publish(MediaSinkFactory.class, liveIngest);
            final String relaySecret = config.secret(ConfigKeys.ORIGIN_RELAY_SECRET);
            if (relaySecret == null || relaySecret.isBlank())
            {
                return new RoleWithParts(origin, liveIngest);
            }
            final RelayReceiver relay;
            try
            {
                relay = RelayReceiver.start(new RelayReceiverContext()
                    .bindAddress(config.string(ConfigKeys.BIND))
                    .port(config.integer(ConfigKeys.ORIGIN_RELAY_PORT))
                    .secret(relaySecret)
                    .tlsCertificate(config.optionalPath(ConfigKeys.ORIGIN_RELAY_TLS_CERT))
                    .tlsPrivateKey(config.optionalPath(ConfigKeys.ORIGIN_RELAY_TLS_KEY))
                    .transport(environment.transport().label())
                    .sinkFactory(liveIngest)
                    .meterRegistry(environment.registry()));
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.quietCloseAll(liveIngest, origin);
                throw ex;
            }
            return new RoleWithParts(origin, liveIngest, relay);
        }
    },
    /** Live ingest. */
    INGEST("ingest: RTMP/RTMPS/SRT listeners for OBS and ffmpeg")
    {
        @Override
        public RunningRole launch(final Config config, final RoleEnvironment environment)
        {
            final IngestNode.Context context = new IngestNode.Context()
                .bindAddress(config.string(ConfigKeys.BIND))
                .rtmpPort(config.integer(ConfigKeys.INGEST_RTMP_PORT))
                .rtmpsPort(config.integer(ConfigKeys.INGEST_RTMPS_PORT))
                .srtPort(config.integer(ConfigKeys.INGEST_SRT_PORT))
                .srtEnabled(config.bool(ConfigKeys.INGEST_SRT_ENABLED))
                .srtLatencyMs(config.integer(ConfigKeys.INGEST_SRT_LATENCY_MS))
                .ffmpegPath(config.string(ConfigKeys.INGEST_FFMPEG))
                .tlsCertificate(config.optionalPath(ConfigKeys.INGEST_TLS_CERT))
                .tlsPrivateKey(config.optionalPath(ConfigKeys.INGEST_TLS_KEY))
                .controlUrl(config.string(ConfigKeys.INGEST_CONTROL_URL))
                .controlToken(config.secret(ConfigKeys.INGEST_CONTROL_TOKEN))
                .controlTimeoutMs(config.integer(ConfigKeys.INGEST_CONTROL_TIMEOUT_MS))
                .controlMaxInFlight(config.integer(ConfigKeys.INGEST_CONTROL_MAX_IN_FLIGHT))
                .controlMaxQueued(config.integer(ConfigKeys.INGEST_CONTROL_MAX_QUEUED))
                .controlQueueTimeoutMs(config.integer(ConfigKeys.INGEST_CONTROL_QUEUE_TIMEOUT_MS))
                .controlStatusMaxInFlight(config.integer(ConfigKeys.INGEST_CONTROL_STATUS_MAX_IN_FLIGHT))
                .controlStatusMaxQueued(config.integer(ConfigKeys.INGEST_CONTROL_STATUS_MAX_QUEUED))
                .recording(config.bool(ConfigKeys.INGEST_RECORDING))
                .recordingMaxBytes(config.bytes(ConfigKeys.INGEST_RECORDING_MAX_BYTES))
                .recordingBufferBytes(config.bytes(ConfigKeys.INGEST_RECORDING_BUFFER_BYTES))
                .dataDir(dataDir(config, IngestNode.ROLE))
                .transport(environment.transport().label())
                .meterRegistry(environment.registry());
            final String originUrl = config.optionalString(ConfigKeys.INGEST_ORIGIN_URL).strip();
            if (!originUrl.isEmpty())
            {
                final OriginRelaySinkFactory relay = new OriginRelaySinkFactory(new OriginRelayContext()
                    .originUrl(URI.create(originUrl))
                    .secret(config.secret(ConfigKeys.INGEST_RELAY_SECRET))
                    .caFile(config.optionalPath(ConfigKeys.INGEST_RELAY_CA_FILE))
                    .reconnectTimeout(Duration.ofMillis(config.integer(ConfigKeys.INGEST_RELAY_RECONNECT_TIMEOUT_MS)))
                    .highWaterBytes(Math.toIntExact(config.bytes(ConfigKeys.INGEST_RELAY_BUFFER_BYTES)))
                    .transport(environment.transport().label())
                    .meterRegistry(environment.registry()));
                context.addSinkFactory(relay);
                try
                {
                    return new RoleWithParts(IngestNode.launch(context), relay);
                }
                catch (final RuntimeException ex)
                {
                    CloseHelper.quietClose(relay);
                    throw ex;
                }
            }
            final MediaSinkFactory live = environment.services().find(MediaSinkFactory.class);
            if (live != null)
            {
                context.addSinkFactory(live);
            }
            else
            {
                LOG.warn("ingest runs without an origin: published streams are recorded and reported to the control "
                    + "plane but not packaged for viewers; set ingest.origin-url (and the relay secret) to feed an "
                    + "origin on another host, or run ingest and origin together (bifrost all)");
            }
            return IngestNode.launch(context);
        }
    },
    /** VOD transcode worker. */
    TRANSCODE("transcode: standalone VOD worker for separate hosts (not built; the origin transcodes in-process, "
        + "origin.transcode-workers)")
    {
        @Override
        public RunningRole launch(final Config config, final RoleEnvironment environment)
        {
            return TranscodeWorker.launch(new TranscodeWorker.Context()
                .backend(TranscodeWorker.Backend.parse(config.string(ConfigKeys.TRANSCODE_BACKEND)))
                .workers(config.integer(ConfigKeys.TRANSCODE_WORKERS))
                .dataDir(dataDir(config, TranscodeWorker.ROLE)));
        }
    },
    /** Edge cache. */
    EDGE("edge: serves viewers from RAM and SSD tiers, fills from the origin")
    {
        @Override
        public RunningRole launch(final Config config, final RoleEnvironment environment)
        {
            return EdgeNode.launch(new EdgeNode.Context()
                .bindAddress(config.string(ConfigKeys.BIND))
                .port(config.integer(ConfigKeys.EDGE_PORT))
                .tlsPort(config.integer(ConfigKeys.EDGE_TLS_PORT))
                .tlsCertificate(config.optionalPath(ConfigKeys.EDGE_TLS_CERT))
                .tlsPrivateKey(config.optionalPath(ConfigKeys.EDGE_TLS_KEY))
                .origins(edgeOrigins(config, environment))
                .maxFillHops(config.integer(ConfigKeys.EDGE_FILL_MAX_HOPS))
                .region(config.string(ConfigKeys.EDGE_REGION))
                .liveChannel(edgeLiveChannel(config, environment))
                .edgeId(config.optionalString(ConfigKeys.EDGE_ID))
                .publicUrl(config.optionalString(ConfigKeys.EDGE_PUBLIC_URL))
                .controlEndpoint(edgeControl(config, environment))
                .liveBytes(config.bytes(ConfigKeys.EDGE_LIVE_BYTES))
                .aeronDirectory(aeronDirectory(config))
                .aeronExternal(config.bool(ConfigKeys.AERON_EXTERNAL))
                .ramBytes(config.bytes(ConfigKeys.EDGE_RAM_BYTES))
                .ssdBytes(config.bytes(ConfigKeys.EDGE_SSD_BYTES))
                .ssdCachePolicy(config.string(ConfigKeys.EDGE_SSD_CACHE_POLICY))
                .ramHitPath(config.string(ConfigKeys.EDGE_RAM_HIT_PATH))
                .cachePolicy(config.string(ConfigKeys.EDGE_CACHE_POLICY))
                .ioThreads(config.integer(ConfigKeys.EDGE_IO_THREADS))
                .ioUringRingSize(config.integer(ConfigKeys.EDGE_IO_URING_RING_SIZE))
                .ioUringCqSize(config.integer(ConfigKeys.EDGE_IO_URING_CQ_SIZE))
                .liveEncodedAnswers(config.bool(ConfigKeys.EDGE_LIVE_ENCODED_ANSWERS))
                .liveWakeChunk(config.integer(ConfigKeys.EDGE_LIVE_WAKE_CHUNK))
                .signedPrefixes(config.strings(ConfigKeys.EDGE_SIGNED_PREFIXES))
                .signingKeys(SigningKeysSetting.parse(ConfigKeys.EDGE_SIGNING_KEYS,
                    config.secret(ConfigKeys.EDGE_SIGNING_KEYS)))
                .fleetKeys(edgeFleetKeys(config, environment))
                .playerHlsJsDir(config.optionalPath(ConfigKeys.EDGE_PLAYER_HLSJS_DIR))
                .dataDir(dataDir(config, EdgeNode.ROLE))
                .transport(environment.transport())
                .meterRegistry(environment.registry())
                .metricsText(environment.metricsText()));
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger(Role.class);
    private static final String AUTO = "auto";
    private static final String NONE = "none";

    private final String summary;

    Role(final String summary)
    {
        this.summary = summary;
    }

    @Override
    public abstract RunningRole launch(Config config, RoleEnvironment environment);

    /**
     * @return the roles {@code bifrost all} runs, in start order: every role except the standalone transcode worker,
     *         whose work the origin does in-process in a single-host setup.
     */
    public static List<Role> inAll()
    {
        return Arrays.stream(values()).filter(role -> role != TRANSCODE).toList();
    }

    @Override
    public String commandName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @return one line for help texts.
     */
    public String summary()
    {
        return summary;
    }

    /**
     * @param config the process's settings.
     * @return {@code origin.transcode-backend}, parsed.
     * @throws IllegalArgumentException naming the key and the accepted values.
     */
    static TranscodeWorker.Backend originTranscodeBackend(final Config config)
    {
        return TranscodeWorker.Backend.parse(ConfigKeys.ORIGIN_TRANSCODE_BACKEND.name(),
            config.string(ConfigKeys.ORIGIN_TRANSCODE_BACKEND));
    }

    /**
     * @param config the process's settings.
     * @return {@code origin.live-scaling}, parsed.
     * @throws IllegalArgumentException naming the key and the accepted values.
     */
    static LiveScaling.Mode originLiveScaling(final Config config)
    {
        return LiveScaling.Mode.parse(config.string(ConfigKeys.ORIGIN_LIVE_SCALING));
    }

    /**
     * The origin's live publication: IPC when an edge shares the process, UDP multi-destination-cast otherwise, or
     * none.
     */
    static LiveReplicationSettings liveReplication(final Config config, final RoleEnvironment environment)
    {
        final String channel = config.string(ConfigKeys.ORIGIN_LIVE_CHANNEL).strip();
        final String resolved = switch (channel)
        {
            case NONE -> null;
            case AUTO -> environment.runsInProcess(EDGE) ? AeronChannels.LIVE_IPC_PUBLICATION_CHANNEL :
                AeronChannels.livePublicationChannel(config.string(ConfigKeys.ORIGIN_LIVE_HOST),
                    AeronChannels.LIVE_CONTROL_PORT);
            default -> channel;
        };
        return resolved == null ? null : new LiveReplicationSettings(resolved, aeronDirectory(config),
            config.bool(ConfigKeys.AERON_EXTERNAL));
    }

    /**
     * The edge's live subscription: IPC when the origin shares the process, else UDP to the first origin's host, or
     * none (null: live through HTTP fills only).
     */
    static String edgeLiveChannel(final Config config, final RoleEnvironment environment)
    {
        final List<URI> origins = edgeOrigins(config, environment);
        final String channel = config.string(ConfigKeys.EDGE_LIVE_CHANNEL).strip();
        return switch (channel)
        {
            case NONE -> null;
            case AUTO -> environment.runsInProcess(ORIGIN) ? AeronChannels.IPC_CHANNEL :
                AeronChannels.liveSubscriptionChannel(config.string(ConfigKeys.BIND), AeronChannels.LIVE_DATA_PORT,
                    origins.get(0).getHost(), AeronChannels.LIVE_CONTROL_PORT);
            default -> channel;
        };
    }

    /**
     * The origin whose catalog dates VOD titles for placement: {@code control.origin-url}, or in {@code bifrost all}
     * with it unset, the origin of this process; else none (titles age from their first sighting).
     */
    static String controlOriginUrl(final Config config, final RoleEnvironment environment)
    {
        final String configured = config.optionalString(ConfigKeys.CONTROL_ORIGIN_URL).strip();
        if (!configured.isEmpty() || !environment.runsInProcess(ORIGIN))
        {
            return configured;
        }
        final String bind = config.string(ConfigKeys.BIND);
        final String host = "0.0.0.0".equals(bind) || "::".equals(bind) ? "127.0.0.1" : bind;
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + config.integer(ConfigKeys.ORIGIN_PORT);
    }

    /**
     * The origins an edge fills from; in {@code bifrost all} with {@code edge.origin} left at its default, the origin of
     * this process at its configured port (so {@code --origin.port} alone moves both).
     */
    static List<URI> edgeOrigins(final Config config, final RoleEnvironment environment)
    {
        if (config.setting(ConfigKeys.EDGE_ORIGIN).source() == ConfigSource.DEFAULT && environment.runsInProcess(ORIGIN))
        {
            final String bind = config.string(ConfigKeys.BIND);
            final String host = "0.0.0.0".equals(bind) || "::".equals(bind) ? "127.0.0.1" : bind;
            return List.of(URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" +
                config.integer(ConfigKeys.ORIGIN_PORT)));
        }
        return config.urls(ConfigKeys.EDGE_ORIGIN);
    }

    /**
     * The keys the origin signs live replication with: {@code origin.fleet-keys}, or in {@code bifrost all} with it
     * unset, the control plane's {@code control.fleet-keys} (one process, one fleet; as the edge's).
     */
    static String originFleetKeys(final Config config, final RoleEnvironment environment)
    {
        final String own = config.secret(ConfigKeys.ORIGIN_FLEET_KEYS);
        return (own == null || own.isBlank()) && environment.runsInProcess(CONTROL) ?
            config.secret(ConfigKeys.CONTROL_FLEET_KEYS) : own;
    }

    /**
     * The keys the edge authenticates control messages with: {@code edge.fleet-keys}, or in {@code bifrost all} with it
     * unset, the control plane's {@code control.fleet-keys} (one process, one fleet).
     */
    static String edgeFleetKeys(final Config config, final RoleEnvironment environment)
    {
        final String own = config.secret(ConfigKeys.EDGE_FLEET_KEYS);
        return (own == null || own.isBlank()) && environment.runsInProcess(CONTROL) ?
            config.secret(ConfigKeys.CONTROL_FLEET_KEYS) : own;
    }

    /**
     * The control plane's UDP endpoints for edges on other hosts: {@code control.edge-endpoint} ({@code auto} = the bind
     * address and 40458), the placement endpoint on the next port; null for {@code none} (in-process edges only).
     */
    static String controlEndpoint(final Config config, final int portOffset)
    {
        final String configured = config.string(ConfigKeys.CONTROL_EDGE_ENDPOINT).strip();
        if (NONE.equals(configured))
        {
            return null;
        }
        final String endpoint = AUTO.equals(configured) ?
            AeronChannels.endpoint(config.string(ConfigKeys.BIND), AeronChannels.CONTROL_PLANE_PORT) : configured;
        final int colon = endpoint.lastIndexOf(':');
        if (colon < 0)
        {
            throw new ConfigException("control.edge-endpoint must be host:port, got '" + endpoint + "'");
        }
        final int port;
        try
        {
            port = Integer.parseInt(endpoint.substring(colon + 1)) + portOffset;
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException("control.edge-endpoint must be host:port, got '" + endpoint + "'");
        }
        return endpoint.substring(0, colon + 1) + port;
    }

    /** The edge's control plane: IPC when it shares the process, else what edge.control says. */
    static String edgeControl(final Config config, final RoleEnvironment environment)
    {
        final String configured = config.string(ConfigKeys.EDGE_CONTROL).strip();
        return switch (configured)
        {
            case NONE -> null;
            case AUTO -> environment.runsInProcess(CONTROL) ? "ipc" : null;
            default -> configured;
        };
    }

    private static Path aeronDirectory(final Config config)
    {
        final Path configured = config.optionalPath(ConfigKeys.AERON_DIR);
        return configured == null ? EmbeddedAeron.defaultDirectory() : configured;
    }

    private static Path dataDir(final Config config, final String role)
    {
        return config.path(ConfigKeys.DATA_DIR).resolve(role);
    }
}
