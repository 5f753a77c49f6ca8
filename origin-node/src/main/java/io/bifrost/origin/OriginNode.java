package io.bifrost.origin;

import io.bifrost.protocol.node.ContextValidation;
import io.bifrost.protocol.node.RoleNotBuiltException;
import io.bifrost.protocol.node.RunningRole;

import java.nio.file.Path;

/**
 * The origin role: uploads, segment store, packager and the HTTP origin API that edges fill from.
 */
public final class OriginNode
{
    /** Role name on the command line. */
    public static final String ROLE = "origin";

    private OriginNode()
    {
    }

    /**
     * Start an origin from a context.
     *
     * @param context the origin settings; {@link Context#conclude()} is called here.
     * @return the running origin.
     * @throws RoleNotBuiltException until the VOD origin issue (#4) lands.
     */
    public static RunningRole launch(final Context context)
    {
        context.conclude();
        throw new RoleNotBuiltException(ROLE, "uploads, packaging and the HTTP origin API", 4);
    }

    /**
     * Origin settings with the defaults of DESIGN.md section 3. Mutable until {@link #conclude()}; not thread-safe.
     */
    public static final class Context
    {
        /** Default HTTP port. */
        public static final int DEFAULT_PORT = 8081;

        private String bindAddress = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private Path dataDir = Path.of("data", ROLE);

        public Context bindAddress(final String bindAddress) { this.bindAddress = bindAddress; return this; }
        public String bindAddress() { return bindAddress; }
        public Context port(final int port) { this.port = port; return this; }
        public int port() { return port; }
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
            ContextValidation.requireNonBlank("origin.bind", bindAddress);
            ContextValidation.requirePort("origin.port", port);
            return this;
        }
    }
}
