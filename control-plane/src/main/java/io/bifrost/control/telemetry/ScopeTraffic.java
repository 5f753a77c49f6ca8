package io.bifrost.control.telemetry;

import io.micrometer.core.instrument.Counter;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The traffic and experience of one kind of scope the {@link TelemetryAggregator} keeps beside its contents: every edge,
 * or every region. Scopes are few and always tracked, up to {@code maxScopes}; a sample for one more is dropped and
 * counted. A scope's experience rings are created on its first experience sample, and only for a scope already tracked
 * for traffic (so bounded the same way).
 *
 * <p>Not thread-safe: confined by the aggregator's lock. Allocates only when a scope is seen for the first time.
 */
final class ScopeTraffic
{
    private final Map<String, WindowedCounters> traffic = new HashMap<>();
    private final Map<String, WindowedCounters> experience = new HashMap<>();
    private final int maxScopes;
    private final Counter dropped;

    /**
     * @param maxScopes most scopes tracked.
     * @param dropped   counts the samples of scopes over {@code maxScopes}.
     */
    ScopeTraffic(final int maxScopes, final Counter dropped)
    {
        this.maxScopes = maxScopes;
        this.dropped = dropped;
    }

    /**
     * @param key    the edge id or region.
     * @param nowMs  the control plane's clock.
     * @param deltas the traffic {@link Metric}s of one telemetry entry.
     */
    void add(final String key, final long nowMs, final long[] deltas)
    {
        WindowedCounters counters = traffic.get(key);
        if (counters == null)
        {
            if (traffic.size() >= maxScopes)
            {
                dropped.increment();
                return;
            }
            counters = new WindowedCounters();
            traffic.put(key, counters);
        }
        counters.add(nowMs, deltas);
    }

    /**
     * @param key    the edge id or region; ignored when not tracked for traffic.
     * @param nowMs  the control plane's clock.
     * @param deltas the {@link Experience} fields of one telemetry entry.
     */
    void addExperience(final String key, final long nowMs, final long[] deltas)
    {
        WindowedCounters rings = experience.get(key);
        if (rings == null)
        {
            if (!traffic.containsKey(key))
            {
                return;
            }
            rings = new WindowedCounters(Experience.COUNT);
            experience.put(key, rings);
        }
        rings.add(nowMs, deltas);
    }

    /**
     * @param window the window.
     * @param nowMs  the control plane's clock.
     * @return every scope's traffic and experience in the window, by key.
     */
    Map<String, TrafficStats> stats(final TelemetryWindow window, final long nowMs)
    {
        final Map<String, TrafficStats> out = new TreeMap<>();
        traffic.forEach((key, counters) ->
        {
            final WindowedCounters rings = experience.get(key);
            out.put(key, TrafficStats.of(key, window, counters.sum(window, nowMs), 0,
                rings == null ? null : rings.sum(window, nowMs)));
        });
        return out;
    }

    /**
     * @return the experience rings of every scope that has any (a live view, read under the aggregator's lock).
     */
    Collection<WindowedCounters> experienceRings()
    {
        return experience.values();
    }
}
