package io.bifrost.control.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * API request counters: {@code bifrost.control.api.requests{status}} for every answered request and
 * {@code bifrost.control.api.errors{code}} for every refused one. Thread-safe. Tag values come only from the server's
 * own statuses and error codes (a fixed, small set), never from request content, so the number of series is bounded.
 */
public final class ApiMetrics
{
    private final MeterRegistry registry;
    private final ConcurrentMap<Integer, Counter> byStatus = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> byCode = new ConcurrentHashMap<>();

    /**
     * @param registry where the counters are registered.
     */
    public ApiMetrics(final MeterRegistry registry)
    {
        this.registry = registry;
    }

    /**
     * @param status the HTTP status answered.
     */
    void onResponse(final int status)
    {
        byStatus.computeIfAbsent(status, code -> Counter.builder("bifrost.control.api.requests")
            .description("control-plane API requests by response status")
            .tag("status", Integer.toString(code))
            .register(registry)).increment();
    }

    /**
     * @param code the error code of a refused request, e.g. {@code request.invalid}.
     */
    void onError(final String code)
    {
        byCode.computeIfAbsent(code, name -> Counter.builder("bifrost.control.api.errors")
            .description("control-plane API requests refused, by error code")
            .tag("code", name)
            .register(registry)).increment();
    }
}
