package io.bifrost.edge.live;

import io.bifrost.edge.fill.FillCoalescer;
import io.bifrost.edge.fill.FillFailure;
import io.bifrost.edge.fill.FillHead;
import io.bifrost.edge.fill.FillListener;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentScope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * HTTP catch-up for an edge that joined late or missed parts (DESIGN.md section 2: "An edge that joins late or loses
 * its Aeron image catches up from the origin over HTTP, then follows Aeron again"): fetch the rendition's media
 * playlist from the origin, then every part it lists that the {@link LiveWindowStore} lacks, through the edge's own
 * {@link FillCoalescer} (so a viewer asking for the same part at the same time shares the fetch), and store them.
 * Parts keep arriving over Aeron meanwhile; the store keeps whichever copy comes first.
 *
 * <p>One catch-up per rendition at a time; a gap seen while one runs schedules one more run after it. The steps run
 * on one thread of their own, never inside an origin response's callback (a fetch started there could wait on the very
 * connection that is still delivering that response). Meters:
 * {@code bifrost.edge.live.catchups{result=started|parts|failed}}. Thread-safe.
 */
public final class LiveCatchUp implements LiveWindowStore.CatchUp, AutoCloseable
{
    private final LiveWindowStore store;
    private final FillCoalescer coalescer;
    private final ByteBufAllocator allocator;
    private final ConcurrentHashMap<String, Boolean> running = new ConcurrentHashMap<>();
    private final ExecutorService steps = Executors.newSingleThreadExecutor(r ->
    {
        final Thread thread = new Thread(r, "bifrost-edge-live-catchup");
        thread.setDaemon(true);
        return thread;
    });
    private final Counter started;
    private final Counter fetchedParts;
    private final Counter failed;

    /**
     * @param store     where fetched parts go.
     * @param coalescer the edge's origin fill path.
     * @param allocator where fetched bytes are gathered (pooled direct in production).
     * @param registry  where the meters go.
     */
    public LiveCatchUp(
        final LiveWindowStore store,
        final FillCoalescer coalescer,
        final ByteBufAllocator allocator,
        final MeterRegistry registry)
    {
        this.store = store;
        this.coalescer = coalescer;
        this.allocator = allocator;
        this.started = counter(registry, "started");
        this.fetchedParts = counter(registry, "parts");
        this.failed = counter(registry, "failed");
    }

    private static Counter counter(final MeterRegistry registry, final String result)
    {
        return Counter.builder("bifrost.edge.live.catchups")
            .description("HTTP catch-ups from the origin after a gap in the live stream").tag("result", result)
            .register(registry);
    }

    @Override
    public void request(final String streamId, final String rendition, final long epoch)
    {
        final String name = streamId + '/' + rendition;
        final Boolean previous = running.putIfAbsent(name, Boolean.FALSE);
        if (previous != null)
        {
            running.replace(name, Boolean.FALSE, Boolean.TRUE);
            return;
        }
        run(name, streamId, rendition, epoch);
    }

    @Override
    public void close()
    {
        steps.shutdownNow();
    }

    private void run(final String name, final String streamId, final String rendition, final long epoch)
    {
        started.increment();
        fetch(ContentKey.mediaPlaylist(ContentScope.LIVE, streamId, rendition), body ->
        {
            final List<PlaylistParts.Part> parts;
            try
            {
                parts = PlaylistParts.parse(streamId, rendition, body.toString(StandardCharsets.UTF_8));
            }
            finally
            {
                body.release();
            }
            for (final PlaylistParts.Part part : parts)
            {
                if (part.epoch() == epoch && !store.hasPart(streamId, rendition, epoch, part.msn(), part.part()))
                {
                    fetch(ContentKey.livePart(streamId, rendition, epoch, part.msn(), part.part()), bytes ->
                    {
                        if (store.storeFetchedPart(streamId, rendition, epoch, part.msn(), part.part(), part.flags(), bytes))
                        {
                            fetchedParts.increment();
                        }
                    });
                }
            }
            finished(name, streamId, rendition, epoch);
        }, () -> finished(name, streamId, rendition, epoch));
    }

    private void finished(final String name, final String streamId, final String rendition, final long epoch)
    {
        if (running.remove(name, Boolean.FALSE))
        {
            return;
        }
        running.put(name, Boolean.FALSE);
        run(name, streamId, rendition, epoch);
    }

    private void fetch(final ContentKey key, final Consumer<ByteBuf> onBody)
    {
        fetch(key, onBody, () -> { });
    }

    private void fetch(final ContentKey key, final Consumer<ByteBuf> onBody, final Runnable onFailure)
    {
        final Runnable failure = () ->
        {
            failed.increment();
            onFailure.run();
        };
        try
        {
            steps.execute(() -> coalescer.request(key, new Gather(allocator, body -> step(() -> onBody.accept(body),
                body::release), () -> step(failure, () -> { }))));
        }
        catch (final RejectedExecutionException closed)
        {
            running.clear();
        }
    }

    private void step(final Runnable step, final Runnable onRejected)
    {
        try
        {
            steps.execute(step);
        }
        catch (final RejectedExecutionException closed)
        {
            onRejected.run();
        }
    }

    /**
     * Gathers one origin response body; hands it over on success (200), else reports failure.
     */
    private static final class Gather implements FillListener
    {
        private final CompositeByteBuf body;
        private final Consumer<ByteBuf> onBody;
        private final Runnable onFailure;
        private boolean ok;

        Gather(final ByteBufAllocator allocator, final Consumer<ByteBuf> onBody, final Runnable onFailure)
        {
            this.body = allocator.compositeDirectBuffer(Integer.MAX_VALUE);
            this.onBody = onBody;
            this.onFailure = onFailure;
        }

        @Override
        public void onHead(final FillHead head)
        {
            ok = head.status() == 200;
        }

        @Override
        public void onContent(final ByteBuf chunk)
        {
            if (ok)
            {
                body.addComponent(true, chunk.retainedSlice());
            }
        }

        @Override
        public void onComplete()
        {
            if (ok)
            {
                onBody.accept(body);
            }
            else
            {
                body.release();
                onFailure.run();
            }
        }

        @Override
        public void onError(final FillFailure failure)
        {
            body.release();
            onFailure.run();
        }
    }
}
