package io.bifrost.ingest.control;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of a {@link StatusReportQueue}: {@code bifrost.ingest.control.status{outcome=sent|failed}} (reports
 * taken; reports refused or given up), {@code bifrost.ingest.control.status.dropped{reason=superseded|overflow}},
 * {@code bifrost.ingest.control.status.retried}, gauges {@code bifrost.ingest.control.status.in-flight} and
 * {@code bifrost.ingest.control.status.queued}. Thread-safe.
 */
final class StatusReportMetrics
{
    private final Counter sent;
    private final Counter failed;
    private final Counter superseded;
    private final Counter overflow;
    private final Counter retried;

    /**
     * @param meterRegistry where the meters go.
     * @param queue         the queue whose in-flight and queued counts the gauges read.
     */
    StatusReportMetrics(final MeterRegistry meterRegistry, final StatusReportQueue queue)
    {
        sent = Counter.builder("bifrost.ingest.control.status").tag("outcome", "sent")
            .description("status reports the control plane took").register(meterRegistry);
        failed = Counter.builder("bifrost.ingest.control.status").tag("outcome", "failed")
            .description("status reports refused by the control plane or given up after retries")
            .register(meterRegistry);
        superseded = dropped(meterRegistry, "superseded");
        overflow = dropped(meterRegistry, "overflow");
        retried = Counter.builder("bifrost.ingest.control.status.retried")
            .description("status report calls sent again after a failure").register(meterRegistry);
        Gauge.builder("bifrost.ingest.control.status.in-flight", queue, StatusReportQueue::inFlight)
            .description("status reports outstanding at the control plane").register(meterRegistry);
        Gauge.builder("bifrost.ingest.control.status.queued", queue, StatusReportQueue::queued)
            .description("status reports waiting to be sent (or retried)").register(meterRegistry);
    }

    /** The control plane took a report. */
    void onSent()
    {
        sent.increment();
    }

    /** A report was refused, given up after its retries, or never sent (closed). */
    void onFailed()
    {
        failed.increment();
    }

    /** A newer report of the stream replaced a waiting one. */
    void onSuperseded()
    {
        superseded.increment();
    }

    /** The queue was full: the oldest waiting report was dropped. */
    void onOverflow()
    {
        overflow.increment();
    }

    /** A failed call will be sent again after its backoff. */
    void onRetried()
    {
        retried.increment();
    }

    private static Counter dropped(final MeterRegistry meterRegistry, final String reason)
    {
        return Counter.builder("bifrost.ingest.control.status.dropped").tag("reason", reason)
            .description("status reports not sent: replaced by a newer one of the stream, or the queue was full")
            .register(meterRegistry);
    }
}
