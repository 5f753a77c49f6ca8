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
 *   <li>{@code bifrost.ingest.recording.pauses}: times the disk fell behind and the publisher was paused (for
 *   either bound).</li>
 *   <li>{@code bifrost.ingest.recording.paused{reason=process}}: of those, pauses because all streams together
 *   queued more than {@code ingest.recording-buffer-bytes}.</li>
 *   <li>{@code bifrost.ingest.recording.allocation.failed}: recordings stopped because a tag's buffer could not be
 *   allocated (direct memory exhausted); the publish went on.</li>
 *   <li>gauge {@code bifrost.ingest.recording.queued.bytes}: bytes all recordings hold for the disk now (registered by
 *   {@link FlvRecordingSinkFactory}).</li>
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
    private final Counter processPauses;
    private final Counter allocationFailed;

    RecordingMetrics(final MeterRegistry registry)
    {
        started = Counter.builder("bifrost.ingest.recording.started").register(registry);
        bytes = Counter.builder("bifrost.ingest.recording.bytes").baseUnit("bytes").register(registry);
        truncated = Counter.builder("bifrost.ingest.recording.truncated").register(registry);
        dropped = Counter.builder("bifrost.ingest.recording.dropped.tags").register(registry);
        failed = Counter.builder("bifrost.ingest.recording.failed").register(registry);
        pauses = Counter.builder("bifrost.ingest.recording.pauses").register(registry);
        processPauses = Counter.builder("bifrost.ingest.recording.paused").tag("reason", "process").register(registry);
        allocationFailed = Counter.builder("bifrost.ingest.recording.allocation.failed").register(registry);
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

    void onPaused(final boolean forProcess)
    {
        pauses.increment();
        if (forProcess)
        {
            processPauses.increment();
        }
    }

    void onAllocationFailed()
    {
        allocationFailed.increment();
    }

    long truncated()
    {
        return (long)truncated.count();
    }
}
