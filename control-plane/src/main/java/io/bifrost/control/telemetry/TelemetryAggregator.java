package io.bifrost.control.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates the edges' per-content telemetry into minute / hour / day windows per content, per content in a
 * region, per edge and per region, with bounded memory.
 *
 * <p>Algorithm. The hottest contents (up to {@code maxContents}) are tracked exactly, each with a ring of buckets per
 * window ({@link WindowedCounters}, about 1.2 KiB per key). Every sample also goes into a count-min sketch of the
 * current hour (24 hourly sketches in a ring), which estimates the requests of the long tail that is not tracked.
 * A content seen for the first time is tracked while there is room; when the table is full it is tracked only once
 * its sketch estimate over this hour and the previous one exceeds the smallest tracked content's exact count over the
 * same two hours, which then gives up its place (its history is lost; its tail estimate stays). So a title that
 * surges is tracked within a few samples, and a one-hit wonder costs one sketch update. Edges and regions are few and
 * always tracked (up to {@link #MAX_SCOPES} each; more are dropped and counted).
 *
 * <p>Viewers: each edge reports the viewers it saw per content in its last window; a content's viewers now are the
 * sum of its edges' latest reports younger than {@link #VIEWER_SAMPLE_TTL_MS}.
 *
 * <p>Experience ({@link #onExperience}): the edges' first-byte and fill percentiles and the reference player's QoE sums
 * go into a second set of rings ({@link Experience}) per tracked content, edge and region, created on the first
 * sample (so about 17 KiB more per content that has any); contents in the long tail keep none.
 *
 * <p>Parts: the tracked set and its admission rule are {@link TrackedContents}, one tracked content's rings and viewer
 * reports a {@link TrackedContent}, the hourly sketches {@link HourlySketches}, the edges' and regions' rings
 * {@link ScopeTraffic}.
 *
 * <p>Time is the control plane's clock when a sample arrives (edges' clocks may be skewed). Thread-safe: one lock;
 * the Aeron agent writes about once per second per edge and per content, the API reads.
 */
public final class TelemetryAggregator
{
    /** Default number of contents tracked exactly. */
    public static final int DEFAULT_MAX_CONTENTS = 2048;
    /** Most edges, regions, and regions per content, tracked. */
    public static final int MAX_SCOPES = 4096;
    /** How long an edge's viewer count for a content counts towards "viewers now". */
    public static final long VIEWER_SAMPLE_TTL_MS = 5_000;

    private static final long HOUR_MS = TelemetryWindow.DAY.bucketMs();

    private final TrackedContents contents;
    private final ScopeTraffic edges;
    private final ScopeTraffic regions;
    private final long[] deltas = new long[Metric.COUNT];
    private final Counter samples;
    private final Counter tailSamples;

    /**
     * @param maxContents contents tracked exactly (at least 1).
     * @param registry    where the aggregator's counters go.
     */
    public TelemetryAggregator(final int maxContents, final MeterRegistry registry)
    {
        if (maxContents < 1)
        {
            throw new IllegalArgumentException("telemetry: at least one content must be tracked, got " + maxContents);
        }
        samples = Counter.builder("bifrost.control.telemetry.samples")
            .description("per-content telemetry entries received from edges").register(registry);
        tailSamples = Counter.builder("bifrost.control.telemetry.tail")
            .description("telemetry entries of contents not tracked exactly (counted in the sketch only)").register(registry);
        contents = new TrackedContents(maxContents, Counter.builder("bifrost.control.telemetry.promotions")
            .description("contents that replaced a colder one in the exactly tracked set").register(registry));
        final Counter dropped = Counter.builder("bifrost.control.telemetry.dropped")
            .description("telemetry entries not aggregated per edge or region because too many were seen").register(registry);
        edges = new ScopeTraffic(MAX_SCOPES, dropped);
        regions = new ScopeTraffic(MAX_SCOPES, dropped);
        Gauge.builder("bifrost.control.telemetry.tracked", this, TelemetryAggregator::trackedContents)
            .description("contents tracked exactly").register(registry);
    }

    /**
     * Add one content's counters from one edge's telemetry window.
     *
     * @param nowMs          the control plane's clock, epoch millis.
     * @param edgeId         the reporting edge.
     * @param region         its region.
     * @param windowLengthMs the edge's window length (for viewer-time).
     * @param contentId      live/{id} or vod/{id}.
     * @param requests       requests answered.
     * @param bytesSent      body bytes sent.
     * @param ramHits        RAM tier hits.
     * @param ssdHits        SSD tier hits.
     * @param misses         origin fills.
     * @param errors         error answers.
     * @param activeViewers  viewers seen in the window.
     */
    public synchronized void onContent(
        final long nowMs,
        final String edgeId,
        final String region,
        final long windowLengthMs,
        final String contentId,
        final long requests,
        final long bytesSent,
        final long ramHits,
        final long ssdHits,
        final long misses,
        final long errors,
        final int activeViewers)
    {
        samples.increment();
        deltas[Metric.REQUESTS] = Math.max(0, requests);
        deltas[Metric.BYTES] = Math.max(0, bytesSent);
        deltas[Metric.RAM_HITS] = Math.max(0, ramHits);
        deltas[Metric.SSD_HITS] = Math.max(0, ssdHits);
        deltas[Metric.MISSES] = Math.max(0, misses);
        deltas[Metric.ERRORS] = Math.max(0, errors);
        deltas[Metric.VIEWER_MILLIS] = (long)Math.max(0, activeViewers) * Math.max(0, windowLengthMs);

        edges.add(edgeId, nowMs, deltas);
        regions.add(region, nowMs, deltas);

        final TrackedContent entry = contents.count(contentId, deltas[Metric.REQUESTS], nowMs);
        if (entry == null)
        {
            tailSamples.increment();
            return;
        }
        entry.add(nowMs, edgeId, region, deltas, activeViewers);
    }

    /**
     * Add one content's experience from the same telemetry entry as the {@link #onContent} call just before it.
     * Kept for contents tracked exactly and for edges and regions already known from {@link #onContent}.
     *
     * @param nowMs     the control plane's clock, epoch millis.
     * @param edgeId    the reporting edge.
     * @param region    its region.
     * @param contentId live/{id} or vod/{id}.
     * @param sample    the entry's experience fields.
     */
    public synchronized void onExperience(
        final long nowMs, final String edgeId, final String region, final String contentId, final ExperienceSample sample)
    {
        if (sample.isEmpty())
        {
            return;
        }
        final long[] experience = sample.deltas();
        edges.addExperience(edgeId, nowMs, experience);
        regions.addExperience(region, nowMs, experience);
        final TrackedContent entry = contents.get(contentId);
        if (entry != null)
        {
            entry.addExperience(nowMs, experience);
        }
    }

    /**
     * @param window the window.
     * @param limit  most entries.
     * @param nowMs  the control plane's clock.
     * @return the tracked contents with the most requests in the window, most first (ties by id).
     */
    public synchronized List<TrafficStats> top(final TelemetryWindow window, final int limit, final long nowMs)
    {
        final List<TrafficStats> all = new ArrayList<>(contents.size());
        contents.forEach((id, content) ->
        {
            final TrafficStats stats = TrafficStats.of(id, window, content.total().sum(window, nowMs),
                content.viewersNow(null, nowMs), content.experience(window, nowMs));
            if (stats.requests() > 0 || stats.viewersNow() > 0)
            {
                all.add(stats);
            }
        });
        all.sort(Comparator.comparingLong(TrafficStats::requests).reversed().thenComparing(TrafficStats::key));
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    /**
     * @param contentId the content.
     * @param window    the window.
     * @param nowMs     the control plane's clock.
     * @return exact stats when the content is tracked, else a count-min estimate of its requests ({@code estimated}).
     */
    public synchronized TrafficStats content(final String contentId, final TelemetryWindow window, final long nowMs)
    {
        final TrackedContent entry = contents.get(contentId);
        if (entry != null)
        {
            return TrafficStats.of(contentId, window, entry.total().sum(window, nowMs), entry.viewersNow(null, nowMs),
                entry.experience(window, nowMs));
        }
        return TrafficStats.estimate(contentId, window, contents.estimateTwoHours(contentId, nowMs));
    }

    /**
     * @param contentId the content.
     * @param region    a region.
     * @param window    the window.
     * @param nowMs     the control plane's clock.
     * @return the content's requests from that region's edges in the window; 0 when not tracked.
     */
    public synchronized long requestsInRegion(
        final String contentId, final String region, final TelemetryWindow window, final long nowMs)
    {
        final TrackedContent entry = contents.get(contentId);
        final WindowedCounters inRegion = entry == null ? null : entry.inRegion(region);
        return inRegion == null ? 0 : inRegion.requests(window, nowMs);
    }

    /**
     * @param contentId the content.
     * @param region    a region, or null for every region.
     * @param hoursBack 0 = this hour so far, 1 = the previous hour, up to 23.
     * @param nowMs     the control plane's clock.
     * @return requests in that clock hour (the day window's bucket); 0 when not tracked.
     */
    public synchronized long requestsInHour(final String contentId, final String region, final int hoursBack, final long nowMs)
    {
        final TrackedContent entry = contents.get(contentId);
        if (entry == null)
        {
            return 0;
        }
        final WindowedCounters counters = entry.counters(region);
        return counters == null ? 0 : counters.requestsInHour(nowMs, hoursBack);
    }

    /**
     * @param contentId the content.
     * @param region    a region, or null for every region.
     * @param window    the window.
     * @param nowMs     the control plane's clock.
     * @return mean concurrent viewers of the content over the window (viewer-time / window length); 0 when not
     *         tracked.
     */
    public synchronized double meanViewers(
        final String contentId, final String region, final TelemetryWindow window, final long nowMs)
    {
        final WindowedCounters counters = counters(contentId, region);
        return counters == null ? 0.0 : counters.sum(window, nowMs)[Metric.VIEWER_MILLIS] / (double)window.lengthMs();
    }

    /**
     * @param contentId the content.
     * @param region    a region, or null for every region.
     * @param hoursBack 1 = the previous clock hour, up to 23.
     * @param nowMs     the control plane's clock.
     * @return mean concurrent viewers of the content over that clock hour; 0 when not tracked.
     */
    public synchronized double meanViewersInHour(
        final String contentId, final String region, final int hoursBack, final long nowMs)
    {
        final WindowedCounters counters = counters(contentId, region);
        return counters == null ? 0.0 : counters.viewerMillisInHour(nowMs, hoursBack) / (double)HOUR_MS;
    }

    /**
     * @param contentId   the content.
     * @param region      a region, or null for every region.
     * @param minutesBack whole minutes before the current one where the span ends (0: it ends now).
     * @param minutes     the span's length in minutes, 1 to 60 - minutesBack.
     * @param nowMs       the control plane's clock.
     * @return mean concurrent viewers over the span (from the hour window's minute buckets); 0 when not tracked.
     */
    public synchronized double meanViewersOverMinutes(
        final String contentId, final String region, final int minutesBack, final int minutes, final long nowMs)
    {
        final WindowedCounters counters = counters(contentId, region);
        if (counters == null || minutes < 1)
        {
            return 0.0;
        }
        long viewerMillis = 0;
        for (int back = minutesBack; back < minutesBack + minutes && back < TelemetryWindow.HOUR.buckets(); back++)
        {
            viewerMillis += counters.viewerMillisInMinute(nowMs, back);
        }
        return viewerMillis / (minutes * 60_000.0);
    }

    /**
     * @param contentId the content.
     * @param region    a region, or null for every region.
     * @param nowMs     the control plane's clock.
     * @return viewers now in that region (the fresh reports of its edges); 0 when not tracked.
     */
    public synchronized long viewersNow(final String contentId, final String region, final long nowMs)
    {
        final TrackedContent entry = contents.get(contentId);
        return entry == null ? 0 : entry.viewersNow(region, nowMs);
    }

    /**
     * @param contentId the content.
     * @param nowMs     the control plane's clock.
     * @return mean body bytes per request over the last hour (about a segment's size); 0 when not tracked.
     */
    public synchronized long bytesPerRequest(final String contentId, final long nowMs)
    {
        final TrackedContent entry = contents.get(contentId);
        if (entry == null)
        {
            return 0;
        }
        final long[] sums = entry.total().sum(TelemetryWindow.HOUR, nowMs);
        return sums[Metric.REQUESTS] == 0 ? 0 : sums[Metric.BYTES] / sums[Metric.REQUESTS];
    }

    /**
     * @param contentId the content.
     * @return the regions the content has traffic in, sorted; empty when not tracked.
     */
    public synchronized List<String> regionsOf(final String contentId)
    {
        final TrackedContent entry = contents.get(contentId);
        return entry == null ? List.of() : entry.regions();
    }

    /**
     * @param contentId the content.
     * @param nowMs     the control plane's clock.
     * @return viewers now (sum of the edges' latest fresh reports); 0 when not tracked.
     */
    public synchronized long viewersNow(final String contentId, final long nowMs)
    {
        final TrackedContent entry = contents.get(contentId);
        return entry == null ? 0 : entry.viewersNow(null, nowMs);
    }

    /**
     * @param nowMs the control plane's clock.
     * @return viewers now of every tracked content that has any, by content id.
     */
    public synchronized Map<String, Long> viewersNow(final long nowMs)
    {
        final Map<String, Long> viewers = new HashMap<>();
        contents.forEach((id, entry) ->
        {
            final long now = entry.viewersNow(null, nowMs);
            if (now > 0)
            {
                viewers.put(id, now);
            }
        });
        return viewers;
    }

    /**
     * @param window the window.
     * @param nowMs  the control plane's clock.
     * @return traffic per edge, by edge id.
     */
    public synchronized Map<String, TrafficStats> edges(final TelemetryWindow window, final long nowMs)
    {
        return edges.stats(window, nowMs);
    }

    /**
     * @param window the window.
     * @param nowMs  the control plane's clock.
     * @return traffic per region, by region.
     */
    public synchronized Map<String, TrafficStats> regions(final TelemetryWindow window, final long nowMs)
    {
        return regions.stats(window, nowMs);
    }

    /**
     * Viewers' experience minute by minute over the last hour (the hour window's buckets), fleet-wide (every region's
     * counters) or of one tracked content: what the dashboard charts.
     *
     * @param contentId a content, or null for every content.
     * @param nowMs     the control plane's clock.
     * @return oldest first, one entry per minute that has experience (a latency sample or a QoE beacon), the current
     *         minute (still filling) included; empty for a content not tracked exactly (the long tail keeps none).
     */
    public synchronized List<ExperienceMinute> experiencePerMinute(final String contentId, final long nowMs)
    {
        final List<WindowedCounters> sources = new ArrayList<>();
        if (contentId == null)
        {
            sources.addAll(regions.experienceRings());
        }
        else
        {
            final TrackedContent entry = contents.get(contentId);
            if (entry != null && entry.experience() != null)
            {
                sources.add(entry.experience());
            }
        }
        final List<ExperienceMinute> minutes = new ArrayList<>();
        if (sources.isEmpty())
        {
            return minutes;
        }
        final long bucketMs = TelemetryWindow.HOUR.bucketMs();
        final long current = Math.floorDiv(nowMs, bucketMs);
        final long[] sums = new long[Experience.COUNT];
        for (int back = TelemetryWindow.HOUR.buckets() - 1; back >= 0; back--)
        {
            Arrays.fill(sums, 0L);
            boolean any = false;
            for (final WindowedCounters source : sources)
            {
                any |= source.addMinute(nowMs, back, sums);
            }
            final ExperienceStats stats = any ? ExperienceStats.of(sums) : null;
            if (stats != null)
            {
                minutes.add(new ExperienceMinute((current - back) * bucketMs, stats));
            }
        }
        return minutes;
    }

    /**
     * @return contents tracked exactly now.
     */
    public synchronized int trackedContents()
    {
        return contents.size();
    }

    private WindowedCounters counters(final String contentId, final String region)
    {
        final TrackedContent entry = contents.get(contentId);
        if (entry == null)
        {
            return null;
        }
        return entry.counters(region);
    }
}
