package io.bifrost.ingest.record;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The recorder's counters. Thread-safe.
 *
 * <ul>
 *   <li>{@code bifrost.ingest.recording.started}: files opened.</li>
 *   <li>{@code bifrost.ingest.recording.bytes}: bytes written.</li>
 *   <li>{@code bifrost.ingest.recording.truncated}: recordings stopped at {@code ingest.recording-max-bytes}.</li>
 *   <li>{@code bifrost.ingest.recording.dropped.tags}: tags not recorded because their recording had stopped.</li>
 *   <li>{@code bifrost.ingest.recording.failed}: recordings stopped by an I/O error.</li>
 *   <li>{@code bifrost.ingest.recording.pauses}: times the disk fell behind and the publisher was paused.</li>
 * </ul>
 */
final class RecordingMetrics
{
    private final Counter started;
    private final Counter bytes;
    private final Counter truncated;
    private final Counter dropped;
    private final Counter failed;
    private final Counter pauses;

    RecordingMetrics(final MeterRegistry registry)
    {
        started = Counter.builder("bifrost.ingest.recording.started").register(registry);
        bytes = Counter.builder("bifrost.ingest.recording.bytes").baseUnit("bytes").register(registry);
        truncated = Counter.builder("bifrost.ingest.recording.truncated").register(registry);
        dropped = Counter.builder("bifrost.ingest.recording.dropped.tags").register(registry);
        failed = Counter.builder("bifrost.ingest.recording.failed").register(registry);
        pauses = Counter.builder("bifrost.ingest.recording.pauses").register(registry);
    }

    void onStarted()
    {
        started.increment();
    }

    void onWritten(final long count)
    {
        bytes.increment(count);
    }

    void onTruncated()
    {
        truncated.increment();
    }

    void onDropped()
    {
        dropped.increment();
    }

    void onFailed()
    {
        failed.increment();
    }

    void onPaused()
    {
        pauses.increment();
    }

    long truncated()
    {
        return (long)truncated.count();
    }
}
