package io.bifrost.control.placement;

import io.bifrost.control.store.ControlDatabase;
import io.bifrost.control.store.DatabaseWorker;
import io.bifrost.control.stream.JdbcStreamRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.CloseHelper;

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
 * First sightings and publication times are persisted ({@link ContentAgeStore}), so a restart keeps every age.
 *
 * <p>The placement loop runs on the control plane's Aeron agent thread, which also reads the edges' heartbeats, so
 * this class never touches the database on the caller's thread: {@link #prepare} hands the contents not cached (and
 * the round's live stream ids, whose sessions may have restarted) to the control plane's {@link DatabaseWorker} as one
 * read, at most one read at a time (a stalled database never piles reads up); a full
 * worker queue counts {@code bifrost.control.db.dropped{task=content-ages}} and the read is asked again next round.
 * The answers cross back through a queue and count from the next call on; {@link #ageHours} reads memory only. Until a content's row is known it ages 0
 * (the score without decay, as when the store fails); a live stream uses the last session start read. The origin is
 * asked asynchronously too, at most {@link #MAX_LOOKUPS_IN_FLIGHT} titles at a time and a title again only after
 * {@link #LOOKUP_RETRY_MS} when it had no answer; the publication times it gives are saved by the next read. Ages are
 * cached in a bounded LRU map ({@code capacity} contents; the long tail is read back from the store when it returns).
 *
 * <p>Confined to the placement loop's thread. A store failure is counted ({@code bifrost.control.placement.age.errors},
 * and the worker's {@code bifrost.control.db.failures{task=content-ages}}) and logged; the contents it could not date
 * keep aging 0 and are asked again next round; it never stops a round. Lookups are counted by outcome
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
    /** The worker task's name ({@code task} tag of the {@code bifrost.control.db.*} meters). */
    public static final String TASK = "content-ages";

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

    /**
     * What one read of the database thread found: rows of the contents asked, and the live sessions of the streams
     * asked (null when the read failed; then {@code unsaved} are the publication times to save again).
     */
    private record StoreAnswer(Map<String, ContentAgeStore.Row> rows, Map<String, Long> liveSince, List<Answer> unsaved)
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
    private final DatabaseWorker.Task reads;
    private final int capacity;
    private final Map<String, Dated> cache;
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final Queue<StoreAnswer> stored = new ConcurrentLinkedQueue<>();
    private final List<Answer> unsaved = new ArrayList<>();
    private Map<String, Long> liveSince = Map.of();
    private final Counter errors;
    private final Counter published;
    private final Counter unpublished;
    private final Counter failed;
    private int lookupsInFlight;
    private boolean reading;

    /**
     * @param store    where first sightings and publication times are kept.
     * @param live     when live streams went live.
     * @param lookup   the origin's catalog, or null to age VOD titles from their first sighting only.
     * @param worker   the control plane's database thread, where {@code store} and {@code live} are read.
     * @param capacity contents cached (1 or more).
     * @param meters   where the counters go.
     */
    public ContentAges(
        final ContentAgeStore store,
        final LiveSessions live,
        final PublicationLookup lookup,
        final DatabaseWorker worker,
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
        this.reads = worker.task(TASK);
        this.capacity = capacity;
        this.cache = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true)
        {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, Dated> eldest)
            {
                return size() > capacity;
            }
        };
        errors = Counter.builder("bifrost.control.placement.age.errors")
            .description("content age store failures (those contents aged 0 until read)").register(meters);
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
     * @param worker    the control plane's database thread (owned by the caller).
     * @param meters    where the counters go.
     * @return the content ages; close it to stop the origin client.
     */
    public static ContentAges open(
        final ControlDatabase database, final String originUrl, final DatabaseWorker worker, final MeterRegistry meters)
    {
        final JdbcStreamRepository streams = new JdbcStreamRepository(database);
        final PublicationLookup lookup = originUrl == null || originUrl.isBlank() ? null :
            new OriginCatalogLookup(URI.create(originUrl.strip()));
        return new ContentAges(new ContentAgeStore(database), streams::liveSince, lookup, worker, DEFAULT_CAPACITY,
            meters);
    }

    private static Counter lookups(final MeterRegistry meters, final String outcome)
    {
        return Counter.builder("bifrost.control.placement.age.lookups")
            .description("publication times asked of the origin's catalog, by outcome").tag("outcome", outcome)
            .register(meters);
    }

    /**
     * Ask the database thread for what a round of these contents needs and memory does not hold; never blocks.
     *
     * @param contentIds the round's contents ({@code live/..} or {@code vod/..}).
     * @param nowMs      the control plane's clock (a new content's first sighting).
     * @return true while a read is running: its answer counts from the next call on.
     */
    public boolean prepare(final Collection<String> contentIds, final long nowMs)
    {
        applyAnswers();
        request(contentIds, nowMs);
        return reading;
    }

    /**
     * @return true while a read of the database thread has not been answered (reads what it has answered so far).
     */
    public boolean reading()
    {
        applyAnswers();
        return reading;
    }

    /**
     * The ages of this round's contents, from memory only (what it lacks was asked for by {@link #prepare}).
     *
     * @param contentIds the contents ({@code live/..} or {@code vod/..}).
     * @param nowMs      the control plane's clock.
     * @return hours since each content's birth, 0 or more; 0 for one whose dates are not known yet.
     */
    public Map<String, Double> ageHours(final Collection<String> contentIds, final long nowMs)
    {
        applyAnswers();
        final Map<String, Double> ages = new HashMap<>(contentIds.size() * 2);
        for (final String contentId : contentIds)
        {
            final Dated entry = cache.get(contentId);
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

    private void request(final Collection<String> contentIds, final long nowMs)
    {
        if (reading)
        {
            return;
        }
        final List<String> missing = new ArrayList<>();
        final List<String> streamIds = new ArrayList<>();
        for (final String contentId : contentIds)
        {
            if (!cache.containsKey(contentId))
            {
                missing.add(contentId);
            }
            if (contentId.startsWith(LIVE))
            {
                streamIds.add(contentId.substring(LIVE.length()));
            }
        }
        if (missing.isEmpty() && streamIds.isEmpty() && unsaved.isEmpty())
        {
            return;
        }
        final List<Answer> saves = List.copyOf(unsaved);
        if (reads.offer(() -> read(saves, missing, streamIds, nowMs)))
        {
            reading = true;
            unsaved.clear();
        }
    }

    /**
     * On the database thread: save publication times, record and read first sightings, read live sessions.
     */
    private void read(final List<Answer> saves, final List<String> missing, final List<String> streamIds,
        final long nowMs)
    {
        StoreAnswer answer = new StoreAnswer(Map.of(), null, saves);
        try
        {
            for (final Answer save : saves)
            {
                store.published(save.contentId(), save.publishedMs());
            }
            final Map<String, ContentAgeStore.Row> rows = missing.isEmpty() ? Map.of() : store.firstSeen(missing, nowMs);
            answer = new StoreAnswer(rows, streamIds.isEmpty() ? Map.of() : live.liveSince(streamIds), List.of());
        }
        catch (final RuntimeException ex)
        {
            errors.increment();
            throw ex;
        }
        finally
        {
            stored.add(answer);
        }
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
        StoreAnswer read;
        while ((read = stored.poll()) != null)
        {
            reading = false;
            for (final Map.Entry<String, ContentAgeStore.Row> row : read.rows().entrySet())
            {
                cache.put(row.getKey(), new Dated(row.getValue().firstSeenMs(), row.getValue().publishedMs()));
            }
            if (read.liveSince() != null)
            {
                liveSince = read.liveSince();
            }
            for (final Answer save : read.unsaved())
            {
                if (unsaved.size() < capacity)
                {
                    unsaved.add(save);
                }
            }
        }
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
            unsaved.add(answer);
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
     * @return publication times from the origin not yet handed to a database read (for tests and diagnostics).
     */
    public int unsavedPublications()
    {
        return unsaved.size();
    }

    /**
     * Stop the origin client (answers still in flight, and reads of the database thread, are dropped).
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
