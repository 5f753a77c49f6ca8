package io.bifrost.control.dashboard;

import io.bifrost.control.telemetry.ExperienceMinute;
import io.bifrost.control.telemetry.ExperienceStats;

/**
 * Viewers' experience over one minute, flat for the dashboard's charts (snake_case on the wire). Latencies are the
 * edges' and beacons' per-window percentiles averaged by weight (see {@link ExperienceStats}); 0 where there was no
 * sample.
 *
 * @param atMs               the minute's start, epoch milliseconds.
 * @param qoeBeacons         beacons from the reference player.
 * @param startupP50Millis   play requested to first frame, median, milliseconds.
 * @param firstByteP50Micros request head to response head at the edges, median, microseconds.
 * @param firstByteP99Micros the same, 99th percentile.
 * @param rebuffers          stalls after startup.
 * @param rebufferRatio      time stalled / (time played + time stalled), 0-1.
 * @param playedMillis       media time played.
 * @param meanBitrateKbps    mean bitrate played, weighted by played time, kb/s.
 */
public record ExperiencePoint(
    long atMs,
    long qoeBeacons,
    long startupP50Millis,
    long firstByteP50Micros,
    long firstByteP99Micros,
    long rebuffers,
    double rebufferRatio,
    long playedMillis,
    long meanBitrateKbps)
{
    /**
     * @param minute one minute of the aggregator's.
     * @return its point.
     */
    static ExperiencePoint of(final ExperienceMinute minute)
    {
        final ExperienceStats stats = minute.experience();
        return new ExperiencePoint(minute.atMs(), stats.qoeBeacons(), stats.startupP50Millis(),
            stats.firstByteP50Micros(), stats.firstByteP99Micros(), stats.rebuffers(), stats.rebufferRatio(),
            stats.playedMillis(), stats.meanBitrateKbps());
    }
}
