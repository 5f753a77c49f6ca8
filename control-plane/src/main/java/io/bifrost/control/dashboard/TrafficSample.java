package io.bifrost.control.dashboard;

/**
 * Fleet-wide traffic at one instant: every edge's telemetry over the trailing minute, as rates (snake_case on the
 * wire). A sample every {@link TrafficHistory#intervalMs()} makes a smooth line without losing a burst between
 * samples.
 *
 * @param atMs              when it was taken, epoch milliseconds (control-plane clock).
 * @param requestsPerSecond requests answered per second.
 * @param bitsPerSecond     bits sent to viewers per second.
 * @param hitRatio          (RAM + SSD hits) / (hits + origin fills), 0-1; 0 when there were no lookups.
 * @param errorsPerSecond   error answers per second.
 * @param viewers           viewers in the edges' latest telemetry, over every content.
 */
public record TrafficSample(
    long atMs,
    double requestsPerSecond,
    double bitsPerSecond,
    double hitRatio,
    double errorsPerSecond,
    long viewers)
{
}
