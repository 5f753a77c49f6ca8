package io.bifrost.control.placement;

import com.sun.net.httpserver.HttpServer;
import io.bifrost.control.store.ControlDatabase;
import io.bifrost.control.store.DatabaseWorker;
import io.bifrost.control.stream.JdbcStreamRepository;
import io.bifrost.control.stream.NewStream;
import io.bifrost.control.stream.Privacy;
import io.bifrost.control.stream.StatusReport;
import io.bifrost.control.stream.StreamKeys;
import io.bifrost.control.stream.StreamRegistry;
import io.bifrost.control.stream.StreamStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * What {@link ContentAges} must do on each database (H2 file, PostgreSQL): date VOD titles by their first sighting or,
 * when the origin's catalog answers, their publication; live streams by their live session; and keep every date across
 * a restart (the store reopened, a new {@link ContentAges}). The database is read on a real {@link DatabaseWorker}
 * thread; {@link #dated} waits until its answers are in, as the placement loop's next round would.
 */
abstract class ContentAgesContract
{
    static final long HOUR_MS = 3_600_000L;
    static final long NOW = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();
    static final long TWO_WEEKS_MS = 336 * HOUR_MS;

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final DatabaseWorker worker = new DatabaseWorker(DatabaseWorker.DEFAULT_QUEUE_CAPACITY, meters);
    private HttpServer origin;
    private ContentAges ages;

    /**
     * @return the current, migrated database.
     */
    abstract ControlDatabase database();

    /**
     * Close the database and open it again (a restart).
     */
    abstract void reopen();

    @AfterEach
    void stopOrigin()
    {
        if (ages != null)
        {
            ages.close();
        }
        worker.close();
        if (origin != null)
        {
            origin.stop(0);
        }
    }

    /**
     * The ages once the database thread has answered (asked, waited for, then computed; nothing left in flight).
     */
    private static Map<String, Double> dated(final ContentAges ages, final List<String> contentIds, final long nowMs)
    {
        ages.prepare(contentIds, nowMs);
        await().pollInSameThread().until(() -> !ages.reading());
        return ages.ageHours(contentIds, nowMs);
    }

    private ContentAges ages(final PublicationLookup lookup)
    {
        if (ages != null)
        {
            ages.close();
        }
        ages = new ContentAges(new ContentAgeStore(database()), new JdbcStreamRepository(database())::liveSince, lookup,
            worker, ContentAges.DEFAULT_CAPACITY, meters);
        return ages;
    }

    @Test
    void shouldAgeATitleFirstSeenTwoWeeksAgoByTwoWeeksEvenAfterARestart()
    {
        assertThat(dated(ages(null), List.of("vod/old"), NOW - TWO_WEEKS_MS)).containsEntry("vod/old", 0.0);

        reopen();
        final Map<String, Double> hours = dated(ages(null), List.of("vod/old", "vod/new"), NOW);

        assertThat(hours.get("vod/old")).isCloseTo(336.0, within(1e-9));
        assertThat(hours.get("vod/new")).isZero();
        final PopularityScore seed = new PopularityScore();
        assertThat(seed.score(500, hours.get("vod/old"), 0.5, 1) / seed.score(500, hours.get("vod/new"), 0.5, 1))
            .isCloseTo(Math.exp(-336.0 / 168), within(1e-12));
        assertThat(seed.temperature(seed.score(500, hours.get("vod/new"), 0.5, 1))).isEqualTo(Temperature.WARM);
        assertThat(seed.temperature(seed.score(500, hours.get("vod/old"), 0.5, 1))).isEqualTo(Temperature.COLD);
    }

    @Test
    void shouldAgeALiveStreamFromTheStartOfItsLiveSession()
    {
        final StreamRegistry streams = new StreamRegistry(new JdbcStreamRepository(database()),
            new StreamKeys(new SecureRandom()), Clock.fixed(Instant.ofEpochMilli(NOW - 2 * HOUR_MS), ZoneOffset.UTC),
            meters);
        final String streamId = streams.create(new NewStream("Live", null, null, null, Privacy.PUBLIC, false))
            .stream().streamId();
        streams.reportStatus(streamId, new StatusReport(StreamStatus.LIVE, null));
        dated(ages(null), List.of("live/st_unknown"), NOW - HOUR_MS);

        reopen();
        final Map<String, Double> hours = dated(ages(null), List.of("live/" + streamId, "live/st_unknown"), NOW);

        assertThat(hours.get("live/" + streamId)).isCloseTo(2.0, within(1e-9));
        assertThat(hours.get("live/st_unknown")).as("a stream the registry does not know ages from its first sighting")
            .isCloseTo(1.0, within(1e-9));
    }

    @Test
    void shouldPreferTheOriginsPublicationTimeAskItOnceAndKeepIt() throws Exception
    {
        final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        origin.createContext("/api/v1/videos/", exchange ->
        {
            final String id = exchange.getRequestURI().getPath().substring("/api/v1/videos/".length());
            asked.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
            final byte[] body = ("old".equals(id) ?
                "{\"success\":true,\"data\":{\"video_id\":\"old\",\"status\":\"ready\",\"published_at\":\"" +
                    Instant.ofEpochMilli(NOW - TWO_WEEKS_MS) + "\"}}" :
                "{\"success\":false,\"error\":{\"code\":\"video.not_found\",\"message\":\"no\"}}")
                .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders("old".equals(id) ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();
        final ContentAges withOrigin = ages(new OriginCatalogLookup(
            URI.create("http://127.0.0.1:" + origin.getAddress().getPort())));
        final List<String> round = List.of("vod/old", "vod/gone", "live/st_x");

        assertThat(withOrigin.ageHours(round, NOW)).as("not read yet: age 0").containsEntry("vod/old", 0.0);
        await().pollInSameThread().until(() ->
        {
            withOrigin.prepare(round, NOW);
            return withOrigin.ageHours(round, NOW).get("vod/old") > 0;
        });
        // every answer applied, its publication time handed to a database read, and that read answered
        await().pollInSameThread().until(() ->
        {
            withOrigin.prepare(round, NOW);
            withOrigin.ageHours(round, NOW);
            final boolean idle = !withOrigin.reading();
            return idle && withOrigin.lookupsInFlight() == 0 && withOrigin.unsavedPublications() == 0;
        });

        assertThat(withOrigin.ageHours(round, NOW).get("vod/old")).isCloseTo(336.0, within(1e-9));
        assertThat(withOrigin.ageHours(round, NOW).get("vod/gone")).as("unknown to the catalog: first seen now").isZero();
        assertThat(asked).containsOnlyKeys("old", "gone");
        assertThat(asked.get("old").get()).as("asked once, not once a round").isEqualTo(1);
        assertThat(asked.get("gone").get()).isEqualTo(1);
        assertThat(meters.counter("bifrost.control.placement.age.lookups", "outcome", "published").count()).isEqualTo(1);
        assertThat(meters.counter("bifrost.control.placement.age.lookups", "outcome", "unpublished").count()).isEqualTo(1);

        origin.stop(0);
        origin = null;
        reopen();
        assertThat(dated(ages(null), List.of("vod/old"), NOW + HOUR_MS).get("vod/old"))
            .as("the publication time is kept across a restart").isCloseTo(337.0, within(1e-9));
    }

    @Test
    void shouldAgeContentsZeroAndCountWhenTheStoreFails()
    {
        final ContentAges failing = ages(null);
        database().close();

        assertThat(failing.prepare(List.of("vod/a", "live/st_b"), NOW)).as("asked").isTrue();
        assertThat(failing.ageHours(List.of("vod/a", "live/st_b"), NOW)).containsOnly(
            Map.entry("vod/a", 0.0), Map.entry("live/st_b", 0.0));
        await().pollInSameThread().until(() -> !failing.reading());
        assertThat(meters.counter("bifrost.control.placement.age.errors").count()).isEqualTo(1);
        await().until(() -> meters.counter("bifrost.control.db.failures", "task", ContentAges.TASK).count() == 1);
        assertThat(failing.prepare(List.of("vod/a", "live/st_b"), NOW)).as("asked again").isTrue();
        assertThat(failing.ageHours(List.of("vod/a", "live/st_b"), NOW)).as("still not dated: age 0")
            .containsOnly(Map.entry("vod/a", 0.0), Map.entry("live/st_b", 0.0));
        await().pollInSameThread().until(() -> !failing.reading());
        assertThat(meters.counter("bifrost.control.placement.age.errors").count()).isEqualTo(2);
        reopen();
    }
}
