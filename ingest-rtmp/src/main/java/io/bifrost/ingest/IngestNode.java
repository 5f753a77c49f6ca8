package io.bifrost.ingest;

import io.bifrost.protocol.node.ContextValidation;
import io.bifrost.protocol.node.RoleNotBuiltException;
import io.bifrost.protocol.node.RunningRole;

/**
 * The ingest role: RTMP, RTMPS and SRT listeners that publishers (OBS, ffmpeg) push live streams to.
 */
public final class IngestNode
{
    /** Role name on the command line. */
    public static final String ROLE = "ingest";

    private IngestNode()
    {
    }

    /**
     * Start ingest listeners from a context.
     *
     * <p>The RTMP listener itself is built: {@link io.bifrost.ingest.rtmp.RtmpServer}. Launching it here still
     * needs (1) a {@link io.bifrost.ingest.sink.StreamKeyAuthorizer} backed by the control plane's stream-key
     * registry, (2) a {@link io.bifrost.ingest.sink.MediaSinkFactory} that feeds the live transcoder or the
     * passthrough packager, (3) the process {@code MeterRegistry}, and (4) the RTMP settings of this context mapped
     * onto {@link io.bifrost.ingest.rtmp.RtmpServer.Context} (bind address, port, limits, timeouts); the returned
     * role closes the server on {@code close()} and reports ready once it is bound.
     *
     * @param context the settings; {@link Context#conclude()} is called here.
     * @return the running ingest role.
     * @throws RoleNotBuiltException until the live ingest issue (#5) lands.
     */
    public static RunningRole launch(final Context context)
    {
        context.conclude();
        throw new RoleNotBuiltException(ROLE, "RTMP/RTMPS/SRT live ingest", 5);
    }

    /**
     * Ingest settings with the defaults of DESIGN.md section 3. Mutable until {@link #conclude()}.
     */
    public static final class Context
    {
        /** Default RTMP port. */
        public static final int DEFAULT_RTMP_PORT = 1935;
        /** Default RTMPS port (used only when a certificate is configured). */
        public static final int DEFAULT_RTMPS_PORT = 1936;
        /** Default SRT port (UDP). */
        public static final int DEFAULT_SRT_PORT = 9000;

        private String bindAddress = "0.0.0.0";
        private int rtmpPort = DEFAULT_RTMP_PORT;
        private int rtmpsPort = DEFAULT_RTMPS_PORT;
        private int srtPort = DEFAULT_SRT_PORT;

        public Context bindAddress(final String bindAddress) { this.bindAddress = bindAddress; return this; }
        public String bindAddress() { return bindAddress; }
        public Context rtmpPort(final int rtmpPort) { this.rtmpPort = rtmpPort; return this; }
        public int rtmpPort() { return rtmpPort; }
        public Context rtmpsPort(final int rtmpsPort) { this.rtmpsPort = rtmpsPort; return this; }
        public int rtmpsPort() { return rtmpsPort; }
        public Context srtPort(final int srtPort) { this.srtPort = srtPort; return this; }
        public int srtPort() { return srtPort; }

        /**
         * Validate the settings.
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
            return this;
        }
    }
}
