package io.bifrost.control.telemetry;

/**
 * Traffic of one key (a content, an edge or a region) over one {@link TelemetryWindow}, as the operator API shows it
 * (snake_case on the wire). Rates are averages over the whole window length, including its still-filling bucket.
 *
 * @param key               the content id, edge id or region.
 * @param window            minute, hour or day.
 * @param requests          requests answered.
 * @param bytesSent         body bytes sent to viewers.
 * @param ramHits           requests answered from RAM tiers.
 * @param ssdHits           requests answered from SSD tiers.
 * @param misses            requests that needed an origin fill.
 * @param errors            requests answered with an error or aborted.
 * @param hitRatio          (ram + ssd hits) / (hits + misses); 0 when there were none.
 * @param requestsPerSecond requests / window length.
 * @param bitsPerSecond     bytes sent x 8 / window length.
 * @param meanViewers       mean concurrent viewers over the window.
 * @param viewersNow        viewers in the edges' latest telemetry (within the last few seconds).
 * @param estimated         true when the key is in the long tail: only requests are known, as a count-min estimate
 *                          over the current and previous hour (an upper bound), and every other count is 0.
 * @param experience        first-byte and fill latencies and the reference player's QoE over the window; null when
 *                          the edges reported none (or the key is in the long tail).
 */
public record TrafficStats(
    String key,
    String window,
    long requests,
    long bytesSent,
    long ramHits,
    long ssdHits,
    long misses,
    long errors,
    double hitRatio,
    double requestsPerSecond,
    double bitsPerSecond,
    double meanViewers,
    long viewersNow,
    boolean estimated,
    ExperienceStats experience)
{
    static TrafficStats of(final String key, final TelemetryWindow window, final long[] sums, final long viewersNow)
    {
        return of(key, window, sums, viewersNow, null);
    }

    static TrafficStats of(
        final String key, final TelemetryWindow window, final long[] sums, final long viewersNow, final long[] experience)
    {
        final double seconds = window.lengthMs() / 1000.0;
        final long hits = sums[Metric.RAM_HITS] + sums[Metric.SSD_HITS];
        final long lookups = hits + sums[Metric.MISSES];
        return new TrafficStats(key, window.label(), sums[Metric.REQUESTS], sums[Metric.BYTES], sums[Metric.RAM_HITS],
            sums[Metric.SSD_HITS], sums[Metric.MISSES], sums[Metric.ERRORS], lookups == 0 ? 0.0 : (double)hits / lookups,
            sums[Metric.REQUESTS] / seconds, sums[Metric.BYTES] * 8.0 / seconds,
            sums[Metric.VIEWER_MILLIS] / (double)window.lengthMs(), viewersNow, false, ExperienceStats.of(experience));
    }

    static TrafficStats estimate(final String key, final TelemetryWindow window, final long requests)
    {
        return new TrafficStats(key, window.label(), requests, 0, 0, 0, 0, 0, 0.0,
            requests / (window.lengthMs() / 1000.0), 0.0, 0.0, 0, true, null);
    }
}
