package io.bifrost.edge.live;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.bifrost.edge.fill.FillCoalescer;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.auth.FleetKeys;
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
        return start(aeron, channel, capacityBytes, allocator, registry, FleetKeys.NONE);
    }

    /**
     * Subscribe to the live stream and start following it, accepting only messages signed with the fleet's keys.
     *
     * @param aeron         the process's Aeron client.
     * @param channel       the live subscription channel.
     * @param capacityBytes bytes of parts and playlists the store holds at most.
     * @param allocator     where parts are copied to.
     * @param registry      where the meters go.
     * @param fleetKeys     the edge's {@code edge.fleet-keys}: when enabled, unsigned, forged, stale and replayed live
     *                      messages are refused ({@link LiveReplicationSubscriber}); {@link FleetKeys#NONE} accepts all.
     *                      Ignored on an IPC channel ({@code bifrost all}): only processes that can open this host's
     *                      Aeron directory reach it, and the origin does not sign IPC either.
     * @return the running live edge.
     */
    public static LiveEdge start(
        final Aeron aeron,
        final String channel,
        final long capacityBytes,
        final ByteBufAllocator allocator,
        final MeterRegistry registry,
        final FleetKeys fleetKeys)
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
        final FleetKeys keys = channel.startsWith(AeronChannels.IPC_CHANNEL) ? FleetKeys.NONE : fleetKeys;
        if (!keys.enabled() && !channel.startsWith(AeronChannels.IPC_CHANNEL))
        {
            LOG.warn("live replication on {} is not authenticated: anyone who can send UDP to this edge's live port " +
                "can feed it parts and playlists; set edge.fleet-keys and origin.fleet-keys", channel);
        }
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, MAX_IDLE_PARK_NS);
        final AgentRunner runner = new AgentRunner(idle, ex -> LOG.error("live subscriber", ex), null,
            new LiveReplicationSubscriber(subscription, store, registry, images, keys));
        AgentRunner.startOnThread(runner);
        LOG.info("edge follows the live stream on {} (stream id {}, {})", channel, AeronChannels.LIVE_STREAM_ID,
            keys.enabled() ? "authenticated with " + keys : "not authenticated");
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
