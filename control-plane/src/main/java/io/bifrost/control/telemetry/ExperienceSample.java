package io.bifrost.control.telemetry;

/**
 * One content's experience fields from one EdgeTelemetry entry, filled by the decoder and handed to
 * {@link TelemetryAggregator#onExperience}; reused for every entry (no allocation per entry), so not thread-safe.
 * Values come from the network: negative ones, and SBE's null values of the fields an older edge does not send
 * (Integer.MIN_VALUE for int32, 65535 for uint16), read as 0.
 */
public final class ExperienceSample
{
    private final long[] deltas = new long[Experience.COUNT];
    private boolean empty = true;

    /**
     * Fill from one telemetry entry.
     *
     * @param requests           requests answered in the window (weight of the first-byte percentiles).
     * @param misses             origin fills in the window (weight of the fill percentiles).
     * @param firstByteP50Micros median time to first byte, microseconds; 0 when none.
     * @param firstByteP99Micros 99th percentile of the same.
     * @param fillP50Micros      median origin fill, microseconds; 0 when none.
     * @param fillP99Micros      99th percentile of the same.
     * @param qoeBeacons         QoE beacons in the window.
     * @param startupP50Millis   median startup the beacons reported, ms; 0 when none.
     * @param rebufferCount      stalls reported.
     * @param rebufferMillis     time stalled, ms.
     * @param switchCount        rendition switches.
     * @param playedMillis       media time played, ms.
     * @param meanBitrateKbps    mean bitrate played, kb/s.
     * @return this.
     */
    public ExperienceSample set(
        final long requests,
        final long misses,
        final int firstByteP50Micros,
        final int firstByteP99Micros,
        final int fillP50Micros,
        final int fillP99Micros,
        final int qoeBeacons,
        final int startupP50Millis,
        final int rebufferCount,
        final int rebufferMillis,
        final int switchCount,
        final int playedMillis,
        final int meanBitrateKbps)
    {
        java.util.Arrays.fill(deltas, 0L);
        if (firstByteP50Micros > 0)
        {
            final long weight = Math.max(1, requests);
            deltas[Experience.FIRST_BYTE_WEIGHT] = weight;
            deltas[Experience.FIRST_BYTE_P50] = weight * firstByteP50Micros;
            deltas[Experience.FIRST_BYTE_P99] = weight * Math.max(firstByteP50Micros, firstByteP99Micros);
        }
        if (fillP50Micros > 0)
        {
            // A fill can end in the window before the one that counts its requests: weigh it at least once.
            final long weight = Math.max(1, misses);
            deltas[Experience.FILL_WEIGHT] = weight;
            deltas[Experience.FILL_P50] = weight * fillP50Micros;
            deltas[Experience.FILL_P99] = weight * Math.max(fillP50Micros, fillP99Micros);
        }
        final long beacons = uint16(qoeBeacons);
        deltas[Experience.BEACONS] = beacons;
        if (beacons > 0 && uint16(startupP50Millis) > 0)
        {
            deltas[Experience.STARTUP_WEIGHT] = beacons;
            deltas[Experience.STARTUP_P50] = beacons * uint16(startupP50Millis);
        }
        deltas[Experience.REBUFFERS] = uint16(rebufferCount);
        deltas[Experience.REBUFFER_MILLIS] = Math.max(0, rebufferMillis);
        deltas[Experience.SWITCHES] = uint16(switchCount);
        deltas[Experience.PLAYED_MILLIS] = Math.max(0, playedMillis);
        deltas[Experience.KBPS_MILLIS] = uint16(meanBitrateKbps) * deltas[Experience.PLAYED_MILLIS];
        empty = deltas[Experience.FIRST_BYTE_WEIGHT] == 0 && deltas[Experience.FILL_WEIGHT] == 0 && beacons == 0;
        return this;
    }

    /**
     * @return true when the entry carried no latency sample and no beacon (nothing to aggregate).
     */
    public boolean isEmpty()
    {
        return empty;
    }

    private static long uint16(final int value)
    {
        return value < 0 || value >= 0xFFFF ? 0 : value;
    }

    long[] deltas()
    {
        return deltas;
    }
}
