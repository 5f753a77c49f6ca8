package io.bifrost.control.placement;

import io.bifrost.control.store.ControlDatabase;
import io.bifrost.control.stream.JdbcStreamRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The age term of the popularity score, exp(-age_hours / 168): how old each content is, for the placement loop.
 * <ul>
 *   <li>{@code live/{streamId}}: hours since the stream's current (or last) live session began, as the stream registry
 *   recorded it from ingest's live report ({@link LiveSessions}); a live id the registry does not know ages from its
 *   first sighting.</li>
 *   <li>{@code vod/{videoId}}: hours since publication when the origin's catalog answered it ({@link PublicationLookup},
 *   {@code control.origin-url}), else hours since the control plane first saw the title in edge telemetry.</li>
 * </ul>
 * First sightings and publication times are persisted ({@link ContentAgeStore}), so a restart keeps every age. The
 * origin is asked asynchronously, at most {@link #MAX_LOOKUPS_IN_FLIGHT} titles at a time and a title again only
 * after {@link #LOOKUP_RETRY_MS} when it had no answer; a title's answer is used from the next round on. Ages are
 * cached in a bounded LRU map ({@code capacity} contents; the long tail is read back from the store when it returns),
 * so a round costs one store query for the contents not cached and one for the live streams.
 *
 * <p>Confined to the placement loop's thread (answers of the origin cross over through a queue). A store failure is
 * logged and counted ({@code bifrost.control.placement.age.errors}) and the contents it could not date age 0 for that
 * round (the score without decay, as before ages were known); it never stops a round. Lookups are counted by outcome
 * ({@code bifrost.control.placement.age.lookups{outcome=published|unpublished|failed}}).
 */
public final class ContentAges implements AutoCloseable
{
    /** Contents whose ages are cached (the placement loop considers at most 1000 per round). */
    public static final int DEFAULT_CAPACITY = 4096;
    /** Origin lookups at once. */
    public static final int MAX_LOOKUPS_IN_FLIGHT = 4;
    /** How long before a title the origin had no publication time for (or did not answer) is asked again. */
    public static final long LOOKUP_RETRY_MS = 15 * 60_000L;

    private static final Logger LOG = LoggerFactory.getLogger(ContentAges.class);
    private static final double MS_PER_HOUR = 3_600_000.0;
    private static final String LIVE = "live/";
    private static final String VOD = "vod/";

    /**
     * When live streams' sessions began ({@code StreamRepository#liveSince}).
     */
    @FunctionalInterface
    public interface LiveSessions
    {
        /**
         * @param streamIds stream ids (without {@code live/}).
         * @return epoch milliseconds per stream id, for streams that have been live.
         */
        Map<String, Long> liveSince(Collection<String> streamIds);
    }

    private record Answer(String contentId, long publishedMs, boolean failed)
    {
    }

    private static final class Dated
    {
        final long firstSeenMs;
        long publishedMs;
        long nextLookupMs;

        Dated(final long firstSeenMs, final long publishedMs)
        {
            this.firstSeenMs = firstSeenMs;
            this.publishedMs = publishedMs;
        }
    }

    private final ContentAgeStore store;
    private final LiveSessions live;
    private final PublicationLookup lookup;
    private final Map<String, Dated> cache;
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final Counter errors;
    private final Counter published;
    private final Counter unpublished;
    private final Counter failed;
    private int lookupsInFlight;

    /**
     * @param store    where first sightings and publication times are kept.
     * @param live     when live streams went live.
     * @param lookup   the origin's catalog, or null to age VOD titles from their first sighting only.
     * @param capacity contents cached (1 or more).
     * @param meters   where the counters go.
     */
    public ContentAges(
        final ContentAgeStore store,
        final LiveSessions live,
        final PublicationLookup lookup,
        final int capacity,
        final MeterRegistry meters)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("content age cache capacity must be 1 or more, got " + capacity);
        }
        this.store = store;
        this.live = live;
        this.lookup = lookup;
        this.cache = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true)
        {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, Dated> eldest)
            {
                return size() > capacity;
            }
        };
        errors = Counter.builder("bifrost.control.placement.age.errors")
            .description("content age store failures (those contents aged 0 for the round)").register(meters);
        published = lookups(meters, "published");
        unpublished = lookups(meters, "unpublished");
        failed = lookups(meters, "failed");
    }

    /**
     * The control plane's content ages: first sightings in its database, live sessions from its stream table, and
     * publication times from the origin's catalog when {@code originUrl} is set.
     *
     * @param database  the control plane's migrated database (owned by the caller).
     * @param originUrl the origin's base URL ({@code control.origin-url}), or null/blank for first sightings only.
     * @param meters    where the counters go.
     * @return the content ages; close it to stop the origin client.
     */
    public static ContentAges open(final ControlDatabase database, final String originUrl, final MeterRegistry meters)
    {
        final JdbcStreamRepository streams = new JdbcStreamRepository(database);
        final PublicationLookup lookup = originUrl == null || originUrl.isBlank() ? null :
            new OriginCatalogLookup(URI.create(originUrl.strip()));
        return new ContentAges(new ContentAgeStore(database), streams::liveSince, lookup, DEFAULT_CAPACITY, meters);
    }

    private static Counter lookups(final MeterRegistry meters, final String outcome)
    {
        return Counter.builder("bifrost.control.placement.age.lookups")
            .description("publication times asked of the origin's catalog, by outcome").tag("outcome", outcome)
            .register(meters);
    }

    /**
     * The ages of this round's contents.
     *
     * @param contentIds the contents ({@code live/..} or {@code vod/..}).
     * @param nowMs      the control plane's clock.
     * @return hours since each content's birth, 0 or more; 0 for one that could not be dated this round.
     */
    public Map<String, Double> ageHours(final Collection<String> contentIds, final long nowMs)
    {
        applyAnswers();
        final Map<String, Dated> entries = new HashMap<>(contentIds.size() * 2);
        final List<String> missing = new ArrayList<>();
        final List<String> streamIds = new ArrayList<>();
        for (final String contentId : contentIds)
        {
            final Dated entry = cache.get(contentId);
            if (entry == null)
            {
                missing.add(contentId);
            }
            else
            {
                entries.put(contentId, entry);
            }
            if (contentId.startsWith(LIVE))
            {
                streamIds.add(contentId.substring(LIVE.length()));
            }
        }
        Map<String, Long> liveSince = Map.of();
        try
        {
            if (!missing.isEmpty())
            {
                for (final Map.Entry<String, ContentAgeStore.Row> row : store.firstSeen(missing, nowMs).entrySet())
                {
                    final Dated entry = new Dated(row.getValue().firstSeenMs(), row.getValue().publishedMs());
                    cache.put(row.getKey(), entry);
                    entries.put(row.getKey(), entry);
                }
            }
            if (!streamIds.isEmpty())
            {
                liveSince = live.liveSince(streamIds);
            }
        }
        catch (final RuntimeException ex)
        {
            errors.increment();
            LOG.warn("content ages: {}; the contents not dated age 0 this round", ex.getMessage());
        }
        final Map<String, Double> ages = new HashMap<>(contentIds.size() * 2);
        for (final String contentId : contentIds)
        {
            final Dated entry = entries.get(contentId);
            long bornMs = nowMs;
            if (contentId.startsWith(LIVE))
            {
                final Long since = liveSince.get(contentId.substring(LIVE.length()));
                bornMs = since != null ? since : entry != null ? entry.firstSeenMs : nowMs;
            }
            else if (entry != null)
            {
                bornMs = entry.publishedMs >= 0 ? entry.publishedMs : entry.firstSeenMs;
                askOrigin(contentId, entry, nowMs);
            }
            ages.put(contentId, Math.max(0, nowMs - bornMs) / MS_PER_HOUR);
        }
        return ages;
    }

    private void askOrigin(final String contentId, final Dated entry, final long nowMs)
    {
        if (lookup == null || entry.publishedMs >= 0 || !contentId.startsWith(VOD) || nowMs < entry.nextLookupMs ||
            lookupsInFlight >= MAX_LOOKUPS_IN_FLIGHT)
        {
            return;
        }
        entry.nextLookupMs = nowMs + LOOKUP_RETRY_MS;
        lookupsInFlight++;
        try
        {
            lookup.publishedAtMs(contentId.substring(VOD.length())).whenComplete((publishedMs, error) ->
                answers.add(new Answer(contentId, error == null && publishedMs != null ? publishedMs : -1, error != null)));
        }
        catch (final RuntimeException ex)
        {
            answers.add(new Answer(contentId, -1, true));
        }
    }

    private void applyAnswers()
    {
        Answer answer;
        while ((answer = answers.poll()) != null)
        {
            lookupsInFlight--;
            if (answer.failed())
            {
                failed.increment();
                continue;
            }
            if (answer.publishedMs() < 0)
            {
                unpublished.increment();
                continue;
            }
            published.increment();
            final Dated entry = cache.get(answer.contentId());
            if (entry != null)
            {
                entry.publishedMs = answer.publishedMs();
            }
            try
            {
                store.published(answer.contentId(), answer.publishedMs());
            }
            catch (final RuntimeException ex)
            {
                errors.increment();
                LOG.warn("content ages: {}; {} is dated by its publication until the next restart", ex.getMessage(),
                    answer.contentId());
            }
        }
    }

    /**
     * @return origin lookups started and not yet applied (for tests and diagnostics).
     */
    public int lookupsInFlight()
    {
        return lookupsInFlight;
    }

    /**
     * Stop the origin client (answers still in flight are dropped).
     */
    @Override
    public void close()
    {
        if (lookup instanceof AutoCloseable closeable)
        {
            CloseHelper.quietClose(closeable);
        }
    }
}
