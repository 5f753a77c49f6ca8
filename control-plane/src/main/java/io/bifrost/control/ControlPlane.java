package io.bifrost.control;

import io.bifrost.protocol.node.ContextValidation;
import io.bifrost.protocol.node.RoleNotBuiltException;
import io.bifrost.protocol.node.RunningRole;

import java.nio.file.Path;

/**
 * The control-plane role: edge registry, telemetry, placement, steering, stream and signing keys, operator API.
 */
public final class ControlPlane
{
    /** Role name on the command line. */
    public static final String ROLE = "control";

    private ControlPlane()
    {
    }

    /**
     * Start a control plane from a context.
     *
     * @param context the settings; {@link Context#conclude()} is called here.
     * @return the running control plane.
     * @throws RoleNotBuiltException until the stream registry (#5) and control-plane (#7) issues land.
     */
    public static RunningRole launch(final Context context)
    {
        context.conclude();
        throw new RoleNotBuiltException(ROLE, "registry, placement, steering and operator API", 7);
    }

    /**
     * Control-plane settings with the defaults of DESIGN.md section 3. Mutable until {@link #conclude()}.
     */
    public static final class Context
    {
        /** Default HTTP port. */
        public static final int DEFAULT_PORT = 8082;

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
            ContextValidation.requireNonBlank("control.bind", bindAddress);
            ContextValidation.requirePort("control.port", port);
            return this;
        }
    }
}
