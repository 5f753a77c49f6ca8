package io.bifrost.control.edges;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.bifrost.control.placement.ContentAgeStore;
import io.bifrost.control.placement.ContentAges;
import io.bifrost.control.placement.PlacementPlanner;
import io.bifrost.control.placement.PopularityScore;
import io.bifrost.control.steer.ViewRate;
import io.bifrost.control.store.ControlDatabase;
import io.bifrost.control.store.DatabaseWorker;
import io.bifrost.control.stream.JdbcStreamRepository;
import io.bifrost.control.telemetry.TelemetryAggregator;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.sbe.EdgeHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.EpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The control plane's Aeron duty cycle (heartbeat and telemetry reader plus placement loop on one agent thread, as
 * {@code ControlPlane} runs them) while the database is stalled: the content ages' read is stuck inside a database
 * call on the database thread, and the agent still registers a new edge from its heartbeats and keeps planning rounds;
 * once the database answers, the read completes.
 */
class PlacementLoopStalledDatabaseTest
{
    @TempDir
    Path dir;

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private EmbeddedAeron aeron;
    private ControlDatabase database;
    private DatabaseWorker worker;
    private Publication placement;
    private AgentRunner runner;
    private TestEdgeSender edges;

    @BeforeEach
    void start()
    {
        aeron = EmbeddedAeron.acquire(dir.resolve("aeron"), false);
        database = ControlDatabase.open(ControlDatabase.embeddedUrl(dir.resolve("data")), 4);
        worker = new DatabaseWorker(DatabaseWorker.DEFAULT_QUEUE_CAPACITY, meters);
        for (final int streamId : new int[] {AeronChannels.HEARTBEAT_STREAM_ID, AeronChannels.TELEMETRY_STREAM_ID})
        {
            subscriptions.add(aeron.aeron().addSubscription(AeronChannels.IPC_CHANNEL, streamId));
        }
        placement = aeron.aeron().addPublication(AeronChannels.CONTROL_IPC_PUBLICATION_CHANNEL,
            AeronChannels.PLACEMENT_STREAM_ID);
    }

    @AfterEach
    void stop()
    {
        release.countDown();
        CloseHelper.closeAll(edges, runner, worker, placement);
        CloseHelper.closeAll(subscriptions);
        database.close();
        aeron.close();
    }

    @Test
    void shouldKeepReadingHeartbeatsAndPlanningRoundsWhileTheDatabaseIsStalled() throws InterruptedException
    {
        final EpochClock clock = System::currentTimeMillis;
        final EdgeRegistry registry = new EdgeRegistry(60_000, meters);
        final TelemetryAggregator telemetry = new TelemetryAggregator(TelemetryAggregator.DEFAULT_MAX_CONTENTS, meters);
        final JdbcStreamRepository streams = new JdbcStreamRepository(database);
        final ContentAges ages = new ContentAges(new ContentAgeStore(database), streamIds ->
        {
            // a database call that does not return until the test lets it
            entered.countDown();
            awaitQuietly(release);
            return streams.liveSince(streamIds);
        }, null, worker, ContentAges.DEFAULT_CAPACITY, meters);
        final PlacementLoop loop = new PlacementLoop(registry, telemetry,
            new ViewRate(telemetry, new PopularityScore(), ViewRate.DEFAULT_MEAN_VIEW_SECONDS),
            PlacementPlanner.of(new PlacementPlanner.Context().intervalMs(100)),
            new PlacementPublisher(List.of(placement), clock.time(), meters), clock, meters, ages);
        runner = new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, TimeUnit.MILLISECONDS.toNanos(1)),
            Throwable::printStackTrace, null,
            new CompositeAgent(new EdgeFeedAgent(subscriptions, new EdgeFeed(registry, telemetry, clock, meters)), loop));
        AgentRunner.startOnThread(runner);
        edges = new TestEdgeSender(aeron.aeron(), AeronChannels.CONTROL_IPC_PUBLICATION_CHANNEL);
        final long startMs = System.currentTimeMillis();

        edges.heartbeat("eu-1", "eu", "http://eu-1:8080", startMs, 100, EdgeHealth.UP);
        edges.telemetry("eu-1", "eu", Map.of("live/st_a", new long[] {600, 600_000, 600, 0, 20},
            "vod/v", new long[] {300, 300_000, 300, 0, 10}));
        assertThat(entered.await(30, TimeUnit.SECONDS)).as("a round asked the database, which stalls").isTrue();
        final double roundsAtStall = rounds();

        edges.heartbeat("eu-2", "eu", "http://eu-2:8080", startMs, 100, EdgeHealth.UP);

        await().until(() -> registry.edge("eu-2") != null);
        await().until(() -> rounds() >= roundsAtStall + 3);
        assertThat(registry.edge("eu-2").servesViewers()).isTrue();
        assertThat(meters.timer("bifrost.control.db.task", "task", ContentAges.TASK).count())
            .as("the read is still stuck in the database").isZero();
        assertThat(worker.queued()).as("one read at a time: none piles up behind it").isZero();

        release.countDown();

        await().until(() -> meters.timer("bifrost.control.db.task", "task", ContentAges.TASK).count() >= 1);
        assertThat(meters.counter("bifrost.control.db.failures", "task", ContentAges.TASK).count()).isZero();
        assertThat(meters.counter("bifrost.control.db.dropped", "task", ContentAges.TASK).count()).isZero();
    }

    private double rounds()
    {
        return meters.counter("bifrost.control.placement.rounds").count();
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
