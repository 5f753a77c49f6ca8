package io.bifrost.edge.control;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.lang.management.ManagementFactory;

/**
 * What the heartbeat reports about this edge's capacity and load, read from the edge's own gauges
 * ({@code bifrost.edge.cache.used.bytes} / {@code capacity.bytes} per tier, {@code bifrost.edge.connections.open})
 * so the heartbeat needs no reference into the serving path, and the process CPU load from the JVM.
 * Thread-safe (gauges are read as they are).
 */
final class EdgeLoad
{
    private final MeterRegistry meters;
    private final com.sun.management.OperatingSystemMXBean os;

    EdgeLoad(final MeterRegistry meters)
    {
        this.meters = meters;
        this.os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean bean ?
            bean : null;
    }

    long ramUsedBytes()
    {
        return gauge("bifrost.edge.cache.used.bytes", "ram");
    }

    long ramCapacityBytes()
    {
        return gauge("bifrost.edge.cache.capacity.bytes", "ram");
    }

    long ssdUsedBytes()
    {
        return gauge("bifrost.edge.cache.used.bytes", "ssd");
    }

    long ssdCapacityBytes()
    {
        return gauge("bifrost.edge.cache.capacity.bytes", "ssd");
    }

    int activeConnections()
    {
        final Gauge gauge = meters.find("bifrost.edge.connections.open").gauge();
        return gauge == null ? 0 : (int)Math.max(0, gauge.value());
    }

    /**
     * @return process CPU use over the JVM's last sample, 0-1000 of all cores; 0 when unknown.
     */
    int cpuLoadPermille()
    {
        if (os == null)
        {
            return 0;
        }
        final double load = os.getProcessCpuLoad();
        return load < 0 || Double.isNaN(load) ? 0 : (int)Math.round(Math.min(1.0, load) * 1000);
    }

    private long gauge(final String name, final String tier)
    {
        final Gauge gauge = meters.find(name).tag("tier", tier).gauge();
        return gauge == null || Double.isNaN(gauge.value()) ? 0 : (long)Math.max(0, gauge.value());
    }
}
