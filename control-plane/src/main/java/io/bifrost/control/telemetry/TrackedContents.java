package io.bifrost.control.telemetry;

import io.micrometer.core.instrument.Counter;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Which contents the {@link TelemetryAggregator} tracks exactly, and the estimate for the rest. Every sample's requests
 * go into {@link HourlySketches}. A content seen for the first time is tracked while there are fewer than
 * {@code maxContents}; when the set is full it is tracked only once its sketch estimate over this clock hour and the
 * previous one exceeds the smallest tracked content's exact count over the same two hours, and that coldest content
 * then gives up its place (counted as a promotion; its history is lost, its tail estimate stays). The smallest count is
 * recomputed at most once a second while the set is unchanged, so a burst of tail samples costs one scan.
 *
 * <p>Not thread-safe: confined by the aggregator's lock. Allocates only when a content is admitted.
 */
final class TrackedContents
{
    private final int maxContents;
    private final Counter promotions;
    private final Map<String, TrackedContent> contents = new HashMap<>();
    private final HourlySketches sketches = new HourlySketches();
    private long minTrackedTwoHours = -1;
    private long minTrackedComputedAtMs = Long.MIN_VALUE;

    /**
     * @param maxContents contents tracked exactly (at least 1).
     * @param promotions  counts contents that replaced a colder one.
     */
    TrackedContents(final int maxContents, final Counter promotions)
    {
        this.maxContents = maxContents;
        this.promotions = promotions;
    }

    /**
     * Count a sample's requests and find the content's tracked entry, admitting it when it qualifies.
     *
     * @param contentId the content.
     * @param requests  the sample's requests (0 or more).
     * @param nowMs     the control plane's clock.
     * @return the content's entry, or null when it stays in the long tail (counted in the sketch only).
     */
    TrackedContent count(final String contentId, final long requests, final long nowMs)
    {
        final long keyHash = CountMinSketch.hash(contentId);
        sketches.add(keyHash, requests, nowMs);
        final TrackedContent entry = contents.get(contentId);
        return entry != null ? entry : admit(nowMs, contentId, keyHash);
    }

    /**
     * @param contentId the content.
     * @return its entry, or null when not tracked exactly.
     */
    TrackedContent get(final String contentId)
    {
        return contents.get(contentId);
    }

    /**
     * @param contentId the content.
     * @param nowMs     the control plane's clock.
     * @return the sketch's estimate of its requests in this clock hour and the previous one.
     */
    long estimateTwoHours(final String contentId, final long nowMs)
    {
        return sketches.requestsInTwoHours(CountMinSketch.hash(contentId), nowMs);
    }

    /**
     * @param action called with each tracked content's id and entry.
     */
    void forEach(final BiConsumer<String, TrackedContent> action)
    {
        contents.forEach(action);
    }

    /**
     * @return contents tracked exactly now.
     */
    int size()
    {
        return contents.size();
    }

    private TrackedContent admit(final long nowMs, final String contentId, final long keyHash)
    {
        if (contents.size() < maxContents)
        {
            final TrackedContent entry = new TrackedContent();
            contents.put(contentId, entry);
            return entry;
        }
        if (minTrackedComputedAtMs == Long.MIN_VALUE || nowMs - minTrackedComputedAtMs >= 1_000 ||
            nowMs < minTrackedComputedAtMs)
        {
            minTrackedTwoHours = -1;
        }
        if (minTrackedTwoHours < 0)
        {
            minTrackedTwoHours = Long.MAX_VALUE;
            for (final TrackedContent entry : contents.values())
            {
                minTrackedTwoHours = Math.min(minTrackedTwoHours, entry.requestsInTwoHours(nowMs));
            }
            minTrackedComputedAtMs = nowMs;
        }
        if (sketches.requestsInTwoHours(keyHash, nowMs) <= minTrackedTwoHours)
        {
            return null;
        }
        String coldest = null;
        long coldestCount = Long.MAX_VALUE;
        for (final Iterator<Map.Entry<String, TrackedContent>> it = contents.entrySet().iterator(); it.hasNext(); )
        {
            final Map.Entry<String, TrackedContent> candidate = it.next();
            final long count = candidate.getValue().requestsInTwoHours(nowMs);
            if (count < coldestCount)
            {
                coldestCount = count;
                coldest = candidate.getKey();
            }
        }
        contents.remove(coldest);
        promotions.increment();
        minTrackedTwoHours = -1;
        final TrackedContent entry = new TrackedContent();
        contents.put(contentId, entry);
        return entry;
    }
}
