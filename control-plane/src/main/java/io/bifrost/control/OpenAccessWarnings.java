package io.bifrost.control;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator is told at start when part of the control plane is open: an API without its bearer token answers
 * loopback callers only (a WARN says how to open it), and edge messages without fleet keys are not authenticated (a WARN
 * says what anyone on the network could do; with keys, an INFO names them masked).
 *
 * <p>Stateless; called once per start on the launching thread. Logged under the role's logger ({@link ControlPlane}).
 */
final class OpenAccessWarnings
{
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    private OpenAccessWarnings()
    {
    }

    /**
     * @param context concluded settings.
     */
    static void log(final ControlPlane.Context context)
    {
        if (context.adminToken() == null)
        {
            LOG.warn("control.admin-token is not set: the operator API (/api/v1/streams...) answers only callers on " +
                "this host (loopback); set it to manage streams remotely");
        }
        if (context.ingestToken() == null)
        {
            LOG.warn("control.ingest-token is not set: the internal ingest API answers only ingest nodes on this host " +
                "(loopback); set it (and the ingest nodes' ingest.control-token) for ingest on other hosts");
        }
        if (context.aeronEnabled() && !context.fleetKeyRing().enabled())
        {
            LOG.warn("control.fleet-keys is not set: edge heartbeats, telemetry and placement commands are not " +
                "authenticated, so UDP {} and {} must stay on a private network (anyone who reaches them can register " +
                "an edge, poison telemetry or order prefetches)", context.edgeEndpoint(), context.placementEndpoint());
        }
        else if (context.aeronEnabled())
        {
            LOG.info("edge messages are authenticated (control.fleet-keys {}; signing with {})",
                context.fleetKeyRing().masked(), context.fleetKeyRing().keyIds().get(0));
        }
    }
}
