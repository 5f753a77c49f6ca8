package io.bifrost.launcher.ops;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The process's one Prometheus registry, with JVM, GC, thread, CPU and uptime meters bound. Every role in the process
 * registers into it, so one scrape of {@code /metrics} covers them all.
 */
public final class NodeMetrics implements AutoCloseable
{
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    /**
     * Create the registry and bind the process meters.
     */
    public NodeMetrics()
    {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * @return the registry roles register their meters in.
     */
    public PrometheusMeterRegistry registry()
    {
        return registry;
    }

    /**
     * @return the Prometheus text exposition of every meter.
     */
    public String scrape()
    {
        return registry.scrape();
    }

    @Override
    public void close()
    {
        gcMetrics.close();
        registry.close();
    }
}
