package io.bifrost.edge;

import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.cache.ssd.SsdTier;
import io.bifrost.edge.control.EdgeControl;
import io.bifrost.edge.http.EdgeHttpServer;
import io.bifrost.edge.live.LiveEdge;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.node.RunningRole;
import org.agrona.CloseHelper;

/**
 * A running edge ({@link EdgeNode#launch}): its bound ports (an edge launched on port 0 tells which one it got) and its
 * graceful stop, which sends a last DRAINING heartbeat, stops the server, then closes the live subscription and the
 * SSD and RAM tiers (which stay on disk, warm).
 */
public final class RunningEdge implements RunningRole
{
    private final EdgeHttpServer server;
    private final EdgeControl control;
    private final LiveEdge live;
    private final EmbeddedAeron aeron;
    private final SsdTier ssd;
    private final RamTier ram;

    RunningEdge(final EdgeHttpServer server, final EdgeControl control, final LiveEdge live, final EmbeddedAeron aeron,
        final SsdTier ssd, final RamTier ram)
    {
        this.server = server;
        this.control = control;
        this.live = live;
        this.aeron = aeron;
        this.ssd = ssd;
        this.ram = ram;
    }

    /**
     * @return the plain HTTP port the edge listens on (the bound one when it was launched with port 0).
     */
    public int port()
    {
        return server.port();
    }

    /**
     * @return the TLS port, or -1 without TLS.
     */
    public int tlsPort()
    {
        return server.tlsPort();
    }

    @Override
    public String roleName()
    {
        return EdgeNode.ROLE;
    }

    @Override
    public Readiness readiness()
    {
        return Readiness.up();
    }

    @Override
    public void close()
    {
        CloseHelper.close(control); // a last DRAINING heartbeat: steering stops before the listeners close
        server.close();
        CloseHelper.closeAll(live, aeron);
        if (ssd != null)
        {
            ssd.close();
        }
        ram.close();
    }

    @Override
    public String toString()
    {
        return "edge on port " + server.port() + (server.tlsPort() < 0 ? "" : ", TLS on port " + server.tlsPort());
    }
}
