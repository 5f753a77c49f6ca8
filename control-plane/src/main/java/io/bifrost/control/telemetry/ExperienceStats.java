package io.bifrost.control.telemetry;

/**
 * What viewers of a key (a content, an edge or a region) experienced over one {@link TelemetryWindow}, as the
 * operator API shows it (snake_case on the wire). Percentiles are the weighted means of the edges' per-window
 * percentiles (see {@link Experience}); 0 where there was no sample.
 *
 * @param firstByteP50Micros request head to response head at the edges, median, microseconds.
 * @param firstByteP99Micros the same, 99th percentile.
 * @param fillP50Micros      origin fill (start to last byte), median, microseconds.
 * @param fillP99Micros      the same, 99th percentile.
 * @param qoeBeacons         beacons from the reference player.
 * @param startupP50Millis   play requested to first frame, median, milliseconds.
 * @param rebuffers          stalls after startup.
 * @param rebufferMillis     time stalled after startup.
 * @param rebufferRatio      time stalled / (time played + time stalled); 0 when nothing played.
 * @param switches           rendition switches, up and down.
 * @param playedMillis       media time played.
 * @param meanBitrateKbps    mean bitrate played, weighted by played time, kb/s.
 */
public record ExperienceStats(
    long firstByteP50Micros,
    long firstByteP99Micros,
    long fillP50Micros,
    long fillP99Micros,
    long qoeBeacons,
    long startupP50Millis,
    long rebuffers,
    long rebufferMillis,
    double rebufferRatio,
    long switches,
    long playedMillis,
    long meanBitrateKbps)
{
    /**
     * @param sums the window's sums of {@link Experience} counters, or null.
     * @return the stats, or null when there was nothing (no sample, no beacon).
     */
    static ExperienceStats of(final long[] sums)
    {
        if (sums == null || sums[Experience.FIRST_BYTE_WEIGHT] == 0 && sums[Experience.FILL_WEIGHT] == 0 &&
            sums[Experience.BEACONS] == 0)
        {
            return null;
        }
        final long played = sums[Experience.PLAYED_MILLIS];
        final long stalled = sums[Experience.REBUFFER_MILLIS];
        return new ExperienceStats(
            mean(sums, Experience.FIRST_BYTE_P50, Experience.FIRST_BYTE_WEIGHT),
            mean(sums, Experience.FIRST_BYTE_P99, Experience.FIRST_BYTE_WEIGHT),
            mean(sums, Experience.FILL_P50, Experience.FILL_WEIGHT),
            mean(sums, Experience.FILL_P99, Experience.FILL_WEIGHT),
            sums[Experience.BEACONS],
            mean(sums, Experience.STARTUP_P50, Experience.STARTUP_WEIGHT),
            sums[Experience.REBUFFERS],
            stalled,
            played + stalled == 0 ? 0.0 : (double)stalled / (played + stalled),
            sums[Experience.SWITCHES],
            played,
            mean(sums, Experience.KBPS_MILLIS, Experience.PLAYED_MILLIS));
    }

    private static long mean(final long[] sums, final int total, final int weight)
    {
        return sums[weight] == 0 ? 0 : Math.round((double)sums[total] / sums[weight]);
    }
}
