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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The placement loop with the age term: two titles with the same telemetry, one first seen two weeks before (in the
 * control plane's database, across a restart), one new. With the warm threshold between their scores (the old one's
 * is exp(-336/168) of the new one's), the new title is prefetched onto the region's warm replicas and the old one is
 * left cold; the commands are read back from a real Aeron IPC publication.
 */
class PlacementLoopAgeTest
{
    private static final long NOW = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();
    private static final long TWO_WEEKS_MS = 336 * 3_600_000L;
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private EmbeddedAeron aeron;
    private ControlDatabase database;

    @BeforeEach
    void start()
    {
        aeron = EmbeddedAeron.acquire(dir.resolve("aeron"), false);
        database = ControlDatabase.open(ControlDatabase.embeddedUrl(dir.resolve("data")), 4);
    }

    @AfterEach
    void stop()
    {
        database.close();
        aeron.close();
    }

    private ContentAges ages()
    {
        return new ContentAges(new ContentAgeStore(database), new JdbcStreamRepository(database)::liveSince, null,
            ContentAges.DEFAULT_CAPACITY, meters);
    }

    @Test
    void shouldPrefetchTheNewTitleAndLeaveTheTitleFirstSeenTwoWeeksAgoColdAtTheSameViews()
    {
        ages().ageHours(List.of("vod/old"), NOW - TWO_WEEKS_MS);
        database.close();
        database = ControlDatabase.open(ControlDatabase.embeddedUrl(dir.resolve("data")), 4);

        final EdgeRegistry registry = new EdgeRegistry(3_000, meters);
        for (final String edgeId : List.of("eu-1", "eu-2", "eu-3", "eu-4"))
        {
            registry.onHeartbeat(new Heartbeat(edgeId, "eu", "http://" + edgeId + ":8080", NOW, 1, NOW - 60_000,
                4 * GIB, 0, 0, 0, 0, 0, 100, EdgeHealth.UP), NOW);
        }
        final TelemetryAggregator telemetry = new TelemetryAggregator(TelemetryAggregator.DEFAULT_MAX_CONTENTS, meters);
        for (final String contentId : List.of("vod/old", "vod/new"))
        {
            telemetry.onContent(NOW - 30_000, "eu-1", "eu", 60_000, contentId, 600, 600L * (2 << 20), 0, 0, 600, 0, 200);
        }
        final ViewRate viewRate = new ViewRate(telemetry, new PopularityScore(), ViewRate.DEFAULT_MEAN_VIEW_SECONDS);
        final double views = viewRate.viewsLastHour("vod/new", "eu", NOW);
        assertThat(views).isEqualTo(viewRate.viewsLastHour("vod/old", "eu", NOW)).isPositive();
        // warm at half the new title's score: the old title scores exp(-2) = 0.135 of it, well below
        final PlacementPlanner planner = PlacementPlanner.of(new PlacementPlanner.Context().policy("seed")
            .warmScore(views / 2).hotScore(views * 100));

        final List<String> commands = new ArrayList<>();
        try (Subscription subscription = aeron.aeron().addSubscription(AeronChannels.IPC_CHANNEL,
            AeronChannels.PLACEMENT_STREAM_ID);
            Publication publication = aeron.aeron().addPublication(AeronChannels.CONTROL_IPC_PUBLICATION_CHANNEL,
                AeronChannels.PLACEMENT_STREAM_ID))
        {
            await().until(publication::isConnected);
            final PlacementLoop loop = new PlacementLoop(registry, telemetry, viewRate, planner,
                new PlacementPublisher(List.of(publication), NOW, meters), () -> NOW, meters, ages());

            final int sent = loop.round(NOW);

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
                return commands.size() >= sent;
            });
            loop.onClose();
        }

        assertThat(commands).hasSize(planner.context().warmReplicas())
            .allMatch(command -> command.startsWith("PREFETCH ") && command.endsWith(" vod/new"));
        assertThat(commands).noneMatch(command -> command.endsWith("vod/old"));
    }
}
