package io.bifrost.ingest;

import io.bifrost.ingest.rtmp.RtmpServer;
import io.bifrost.ingest.srt.SrtBridge;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.node.RunningRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Deque;

/**
 * The launched ingest role. {@link #close()} stops the listeners in reverse order of start (SRT, RTMPS, RTMP:
 * live streams end with {@code SERVER_CLOSED} and are reported offline), then the recorder (queued tags are
 * written, files closed), then the control plane client (in-flight reports finish within its timeout).
 * Thread-safe.
 */
public final class RunningIngest implements RunningRole
{
    private static final Logger LOG = LoggerFactory.getLogger(RunningIngest.class);

    private final RtmpServer rtmp;
    private final RtmpServer rtmps;
    private final SrtBridge srt;
    private final Deque<AutoCloseable> resources;
    private volatile boolean closed;

    RunningIngest(final RtmpServer rtmp, final RtmpServer rtmps, final SrtBridge srt,
        final Deque<AutoCloseable> resources)
    {
        this.rtmp = rtmp;
        this.rtmps = rtmps;
        this.srt = srt;
        this.resources = resources;
    }

    @Override
    public String roleName()
    {
        return IngestNode.ROLE;
    }

    @Override
    public Readiness readiness()
    {
        if (closed)
        {
            return Readiness.notReady("ingest is shutting down");
        }
        final String srtFailure = null == srt || srt.isListening() ? null : srt.failure();
        // RTMP takes publishers whatever SRT does; a broken SRT bridge is reported, not fatal
        return null == srtFailure ? Readiness.up() : new Readiness(true, "ready; srt down: " + srtFailure);
    }

    /**
     * @return the bound RTMP port.
     */
    public int rtmpPort()
    {
        return rtmp.port();
    }

    /**
     * @return the bound RTMPS port, -1 when RTMPS is off (no certificate).
     */
    public int rtmpsPort()
    {
        return null == rtmps ? -1 : rtmps.port();
    }

    /**
     * @return the SRT bridge, null when SRT is disabled.
     */
    public SrtBridge srt()
    {
        return srt;
    }

    /**
     * @return the plain RTMP server (its metrics and live keys).
     */
    public RtmpServer rtmp()
    {
        return rtmp;
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        closeAll(resources);
        LOG.info("ingest stopped");
    }

static void closeAll(final Deque<AutoCloseable> resources)
{
    AutoCloseable resource;
    while (null != (resource = resources.poll()))
    {
        try
        {
            resource.close();
        }
        catch (final Exception ex)
        {
            LOG.warn("ingest: closing {} failed", resource, ex);
        }
    }
}
}
