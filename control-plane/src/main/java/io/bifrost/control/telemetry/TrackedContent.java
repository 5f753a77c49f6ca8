package io.bifrost.control.telemetry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One content the {@link TelemetryAggregator} tracks exactly: its traffic in every window in all and per region (up to
 * {@link #MAX_REGIONS}), each edge's latest viewer count (up to {@link #MAX_EDGES}; "viewers now" sums the reports
 * younger than {@link TelemetryAggregator#VIEWER_SAMPLE_TTL_MS}), and its experience rings, created on the first
 * experience sample.
 *
 * <p>Not thread-safe: confined by the aggregator's lock. Adding a sample allocates only the first time a region, an
 * edge or experience is seen for this content.
 */
final class TrackedContent
{
    /** Most regions whose traffic is kept per content; others count only in the content's total. */
    static final int MAX_REGIONS = 64;
    /** Most edges whose viewer counts are kept per content. */
    static final int MAX_EDGES = 4096;

    private final WindowedCounters total = new WindowedCounters();
    private final Map<String, WindowedCounters> regions = new HashMap<>(4);
    private final Map<String, ViewerSample> viewers = new HashMap<>(8);
    private WindowedCounters experience;

    /**
     * Add one edge's traffic for this content.
     *
     * @param nowMs         the control plane's clock.
     * @param edgeId        the reporting edge.
     * @param region        its region.
     * @param deltas        the traffic {@link Metric}s of the edge's window.
     * @param activeViewers viewers the edge saw (negative reads as 0).
     */
    void add(final long nowMs, final String edgeId, final String region, final long[] deltas, final int activeViewers)
    {
        total.add(nowMs, deltas);
        WindowedCounters inRegion = regions.get(region);
        if (inRegion == null && regions.size() < MAX_REGIONS)
        {
            inRegion = new WindowedCounters();
            regions.put(region, inRegion);
        }
        if (inRegion != null)
        {
            inRegion.add(nowMs, deltas);
        }
        final ViewerSample viewerSample = viewers.get(edgeId);
        if (viewerSample != null)
        {
            viewerSample.viewers = Math.max(0, activeViewers);
            viewerSample.atMs = nowMs;
            viewerSample.region = region;
        }
        else if (viewers.size() < MAX_EDGES)
        {
            viewers.put(edgeId, new ViewerSample(Math.max(0, activeViewers), nowMs, region));
        }
    }

    /**
     * @param nowMs  the control plane's clock.
     * @param deltas the {@link Experience} fields of one telemetry entry.
     */
    void addExperience(final long nowMs, final long[] deltas)
    {
        if (experience == null)
        {
            experience = new WindowedCounters(Experience.COUNT);
        }
        experience.add(nowMs, deltas);
    }

    /**
     * @return the traffic in every region.
     */
    WindowedCounters total()
    {
        return total;
    }

    /**
     * @param region a region, or null for every region.
     * @return the traffic in that region, or null when the content has none tracked there.
     */
    WindowedCounters counters(final String region)
    {
        return region == null ? total : regions.get(region);
    }

    /**
     * @param region a region.
     * @return the traffic in that region, or null when the content has none tracked there.
     */
    WindowedCounters inRegion(final String region)
    {
        return regions.get(region);
    }

    /**
     * @return the experience rings, or null before the first experience sample.
     */
    WindowedCounters experience()
    {
        return experience;
    }

    /**
     * @param window the window.
     * @param nowMs  the control plane's clock.
     * @return the experience sums over the window, or null when the content has none.
     */
    long[] experience(final TelemetryWindow window, final long nowMs)
    {
        return experience == null ? null : experience.sum(window, nowMs);
    }

    /**
     * @return the regions the content has traffic in, sorted.
     */
    List<String> regions()
    {
        return regions.keySet().stream().sorted().toList();
    }

    /**
     * @param nowMs the control plane's clock.
     * @return requests in this clock hour and the previous one (what admission to the tracked set compares).
     */
    long requestsInTwoHours(final long nowMs)
    {
        return total.requestsInHour(nowMs, 0) + total.requestsInHour(nowMs, 1);
    }

    /**
     * @param region a region, or null for every region.
     * @param nowMs  the control plane's clock.
     * @return the sum of the edges' fresh viewer reports in that region.
     */
    long viewersNow(final String region, final long nowMs)
    {
        long sum = 0;
        for (final ViewerSample sample : viewers.values())
        {
            if (nowMs - sample.atMs <= TelemetryAggregator.VIEWER_SAMPLE_TTL_MS &&
                (region == null || region.equals(sample.region)))
            {
                sum += sample.viewers;
            }
        }
        return sum;
    }

    private static final class ViewerSample
    {
        long viewers;
        long atMs;
        String region;

        ViewerSample(final long viewers, final long atMs, final String region)
        {
            this.viewers = viewers;
            this.atMs = atMs;
            this.region = region;
        }
    }
}
