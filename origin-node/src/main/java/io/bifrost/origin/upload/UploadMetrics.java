package io.bifrost.origin.upload;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The upload service's meters ({@code bifrost.upload.*}): uploads created, completed, terminated, expired and
 * rejected (by reason code), requests refused (by error code), bytes received, checksum failures and the uploads open
 * now. Thread-safe.
 */
final class UploadMetrics
{
    private final MeterRegistry registry;
    private final Counter created;
    private final Counter completed;
    private final Counter terminated;
    private final Counter expired;
    private final Counter bytesReceived;
    private final Counter checksumFailures;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();

    UploadMetrics(final MeterRegistry registry, final Supplier<Number> openUploads)
    {
        this.registry = registry;
        created = Counter.builder("bifrost.upload.created").description("upload sessions created").register(registry);
        completed = Counter.builder("bifrost.upload.completed")
            .description("uploads received, fsynced and validated").register(registry);
        terminated = Counter.builder("bifrost.upload.terminated")
            .description("uploads deleted by the client").register(registry);
        expired = Counter.builder("bifrost.upload.expired")
            .description("unfinished uploads removed after their expiry").register(registry);
        bytesReceived = Counter.builder("bifrost.upload.received").baseUnit("bytes")
            .description("upload bytes fsynced and acknowledged").register(registry);
        checksumFailures = Counter.builder("bifrost.upload.checksum.failures")
            .description("PATCH bodies discarded because Upload-Checksum did not match").register(registry);
        Gauge.builder("bifrost.upload.open", openUploads).description("uploads in progress or being validated")
            .register(registry);
    }

    void created()
    {
        created.increment();
    }

    void completed()
    {
        completed.increment();
    }

    void terminated()
    {
        terminated.increment();
    }

    void expired()
    {
        expired.increment();
    }

    void received(final long bytes)
    {
        bytesReceived.increment(bytes);
    }

    void checksumFailure()
    {
        checksumFailures.increment();
    }

    /** An upload was refused as a video, e.g. {@code upload.not_video} or {@code source.decompression_bomb}. */
    void rejected(final String reason)
    {
        rejected.computeIfAbsent(reason, code -> Counter.builder("bifrost.upload.rejected")
            .description("uploads refused as video, by reason").tag("reason", code).register(registry)).increment();
    }

    /** A request was refused, e.g. {@code tus.offset_mismatch}; codes come from a fixed set in this package. */
    void refused(final String code)
    {
        refused.computeIfAbsent(code, c -> Counter.builder("bifrost.upload.requests.refused")
            .description("upload requests answered with an error, by error code").tag("code", c).register(registry))
            .increment();
    }
}
