package io.bifrost.origin.live;

import io.bifrost.origin.http.ApiRouter;
import io.bifrost.origin.http.OriginHttpServer;
import io.bifrost.origin.store.OriginStore;
import io.bifrost.protocol.node.NettyTransport;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Test fixture: the origin's live HTTP path on loopback, as the low-latency DASH tests use it. A {@link LivePackager}
 * with 1 s segments (parts of the default 1/3 s), its metrics in a {@link SimpleMeterRegistry}, and the origin's real
 * Netty server on an ephemeral port answering from it through a {@link LiveResponder}. Close it after each test.
 */
final class LiveOriginServer implements AutoCloseable
{
    /** The stream every test publishes. */
    static final String STREAM_ID = "cam1";
    /** Its one video rendition. */
    static final String RENDITION = "360p";

    private final SimpleMeterRegistry registry;
    private final LivePackager packager;
    private final OriginStore store;
    private final OriginHttpServer server;

    private LiveOriginServer(final SimpleMeterRegistry registry, final LivePackager packager, final OriginStore store,
        final OriginHttpServer server)
    {
        this.registry = registry;
        this.packager = packager;
        this.store = store;
        this.server = server;
    }

    /**
     * @param dataDir               the origin store's folder (a test's temporary folder).
     * @param chunkedMaxQueuedBytes the slow-viewer bound of the {@link LiveResponder}.
     * @param clock                 the packager's wall clock.
     * @return a started server.
     */
    static LiveOriginServer start(final Path dataDir, final long chunkedMaxQueuedBytes, final Clock clock)
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final LivePackager packager = new LivePackager(new LivePackager.Context().segmentTargetMs(1000).clock(clock)
            .meterRegistry(registry));
        final OriginStore store = OriginStore.open(dataDir.resolve("db"));
        try
        {
            final LiveResponder live = new LiveResponder(packager, chunkedMaxQueuedBytes);
            final OriginHttpServer server = OriginHttpServer.start(new OriginHttpServer.Settings("127.0.0.1", 0,
                NettyTransport.select("auto"), 1, 2, 1024, 30, null, live), store, new ApiRouter(), Readiness::up,
                () -> "", registry);
            return new LiveOriginServer(registry, packager, store, server);
        }
        catch (final RuntimeException ex)
        {
            store.close();
            throw ex;
        }
    }

    /** As {@link #start(Path, long, Clock)} with the default slow-viewer bound and the system clock. */
    static LiveOriginServer start(final Path dataDir)
    {
        return start(dataDir, LiveResponder.DEFAULT_CHUNKED_MAX_QUEUED_BYTES, Clock.systemUTC());
    }

    /** @return a new session of {@link #STREAM_ID} with its one video rendition, replacing any before it. */
    LiveSession open()
    {
        return packager.open(STREAM_ID, List.of(new LiveTrack(RENDITION, TrackKind.VIDEO, 800_000, 320, 180, 30)));
    }

    LivePackager packager()
    {
        return packager;
    }

    SimpleMeterRegistry registry()
    {
        return registry;
    }

    int port()
    {
        return server.port();
    }

    /** @return {@code bifrost.live.chunked{result}}. */
    double chunked(final String result)
    {
        return registry.get("bifrost.live.chunked").tag("result", result).counter().count();
    }

    @Override
    public void close()
    {
        server.close();
        store.close();
    }
}
