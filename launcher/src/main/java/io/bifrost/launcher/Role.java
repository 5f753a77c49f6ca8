package io.bifrost.launcher;

import io.bifrost.control.ControlPlane;
import io.bifrost.edge.EdgeNode;
import io.bifrost.ingest.IngestNode;
import io.bifrost.launcher.config.Config;
import io.bifrost.launcher.config.ConfigKeys;
import io.bifrost.launcher.config.SigningKeysSetting;
import io.bifrost.origin.OriginNode;
import io.bifrost.protocol.node.RunningRole;
import io.bifrost.transcoder.TranscodeWorker;

import java.nio.file.Path;
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
                .dataDir(dataDir(config, ControlPlane.ROLE)));
        }
    },
    /** Origin. */
    ORIGIN("origin: uploads, packaging, HLS/LL-HLS/DASH, the HTTP API edges fill from")
    {
        @Override
        public RunningRole launch(final Config config, final RoleEnvironment environment)
        {
            return OriginNode.launch(new OriginNode.Context()
                .bindAddress(config.string(ConfigKeys.BIND))
                .port(config.integer(ConfigKeys.ORIGIN_PORT))
                .dataDir(dataDir(config, OriginNode.ROLE)));
        }
    },
    /** Live ingest. */
    INGEST("ingest: RTMP/RTMPS/SRT listeners for OBS and ffmpeg")
    {
        @Override
        public RunningRole launch(final Config config, final RoleEnvironment environment)
        {
            return IngestNode.launch(new IngestNode.Context()
                .bindAddress(config.string(ConfigKeys.BIND))
                .rtmpPort(config.integer(ConfigKeys.INGEST_RTMP_PORT))
                .rtmpsPort(config.integer(ConfigKeys.INGEST_RTMPS_PORT))
                .srtPort(config.integer(ConfigKeys.INGEST_SRT_PORT)));
        }
    },
    /** VOD transcode worker. */
    TRANSCODE("transcode: worker that turns uploads into the rendition ladder")
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
                .origins(config.urls(ConfigKeys.EDGE_ORIGIN))
                .region(config.string(ConfigKeys.EDGE_REGION))
                .ramBytes(config.bytes(ConfigKeys.EDGE_RAM_BYTES))
                .cachePolicy(config.string(ConfigKeys.EDGE_CACHE_POLICY))
                .ioThreads(config.integer(ConfigKeys.EDGE_IO_THREADS))
                .signedPrefixes(config.strings(ConfigKeys.EDGE_SIGNED_PREFIXES))
                .signingKeys(SigningKeysSetting.parse(config.secret(ConfigKeys.EDGE_SIGNING_KEYS)))
                .dataDir(dataDir(config, EdgeNode.ROLE))
                .transport(environment.transport())
                .meterRegistry(environment.registry())
                .metricsText(environment.metricsText()));
        }
    };

    private final String summary;

    Role(final String summary)
    {
        this.summary = summary;
    }

    @Override
    public abstract RunningRole launch(Config config, RoleEnvironment environment);

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

    private static Path dataDir(final Config config, final String role)
    {
        return config.path(ConfigKeys.DATA_DIR).resolve(role);
    }
}
