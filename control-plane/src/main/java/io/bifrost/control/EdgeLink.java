package io.bifrost.control;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.bifrost.control.edges.EdgeFeed;
import io.bifrost.control.edges.EdgeFeedAgent;
import io.bifrost.control.edges.EdgeLivenessAgent;
import io.bifrost.control.edges.PlacementLoop;
import io.bifrost.control.edges.PlacementPublisher;
import io.bifrost.control.placement.ContentAges;
import io.bifrost.control.placement.PlacementPlanner;
import io.bifrost.control.signing.SigningKeyBroadcast;
import io.bifrost.control.signing.SigningKeys;
import io.bifrost.control.store.ControlDatabase;
import io.bifrost.control.store.DatabaseWorker;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.micrometer.core.instrument.Counter;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The control plane's Aeron side: the shared media driver handle, the agent thread that reads edges' messages, expires
 * silent edges and owns the placement publications, and the database thread ({@link DatabaseWorker}) that reads content
 * ages and signing keys for it.
 *
 * <p>Threading: {@link #start} opens the channels on the caller's thread and then starts one agent thread (backoff
 * idle) running, as one {@link CompositeAgent}, the heartbeat and telemetry feed, edge liveness, the placement loop,
 * the dashboard's traffic sampling and the signing-key broadcast; the agent never waits for the database. Closing
 * stops the agent thread, then the database thread, then the placement publications, then releases the driver; call
 * it once, from one thread (the owning {@link ControlPlane.Running} does).
 */
final class EdgeLink implements AutoCloseable
{
    /** Logged under the role's name, as before the Aeron side had its own class. */
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    private final EmbeddedAeron aeron;
    private final AgentRunner runner;
    private final PlacementPublisher placement;
    private final DatabaseWorker databaseWorker;

    private EdgeLink(final EmbeddedAeron aeron, final AgentRunner runner, final PlacementPublisher placement,
        final DatabaseWorker databaseWorker)
    {
        this.aeron = aeron;
        this.runner = runner;
        this.placement = placement;
        this.databaseWorker = databaseWorker;
    }

    /**
     * Open the channels and start the agent and database threads.
     *
     * @param context     concluded settings with Aeron enabled.
     * @param edges       the fleet state the agent writes.
     * @param database    where content ages are read from (on the database thread).
     * @param signingKeys the API signing keys, refreshed on the database thread and broadcast by the agent.
     * @return the running link; the caller owns it and closes it.
     * @throws IllegalStateException naming the endpoints when a channel cannot be opened (nothing is left open).
     */
    static EdgeLink start(
        final ControlPlane.Context context, final EdgeFleet edges, final ControlDatabase database,
        final SigningKeys signingKeys)
    {
        final EmbeddedAeron handle = EmbeddedAeron.acquire(context.aeronDirectory(), context.aeronExternal());
        final List<Subscription> subscriptions = new ArrayList<>();
        final List<Publication> publications = new ArrayList<>();
        try
        {
            final Aeron aeron = handle.aeron();
            for (final int streamId : new int[] {AeronChannels.HEARTBEAT_STREAM_ID, AeronChannels.TELEMETRY_STREAM_ID})
            {
                subscriptions.add(aeron.addSubscription(AeronChannels.IPC_CHANNEL, streamId));
                if (context.edgeUdpEndpoint() != null)
                {
                    subscriptions.add(aeron.addSubscription(AeronChannels.controlPlaneSubscriptionChannel(
                        context.edgeUdpEndpoint().host(), context.edgeUdpEndpoint().port()), streamId));
                }
            }
            publications.add(aeron.addPublication(AeronChannels.CONTROL_IPC_PUBLICATION_CHANNEL,
                AeronChannels.PLACEMENT_STREAM_ID));
            if (context.placementUdpEndpoint() != null)
            {
                publications.add(aeron.addPublication(AeronChannels.placementPublicationChannel(
                    context.placementUdpEndpoint().host(), context.placementUdpEndpoint().port()),
                    AeronChannels.PLACEMENT_STREAM_ID));
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(subscriptions);
            CloseHelper.quietCloseAll(publications);
            handle.close();
            throw new IllegalStateException("control plane cannot open its Aeron channels (control.edge-endpoint " +
                context.edgeEndpoint() + ", control.placement-endpoint " + context.placementEndpoint() + "): " +
                ex.getMessage(), ex);
        }
        final Clock clock = context.clock();
        final EpochClock epochClock = clock::millis;
        final PlacementPublisher placement = new PlacementPublisher(publications, clock.millis(),
            context.meterRegistry(), context.fleetKeyRing(), epochClock);
        final EdgeFeedAgent feed = new EdgeFeedAgent(subscriptions,
            new EdgeFeed(edges.registry(), edges.telemetry(), epochClock, context.meterRegistry(),
                context.fleetKeyRing()));
        final EdgeLivenessAgent liveness = new EdgeLivenessAgent(edges.registry(), epochClock,
            Math.max(10, context.heartbeatTimeout().toMillis() / 10));
        // The agent thread never waits for the database: content ages and signing keys are read on this thread.
        final DatabaseWorker databaseWorker = new DatabaseWorker(context.dbQueueCapacity(), context.meterRegistry());
        databaseWorker.every(databaseWorker.task("signing-keys"), SigningKeys.REFRESH_MS, signingKeys::refresh);
        final PlacementLoop placementLoop = new PlacementLoop(edges.registry(), edges.telemetry(), edges.viewRate(),
            PlacementPlanner.of(context.placement()), placement, epochClock, context.meterRegistry(),
            ContentAges.open(database, context.originUrl(), databaseWorker, context.meterRegistry()));
        final SigningKeyBroadcast signingKeyBroadcast = new SigningKeyBroadcast(signingKeys, publications,
            context.fleetKeyRing(), epochClock, context.signingKeyBroadcastInterval().toMillis(),
            context.meterRegistry());
        final Counter errors = Counter.builder("bifrost.control.agent.errors")
            .description("unexpected errors in the control plane's Aeron agent").register(context.meterRegistry());
        final AgentRunner runner = new AgentRunner(
            new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1)),
            error ->
            {
                errors.increment();
                LOG.error("control plane edge agent failed", error);
            },
            null, new CompositeAgent(feed, liveness, placementLoop, edges.history(), signingKeyBroadcast));
        AgentRunner.startOnThread(runner);
        LOG.info("control plane listens for edges on {}{} (Aeron directory {})", AeronChannels.IPC_CHANNEL,
            context.edgeUdpEndpoint() == null ? "" : " and udp " + context.edgeEndpoint(), handle.directory());
        return new EdgeLink(handle, runner, placement, databaseWorker);
    }

    /**
     * @return the placement publisher (confined to one thread at a time).
     */
    PlacementPublisher placement()
    {
        return placement;
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(runner, databaseWorker, placement, aeron);
    }
}
