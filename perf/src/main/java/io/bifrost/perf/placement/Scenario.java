package io.bifrost.perf.placement;

import java.util.List;

/**
 * What one simulation run models. Times are in ticks of one segment duration; the run covers {@code warmupHours}
 * (caches fill, not measured) then {@code measuredHours}.
 *
 * @param name                   shown in the report.
 * @param seed                   the seed of every random draw (same seed, same trace, same numbers).
 * @param titles                 catalog size.
 * @param zipfS                  Zipf exponent of title popularity.
 * @param regions                region names.
 * @param utcOffsetHours         each region's clock offset, for the daily cycle (evening peak at 21:00 local).
 * @param edgesPerRegion         edges in each region.
 * @param edgeCapacityBytes      cache capacity of every edge.
 * @param segmentSeconds         segment duration (one tick).
 * @param peakArrivalsPerMinute  new sessions per minute in one region at its evening peak.
 * @param warmupHours            hours simulated before measuring.
 * @param measuredHours          hours measured.
 * @param viral                  the flash crowd, or null for a steady day.
 */
record Scenario(
    String name,
    long seed,
    int titles,
    double zipfS,
    List<String> regions,
    List<Integer> utcOffsetHours,
    int edgesPerRegion,
    long edgeCapacityBytes,
    int segmentSeconds,
    double peakArrivalsPerMinute,
    int warmupHours,
    int measuredHours,
    Viral viral)
{
    /**
     * A flash crowd for one brand-new title: its arrival rate in the first region starts at {@code startHour} (from
     * the start of the measured period), doubles every {@code doublingMinutes} up to {@code peakShare} times the
     * region's own peak arrival rate, then halves every {@code halfLifeHours}; each further region follows
     * {@code regionLagMinutes} later.
     *
     * @param startHour        when it starts in the first region, hours into the measured period.
     * @param segments         the title's length in segments.
     * @param segmentBytes     bytes per segment.
     * @param peakShare        peak arrivals of the title relative to the region's peak arrivals.
     * @param doublingMinutes  ramp speed.
     * @param halfLifeHours    decay after the peak.
     * @param regionLagMinutes delay between regions.
     * @param windowHours      length of the reported flash-crowd window.
     */
    record Viral(
        double startHour,
        int segments,
        long segmentBytes,
        double peakShare,
        double doublingMinutes,
        double halfLifeHours,
        double regionLagMinutes,
        double windowHours)
    {
    }

    /**
     * @param edgeBytes edge capacity, or negative to keep this one's.
     * @param viralPeak the flash crowd's peak share, or negative to keep this one's (no effect without one).
     * @return a copy with those changed.
     */
    Scenario with(final long edgeBytes, final double viralPeak)
    {
        final Viral v = viral == null || viralPeak < 0 ? viral : new Viral(viral.startHour, viral.segments,
            viral.segmentBytes, viralPeak, viral.doublingMinutes, viral.halfLifeHours, viral.regionLagMinutes,
            viral.windowHours);
        return new Scenario(name, seed, titles, zipfS, regions, utcOffsetHours, edgesPerRegion,
            edgeBytes < 0 ? edgeCapacityBytes : edgeBytes, segmentSeconds, peakArrivalsPerMinute, warmupHours,
            measuredHours, v);
    }

    int ticksPerMinute()
    {
        return 60 / segmentSeconds;
    }

    int ticksPerHour()
    {
        return 3600 / segmentSeconds;
    }

    int warmupTicks()
    {
        return warmupHours * ticksPerHour();
    }

    int totalTicks()
    {
        return (warmupHours + measuredHours) * ticksPerHour();
    }

    int edgeCount()
    {
        return regions.size() * edgesPerRegion;
    }

    /**
     * @param seed the seed.
     * @return a steady day: 4000 titles, Zipf 0.9, 3 regions x 4 edges of 48 GiB, 40 sessions a minute per region at
     *     the evening peak, 4 h warm-up + 24 h.
     */
    static Scenario steadyDay(final long seed)
    {
        return new Scenario("steady day", seed, 4000, 0.9, List.of("eu", "us", "ap"), List.of(0, -6, 8), 4,
            48L << 30, 6, 40, 4, 24, null);
    }

    /**
     * @param seed the seed.
     * @return the steady day plus a viral 30-minute episode at 12:00 (eu), 3x the regions' peak arrivals at its top.
     */
    static Scenario flashCrowd(final long seed)
    {
        return new Scenario("flash crowd", seed, 4000, 0.9, List.of("eu", "us", "ap"), List.of(0, -6, 8), 4,
            48L << 30, 6, 40, 4, 24, new Viral(12, 300, 3L << 20, 3.0, 3, 1.5, 30, 3));
    }

    /**
     * @param name  the name.
     * @param seed  the seed.
     * @param viral with a flash crowd or not.
     * @return a small scenario for tests: 300 titles, 2 regions x 2 edges, 1 h warm-up + 3 h.
     */
    static Scenario small(final String name, final long seed, final boolean viral)
    {
        return new Scenario(name, seed, 300, 0.9, List.of("eu", "us"), List.of(0, -6), 2, 2L << 30, 6, 8, 1, 3,
            viral ? new Viral(1, 100, 1L << 20, 2.0, 3, 0.5, 20, 1.5) : null);
    }
}
