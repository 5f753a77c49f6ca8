package io.bifrost.control.dashboard;

import io.bifrost.control.telemetry.TelemetryAggregator;
import io.bifrost.control.telemetry.TelemetryWindow;
import io.bifrost.control.telemetry.TrafficStats;
import org.agrona.concurrent.Agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A bounded in-memory history of fleet-wide traffic for the dashboard's line charts: every {@code intervalMs} (10 s by
 * default) one {@link TrafficSample} of the trailing minute's telemetry summed over every region, the latest
 * {@code capacity} (360 by default: one hour) kept in a ring, the oldest dropped. Memory is fixed at construction.
 *
 * <p>An Agrona {@link Agent}: the control plane runs it on its edge agent thread (the one that feeds the telemetry),
 * so it samples only while edges can report. Sampling and reading are synchronized (one sample every few seconds,
 * read by dashboard requests). A history lives as long as the process: a restart starts an empty chart.
 */
public final class TrafficHistory implements Agent
{
    /** Default sampling interval. */
    public static final long DEFAULT_INTERVAL_MS = 10_000;
    /** Default samples kept: one hour at the default interval. */
    public static final int DEFAULT_CAPACITY = 360;

    private final TelemetryAggregator telemetry;
    private final LongSupplier clock;
    private final long intervalMs;
    private final TrafficSample[] ring;
    private int next;
    private int size;
    private long nextSampleMs = Long.MIN_VALUE;

    /**
     * @param telemetry  the aggregated telemetry.
     * @param clock      epoch milliseconds.
     * @param intervalMs time between samples (100 ms to 10 min).
     * @param capacity   samples kept (1 to 100000).
     */
    public TrafficHistory(
        final TelemetryAggregator telemetry, final LongSupplier clock, final long intervalMs, final int capacity)
    {
        if (intervalMs < 100 || intervalMs > 600_000 || capacity < 1 || capacity > 100_000)
        {
            throw new IllegalArgumentException("traffic history: the interval must be 100 ms to 10 min and the capacity " +
                "1 to 100000 samples, got " + intervalMs + " ms and " + capacity);
        }
        this.telemetry = telemetry;
        this.clock = clock;
        this.intervalMs = intervalMs;
        this.ring = new TrafficSample[capacity];
    }

    /**
     * @return the telemetry it samples.
     */
    TelemetryAggregator telemetry()
    {
        return telemetry;
    }

    /**
     * @return the time between samples in milliseconds.
     */
    public long intervalMs()
    {
        return intervalMs;
    }

    /**
     * @return the most samples kept.
     */
    public int capacity()
    {
        return ring.length;
    }

    @Override
    public int doWork()
    {
        final long nowMs = clock.getAsLong();
        if (nowMs < nextSampleMs)
        {
            return 0;
        }
        sample(nowMs);
        nextSampleMs = nowMs + intervalMs;
        return 1;
    }

    @Override
    public String roleName()
    {
        return "control-traffic-history";
    }

    /**
     * Take one sample now (the agent calls this on its schedule; tests may call it directly).
     *
     * @param nowMs the control plane's clock.
     * @return the sample taken.
     */
    public TrafficSample sample(final long nowMs)
    {
        final Map<String, TrafficStats> regions = telemetry.regions(TelemetryWindow.MINUTE, nowMs);
        long requests = 0;
        long bytes = 0;
        long hits = 0;
        long misses = 0;
        long errors = 0;
        for (final TrafficStats region : regions.values())
        {
            requests += region.requests();
            bytes += region.bytesSent();
            hits += region.ramHits() + region.ssdHits();
            misses += region.misses();
            errors += region.errors();
        }
        long viewers = 0;
        for (final long contentViewers : telemetry.viewersNow(nowMs).values())
        {
            viewers += contentViewers;
        }
        final double seconds = TelemetryWindow.MINUTE.lengthMs() / 1000.0;
        final TrafficSample sample = new TrafficSample(nowMs, requests / seconds, bytes * 8.0 / seconds,
            hits + misses == 0 ? 0.0 : (double)hits / (hits + misses), errors / seconds, viewers);
        synchronized (this)
        {
            ring[next] = sample;
            next = (next + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
        }
        return sample;
    }

    /**
     * @return the samples kept, oldest first.
     */
    public synchronized List<TrafficSample> samples()
    {
        final List<TrafficSample> samples = new ArrayList<>(size);
        for (int i = 0; i < size; i++)
        {
            samples.add(ring[(next - size + i + ring.length) % ring.length]);
        }
        return samples;
    }
}
