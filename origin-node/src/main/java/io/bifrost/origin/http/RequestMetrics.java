package io.bifrost.origin.http;

import io.bifrost.protocol.naming.PathRejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The origin HTTP counters: {@code bifrost.origin.requests{outcome}}, {@code bifrost.origin.rejected.paths{reason}}
 * and {@code bifrost.origin.served.bytes}. Thread-safe.
 */
final class RequestMetrics
{
    /** How a request ended. */
    enum Outcome
    {
        CONTENT, PARTIAL, NOT_MODIFIED, NOT_FOUND, RANGE_NOT_SATISFIABLE, BAD_PATH, METHOD_NOT_ALLOWED, MALFORMED,
        TOO_LARGE, API, API_ERROR, OPS, PREFLIGHT, ERROR
    }

    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
    private final Map<PathRejection, Counter> rejections = new EnumMap<>(PathRejection.class);
    private final Counter servedBytes;

    RequestMetrics(final MeterRegistry registry)
    {
        for (final Outcome outcome : Outcome.values())
        {
            outcomes.put(outcome, Counter.builder("bifrost.origin.requests")
                .description("origin HTTP requests by how they ended")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        for (final PathRejection rejection : PathRejection.values())
        {
            rejections.put(rejection, Counter.builder("bifrost.origin.rejected.paths")
                .description("content requests refused because the path names no content")
                .tag("reason", rejection.code()).register(registry));
        }
        servedBytes = Counter.builder("bifrost.origin.served.bytes").description("content body bytes sent")
            .baseUnit("bytes").register(registry);
    }

    void count(final Outcome outcome)
    {
        outcomes.get(outcome).increment();
    }

    void rejected(final PathRejection rejection)
    {
        count(Outcome.BAD_PATH);
        rejections.get(rejection).increment();
    }

    void served(final long bytes)
    {
        servedBytes.increment(bytes);
    }
}
