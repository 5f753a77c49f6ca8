package io.bifrost.origin.catalog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;

/**
 * {@code bifrost.origin.videos{status}}: how many videos entered each status since start. Thread-safe.
 */
final class CatalogMetrics
{
    private final Map<VideoStatus, Counter> transitions = new EnumMap<>(VideoStatus.class);

    CatalogMetrics(final MeterRegistry registry)
    {
        for (final VideoStatus status : VideoStatus.values())
        {
            transitions.put(status, Counter.builder("bifrost.origin.videos")
                .description("videos that entered a status since start")
                .tag("status", status.apiName()).register(registry));
        }
    }

    void changed(final VideoStatus status)
    {
        transitions.get(status).increment();
    }
}
