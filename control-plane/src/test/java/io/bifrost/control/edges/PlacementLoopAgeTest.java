package io.bifrost.control.edges;

import io.aeron.FragmentAssembler;
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
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.PlacementCommandDecoder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The placement loop with the age term: two titles with the same telemetry, one first seen two weeks before (in the
 * control plane's database), one new. With the warm threshold between their scores (the old one's is exp(-336/168) of
 * the new one's), the new title is prefetched onto the region's warm replicas and the old one is left cold; the
 * commands are read back from a real Aeron IPC publication. The database is read on a real {@link DatabaseWorker}
 * thread: a healthy one answers within the round; a stalled one never holds the loop, which plans with the unknown
 * ages at 0 and uses them from a later round.
 */
class PlacementLoopAgeTest
{
    private static final long NOW = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();
    private static final long TWO_WEEKS_MS = 336 * 3_600_000L;
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final DatabaseWorker worker = new DatabaseWorker(DatabaseWorker.DEFAULT_QUEUE_CAPACITY, meters);
    private EmbeddedAeron aeron;
    private ControlDatabase database;
    private Subscription subscription;
    private Publication publication;
    private long read;

    @BeforeEach
    void start()
    {
        aeron = EmbeddedAeron.acquire(dir.resolve("aeron"), false);
        database = ControlDatabase.open(ControlDatabase.embeddedUrl(dir.resolve("data")), 4);
        subscription = aeron.aeron().addSubscription(AeronChannels.IPC_CHANNEL, AeronChannels.PLACEMENT_STREAM_ID);
        publication = aeron.aeron().addPublication(AeronChannels.CONTROL_IPC_PUBLICATION_CHANNEL,
            AeronChannels.PLACEMENT_STREAM_ID);
        await().until(publication::isConnected);
    }

    @AfterEach
    void stop()
    {
        worker.close();
        subscription.close();
        publication.close();
        database.close();
        aeron.close();
    }

    @Test
    void shouldPrefetchTheNewTitleAndLeaveTheTitleFirstSeenTwoWeeksAgoColdAtTheSameViews()
    {
        final ContentAges before = ages(new JdbcStreamRepository(database)::liveSince);
        before.prepare(List.of("vod/old"), NOW - TWO_WEEKS_MS);
        await().pollInSameThread().until(() -> !before.reading());
        database.close();
        database = ControlDatabase.open(ControlDatabase.embeddedUrl(dir.resolve("data")), 4);

        final Fleet fleet = fleet("vod/old", "vod/new");
        final PlacementPlanner planner = PlacementPlanner.of(new PlacementPlanner.Context().policy("seed")
            .warmScore(fleet.views / 2).hotScore(fleet.views * 100));
        final PlacementLoop loop = new PlacementLoop(fleet.registry, fleet.telemetry, fleet.viewRate, planner,
            new PlacementPublisher(List.of(publication), NOW, meters), () -> NOW, meters,
            ages(new JdbcStreamRepository(database)::liveSince));

        // the round is due at once; the clock stands still, so it is planned when the database has answered
        await().pollInSameThread().until(() ->
        {
            loop.doWork();
            return rounds() == 1;
        });
        final List<String> commands = commands();
        loop.onClose();

        assertThat(commands).hasSize(planner.context().warmReplicas())
            .allMatch(command -> command.startsWith("PREFETCH ") && command.endsWith(" vod/new"));
    }

    @Test
    void shouldPlanWithAgeZeroWhileTheDatabaseIsStalledAndUseTheAgesFromALaterRound()
    {
        new ContentAgeStore(database).firstSeen(List.of("vod/old"), NOW - TWO_WEEKS_MS);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final JdbcStreamRepository streams = new JdbcStreamRepository(database);
        final ContentAges ages = ages(streamIds ->
        {
            entered.countDown();
            awaitUninterruptibly(release);
            return streams.liveSince(streamIds);
        });
        final Fleet fleet = fleet("vod/old", "vod/new", "live/st_a");
        // a round every 2 s, commands assumed held 0.5 s: the second round plans everything again
        final PlacementPlanner planner = PlacementPlanner.of(new PlacementPlanner.Context().policy("seed")
            .warmScore(fleet.views / 2).hotScore(fleet.views * 100).intervalMs(2_000).commandTtlMs(500));
        final AtomicLong clock = new AtomicLong(NOW);
        final PlacementLoop loop = new PlacementLoop(fleet.registry, fleet.telemetry, fleet.viewRate, planner,
            new PlacementPublisher(List.of(publication), NOW, meters), clock::get, meters, ages);

        assertThat(loop.doWork()).as("due: the database is asked, the loop goes on").isEqualTo(1);
        await().until(() -> entered.getCount() == 0);
        assertThat(loop.doWork()).as("waiting for the stalled read, without blocking").isZero();
        assertThat(rounds()).isZero();
        clock.set(NOW + 1_000);
        loop.doWork();
        assertThat(rounds()).as("planned after the longest wait, still stalled").isEqualTo(1);
        final List<String> stalled = vodCommands(commands());
        assertThat(stalled).as("unknown ages count as 0: both titles warm").hasSize(2 * planner.context().warmReplicas())
            .allMatch(command -> command.startsWith("PREFETCH "));
        assertThat(stalled.stream().filter(command -> command.endsWith(" vod/old")))
            .hasSize(planner.context().warmReplicas());
        assertThat(worker.queued()).as("one read at a time: nothing piles up behind the stalled one").isZero();

        release.countDown();
        clock.set(NOW + 2_000);
        await().pollInSameThread().until(() ->
        {
            loop.doWork();
            return rounds() == 2;
        });

        assertThat(vodCommands(commands())).as("the old title's age arrived: it is cold now")
            .hasSize(planner.context().warmReplicas())
            .allMatch(command -> command.startsWith("PREFETCH ") && command.endsWith(" vod/new"));
        assertThat(meters.counter("bifrost.control.db.dropped", "task", ContentAges.TASK).count()).isZero();
        loop.onClose();
    }

    private ContentAges ages(final ContentAges.LiveSessions live)
    {
        return new ContentAges(new ContentAgeStore(database), live, null, worker, ContentAges.DEFAULT_CAPACITY, meters);
    }

    private record Fleet(EdgeRegistry registry, TelemetryAggregator telemetry, ViewRate viewRate, double views)
    {
    }

    /**
     * Four edges in one region and the same telemetry for each content.
     */
    private Fleet fleet(final String... contentIds)
    {
        final EdgeRegistry registry = new EdgeRegistry(3_000, meters);
        for (final String edgeId : List.of("eu-1", "eu-2", "eu-3", "eu-4"))
        {
            registry.onHeartbeat(new Heartbeat(edgeId, "eu", "http://" + edgeId + ":8080", NOW, 1, NOW - 60_000,
                4 * GIB, 0, 0, 0, 0, 0, 100, EdgeHealth.UP), NOW);
        }
        final TelemetryAggregator telemetry = new TelemetryAggregator(TelemetryAggregator.DEFAULT_MAX_CONTENTS, meters);
        for (final String contentId : contentIds)
        {
            telemetry.onContent(NOW - 30_000, "eu-1", "eu", 60_000, contentId, 600, 600L * (2 << 20), 0, 0, 600, 0, 200);
        }
        final ViewRate viewRate = new ViewRate(telemetry, new PopularityScore(), ViewRate.DEFAULT_MEAN_VIEW_SECONDS);
        final double views = viewRate.viewsLastHour(contentIds[0], "eu", NOW);
        for (final String contentId : contentIds)
        {
            assertThat(viewRate.viewsLastHour(contentId, "eu", NOW)).isEqualTo(views).isPositive();
        }
        // warm at half a new title's score: two weeks old scores exp(-2) = 0.135 of it, well below
        return new Fleet(registry, telemetry, viewRate, views);
    }

    private double rounds()
    {
        return meters.counter("bifrost.control.placement.rounds").count();
    }

    /**
     * The commands sent since the last call (the round just planned, on this thread: the sent count is final).
     */
    private List<String> commands()
    {
        final double sent = meters.counter("bifrost.control.placement.commands", "result", "sent").count();
        final List<String> commands = new ArrayList<>();
        final FragmentAssembler reader = new FragmentAssembler((buffer, offset, length, header) ->
        {
            final MessageHeaderDecoder messageHeader = new MessageHeaderDecoder().wrap(buffer, offset);
            final PlacementCommandDecoder command = new PlacementCommandDecoder().wrap(buffer,
                offset + MessageHeaderDecoder.ENCODED_LENGTH, messageHeader.blockLength(), messageHeader.version());
            commands.add(command.action().name() + " " + command.targetEdgeId() + " " + command.contentId());
        });
        await().until(() ->
        {
            subscription.poll(reader, 100);
            return read + commands.size() >= sent;
        });
        read += commands.size();
        return commands;
    }

    private static List<String> vodCommands(final List<String> commands)
    {
        return commands.stream().filter(command -> command.contains(" vod/")).toList();
    }

    private static void awaitUninterruptibly(final CountDownLatch latch)
    {
        boolean done = false;
        while (!done)
        {
            try
            {
                latch.await();
                done = true;
            }
            catch (final InterruptedException ex)
            {
                // the database thread is never interrupted; keep waiting for the test to release it
            }
        }
    }
}
