package io.bifrost.edge.live;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.bifrost.edge.fill.FillCoalescer;
import io.bifrost.protocol.aeron.AeronChannels;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live at the edge, assembled: the {@link LiveWindowStore}, the {@link LiveReplicationSubscriber} agent that feeds it
 * from the origin's Aeron live stream on its own thread, and (once the origin client exists) the {@link LiveCatchUp}.
 *
 * <p>The subscriber runs on an {@link AgentRunner} with a backoff idle strategy that parks at most 100 microseconds
 * when idle, so a part is picked up within that time of its arrival at the media driver, at the cost of one mostly
 * parked thread per edge.
 */
public final class LiveEdge implements AutoCloseable
{
    /** Longest park of the subscriber thread when idle. */
    public static final long MAX_IDLE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);

    private static final Logger LOG = LoggerFactory.getLogger(LiveEdge.class);

    private final LiveWindowStore store;
    private final AgentRunner runner;
    private final ByteBufAllocator allocator;
    private final MeterRegistry registry;
    private volatile LiveCatchUp catchUp;

    private LiveEdge(
        final LiveWindowStore store, final AgentRunner runner, final ByteBufAllocator allocator, final MeterRegistry registry)
    {
        this.store = store;
        this.runner = runner;
        this.allocator = allocator;
        this.registry = registry;
    }

    /**
     * Subscribe to the live stream and start following it.
     *
     * @param aeron         the process's Aeron client.
     * @param channel       the live subscription channel, e.g.
     *                      {@link AeronChannels#liveSubscriptionChannel(String, int, String, int)} or
     *                      {@link AeronChannels#IPC_CHANNEL} in {@code bifrost all}.
     * @param capacityBytes bytes of parts and playlists the store holds at most.
     * @param allocator     where parts are copied to.
     * @param registry      where the meters go.
     * @return the running live edge.
     */
    public static LiveEdge start(
        final Aeron aeron,
        final String channel,
        final long capacityBytes,
        final ByteBufAllocator allocator,
        final MeterRegistry registry)
    {
        final LiveWindowStore store = new LiveWindowStore(capacityBytes, allocator, registry);
        final AtomicInteger images = new AtomicInteger();
        final Subscription subscription = aeron.addSubscription(channel, AeronChannels.LIVE_STREAM_ID,
            image ->
            {
                images.incrementAndGet();
                LiveReplicationSubscriber.logImage(image, true);
            },
            image ->
            {
                images.decrementAndGet();
                LiveReplicationSubscriber.logImage(image, false);
            });
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, MAX_IDLE_PARK_NS);
        final AgentRunner runner = new AgentRunner(idle, ex -> LOG.error("live subscriber", ex), null,
            new LiveReplicationSubscriber(subscription, store, registry, images));
        AgentRunner.startOnThread(runner);
        LOG.info("edge follows the live stream on {} (stream id {})", channel, AeronChannels.LIVE_STREAM_ID);
        return new LiveEdge(store, runner, allocator, registry);
    }

    /**
     * @return the store requests are answered from.
     */
    public LiveWindowStore store()
    {
        return store;
    }

    /**
     * Catch up over HTTP through this fill path from now on.
     *
     * @param coalescer the edge's origin fill path.
     */
    public void catchUpThrough(final FillCoalescer coalescer)
    {
        catchUp = new LiveCatchUp(store, coalescer, allocator, registry);
        store.catchUp(catchUp);
    }

    @Override
    public void close()
    {
        CloseHelper.quietCloseAll(runner, catchUp);
        store.close();
    }
}
