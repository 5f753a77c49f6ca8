package io.bifrost.edge.control;

import io.bifrost.edge.player.QoeBeacon;

/**
 * What viewers of one content experienced in one telemetry window: time to first byte of the edge's answers, origin
 * fill times, and the reference player's QoE beacons (startup, stalls, switches, played time and bitrate).
 *
 * <p>Histograms are allocated on first use (a content that never misses has no fill histogram) and reused every
 * window: after that, recording allocates nothing. Not thread-safe; {@link ContentTraffic} confines it under its lock.
 */
final class ContentExperience
{
    /** Largest value of a uint16 QoE field on the wire. */
    static final int MAX_UINT16 = 65_534;

    private LogHistogram firstByteMicros;
    private LogHistogram fillMicros;
    private LogHistogram startupMillis;
    private long beacons;
    private long rebuffers;
    private long rebufferMillis;
    private long switches;
    private long playedMillis;
    private long kbpsMillis;

    void recordFirstByte(final long nanos)
    {
        if (firstByteMicros == null)
        {
            firstByteMicros = new LogHistogram();
        }
        firstByteMicros.record(nanos / 1_000);
    }

    void recordFill(final long nanos)
    {
        if (fillMicros == null)
        {
            fillMicros = new LogHistogram();
        }
        fillMicros.record(nanos / 1_000);
    }

    void recordBeacon(final QoeBeacon beacon)
    {
        beacons++;
        if (beacon.startupMs() >= 0)
        {
            if (startupMillis == null)
            {
                startupMillis = new LogHistogram();
            }
            startupMillis.record(beacon.startupMs());
        }
        rebuffers += beacon.rebuffers();
        rebufferMillis += beacon.rebufferMs();
        switches += beacon.switchesUp() + beacon.switchesDown();
        playedMillis += beacon.playedMs();
        // Parser bounds: bitrate <= 1e10 b/s, played <= 3.6e6 ms, so the product stays far below Long.MAX_VALUE.
        kbpsMillis += beacon.bitrateBps() / 1_000 * beacon.playedMs();
    }

    /**
     * Copy this window's summary into {@code into}, then start the next window.
     *
     * @param into the drained copy handed to the telemetry sender.
     */
    void drainInto(final ContentTraffic.Counts into)
    {
        if (firstByteMicros != null)
        {
            into.firstByteP50Micros = firstByteMicros.valueAt(0.5);
            into.firstByteP99Micros = firstByteMicros.valueAt(0.99);
            firstByteMicros.reset();
        }
        if (fillMicros != null)
        {
            into.fillP50Micros = fillMicros.valueAt(0.5);
            into.fillP99Micros = fillMicros.valueAt(0.99);
            fillMicros.reset();
        }
        if (startupMillis != null)
        {
            into.startupP50Millis = clamp16(startupMillis.valueAt(0.5));
            startupMillis.reset();
        }
        into.qoeBeacons = clamp16(beacons);
        into.rebufferCount = clamp16(rebuffers);
        into.rebufferMillis = clamp(rebufferMillis);
        into.switchCount = clamp16(switches);
        into.playedMillis = clamp(playedMillis);
        into.meanBitrateKbps = playedMillis == 0 ? 0 : clamp16(kbpsMillis / playedMillis);
        beacons = 0;
        rebuffers = 0;
        rebufferMillis = 0;
        switches = 0;
        playedMillis = 0;
        kbpsMillis = 0;
    }

    /**
     * @return true when a beacon or a fill was recorded this window (the content is reported even without requests).
     */
    boolean hasSamples()
    {
        return beacons > 0 || fillMicros != null && fillMicros.count() > 0;
    }

    /**
     * @return the value saturated to the wire's uint16 QoE fields (65535 is SBE's null value, so 65534 at most).
     */
    static int clamp16(final long value)
    {
        return (int)Math.min(MAX_UINT16, Math.max(0, value));
    }

    private static int clamp(final long value)
    {
        return (int)Math.min(Integer.MAX_VALUE, Math.max(0, value));
    }
}
