package io.bifrost.origin;

import io.bifrost.origin.catalog.VideoCatalog;
import io.bifrost.origin.catalog.VideoMetadata;
import io.bifrost.origin.catalog.VideoRecord;
import io.bifrost.origin.http.OriginHttpServer;
import io.bifrost.origin.live.LivePackager;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.node.RunningRole;
import io.bifrost.transcoder.backend.BackendSelection;
import org.agrona.CloseHelper;

import java.nio.file.Path;
import java.util.List;

/**
 * A launched origin. The upload service drives the {@link #catalog()} ({@code create}, {@code uploadCompleted},
 * {@code uploadTerminated}, {@code markFailed}); {@link #submit} is the short way to hand a finished source file over.
 * Thread-safe; {@link #close()} is idempotent and releases everything in reverse order of creation.
 */
public final class RunningOrigin implements RunningRole
{
    private final VideoCatalog catalog;
    private final LivePackager live;
    private final BackendSelection transcodeBackend;
    private final List<AutoCloseable> resources;
    private volatile OriginHttpServer server;
    private volatile Readiness readiness = Readiness.notReady("origin is starting");
    private boolean closed;

    RunningOrigin(final VideoCatalog catalog, final LivePackager live, final BackendSelection transcodeBackend,
        final List<AutoCloseable> resources)
    {
        this.catalog = catalog;
        this.live = live;
        this.transcodeBackend = transcodeBackend;
        this.resources = resources;
    }

    void serving(final OriginHttpServer server, final Readiness readiness)
    {
        this.server = server;
        this.readiness = readiness;
    }

    @Override
    public String roleName()
    {
        return OriginNode.ROLE;
    }

    @Override
    public Readiness readiness()
    {
        return readiness;
    }

    /**
     * @return the transcode backend chosen at start-up (transcode.backend) and why.
     */
    public BackendSelection transcodeBackend()
    {
        return transcodeBackend;
    }

    /**
     * @return the bound HTTP port.
     */
    public int port()
    {
        return server.port();
    }

    /**
     * @return the bound TLS port ({@code origin.tls-port}: h2 or http/1.1 by ALPN), or -1 when no certificate is set.
     */
    public int tlsPort()
    {
        return server.tlsPort();
    }

    /**
     * @return the catalog (the upload service's entry point).
     */
    public VideoCatalog catalog()
    {
        return catalog;
    }

    /**
     * @return the live packager: live producers open sessions on it ({@link io.bifrost.origin.live.LiveStreams}),
     * the Aeron publisher subscribes with {@link LivePackager#addListener}; its windows are served under
     * {@code /live/}.
     */
    public LivePackager live()
    {
        return live;
    }

    /**
     * A finished source file becomes a video: kept under {@code originals/}, marked processing, and its transcode job
     * appended (durably) before this returns.
     *
     * @param videoId  the id ({@code [A-Za-z0-9_-]{1,64}}), e.g. {@link io.bifrost.origin.catalog.VideoIds#newVideoId()}.
     * @param source   the file; moved into the origin's data directory.
     * @param metadata what the creator said about it.
     * @return the record, status {@code processing}.
     */
    public VideoRecord submit(final String videoId, final Path source, final VideoMetadata metadata)
    {
        final VideoRecord existing = catalog.find(videoId);
        if (existing == null)
        {
            catalog.create(videoId, metadata);
        }
        return catalog.uploadCompleted(videoId, source, metadata);
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        readiness = Readiness.notReady("origin is stopping");
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(resources.get(i));
        }
    }
}
