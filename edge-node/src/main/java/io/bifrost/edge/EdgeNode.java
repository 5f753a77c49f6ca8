package io.bifrost.edge;

import io.bifrost.protocol.node.ContextValidation;
import io.bifrost.protocol.node.RoleNotBuiltException;
import io.bifrost.protocol.node.RunningRole;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The edge role: serves viewers from the RAM and SSD tiers and fills misses from the origin(s).
 *
 * <p>Launched through {@link #launch(Context)} by the launcher, the system tests and production alike.
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
     * @return the running edge.
     * @throws RoleNotBuiltException until the edge issue (#3) lands.
     */
    public static RunningRole launch(final Context context)
    {
        context.conclude();
        throw new RoleNotBuiltException(ROLE, "HTTP cache node serving viewers", 3);
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

        private String bindAddress = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private int tlsPort = DEFAULT_TLS_PORT;
        private List<URI> origins = List.of(DEFAULT_ORIGIN);
        private String region = "default";
        private Path dataDir = Path.of("data", ROLE);

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

        /**
         * Validate the settings.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad key.
         */
        public Context conclude()
        {
            ContextValidation.requireNonBlank("edge.bind", bindAddress);
            ContextValidation.requirePort("edge.port", port);
            ContextValidation.requirePort("edge.tls-port", tlsPort);
            ContextValidation.requireNonBlank("edge.region", region);
            if (origins.isEmpty())
            {
                throw new IllegalArgumentException("edge.origin: at least one origin URL is required, e.g. --origin http://origin:8081");
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
    }
}
