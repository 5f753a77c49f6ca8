package io.bifrost.ingest.control;

import io.bifrost.ingest.sink.IngestProtocol;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Stream status reports ({@code live}/{@code offline}) on their way to the control plane: at most
 * {@code maxInFlight} calls at once, the rest wait, coalesced per stream, in a bounded queue, and a failed call is
 * retried with backoff a bounded number of times.
 *
 * <p>Why: reports share the control plane's API workers with stream-key checks, and a check the control plane cannot
 * take is a refused publisher. 1200 publishers leaving at once used to fire 1200 reports at the same instant, the
 * control plane answered some of them, and the same encoders' reconnect checks, 503. A few calls at a time keep the
 * reports' load on the control plane small; key checks have their own lane ({@link AuthorizeQueue}) and never wait
 * behind a report.
 *
 * <p>Per stream only the latest state matters: a stream has at most one call in flight (so the control plane sees its
 * reports in order) and at most one report waiting. A newer report replaces the waiting one, which is counted as
 * {@code dropped{reason=superseded}} and completes with the newer one's outcome (a {@code live} followed by
 * {@code offline} while both wait sends only {@code offline}; the final state is never lost this way). When
 * {@code maxInFlight + maxQueued} streams have work, a report of a further stream drops the oldest waiting one
 * ({@code dropped{reason=overflow}}, logged). A call that fails for a reason that may pass (connection refused or lost,
 * timeout, 429 or 5xx, {@code 503 server.busy} included) is retried after a jittered backoff doubling from
 * {@code retryBackoffMs} to {@value #MAX_BACKOFF_MS} ms, at most {@code maxAttempts} calls in all; a newer report of
 * the stream replaces a pending retry. A refusal (4xx) is final.
 *
 * <p>Thread-safe; never blocks, except {@link #drain(long)} at shutdown. Meters: {@link StatusReportMetrics}.
 */
final class StatusReportQueue
{
    /** Default bound on reports at the control plane at once. */
    static final int DEFAULT_MAX_IN_FLIGHT = 4;
    /** Default bound on streams with a report waiting. */
    static final int DEFAULT_MAX_QUEUED = 8192;
    /** Default calls of one report before it is given up. */
    static final int DEFAULT_MAX_ATTEMPTS = 8;
    /** Default first retry backoff, milliseconds. */
    static final long DEFAULT_RETRY_BACKOFF_MS = 250;
    /** Longest retry backoff, milliseconds. */
    static final long MAX_BACKOFF_MS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(StatusReportQueue.class);

    /** How one call ended. */
    enum Delivery
    {
        /** The control plane took the report. */
        TAKEN,
        /** The control plane refused it for good (4xx): not retried. */
        REFUSED,
        /** Not answered, or answered with an error that may pass: retried. */
        FAILED
    }

    /** Sends one report; the future must complete (the HTTP timeout bounds it). */
    @FunctionalInterface
    interface Sender
    {
        /**
         * @param streamId the stream.
         * @param status   {@code live} or {@code offline}.
         * @param protocol how it is published.
         * @return how the call ended.
         */
        CompletableFuture<Delivery> send(String streamId, String status, IngestProtocol protocol);
    }

    private static final class Stream
    {
        private final String streamId;
        private StatusReport pending;
        private boolean sending;
        private boolean backingOff;

        private Stream(final String streamId)
        {
            this.streamId = streamId;
        }
    }

    private final Sender sender;
    private final int maxInFlight;
    private final int maxQueued;
    private final int maxAttempts;
    private final long retryBackoffMs;
    private final Executor completions;
    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private final ArrayDeque<Stream> ready = new ArrayDeque<>();
    private final StatusReportMetrics metrics;
    private int inFlight;
    private int queued;
    private boolean closing;
    private boolean closed;

    /**
     * @param sender         sends one report.
     * @param maxInFlight    the most calls outstanding at once, at least 1.
     * @param maxQueued      the most streams with a report waiting, at least 1.
     * @param maxAttempts    the most calls of one report, at least 1.
     * @param retryBackoffMs the first retry's backoff, milliseconds, at least 1.
     * @param completions    where completions and retries run (must run a task inline rather than reject it).
     * @param meterRegistry  where the meters go.
     */
    StatusReportQueue(final Sender sender, final int maxInFlight, final int maxQueued, final int maxAttempts,
        final long retryBackoffMs, final Executor completions, final MeterRegistry meterRegistry)
    {
        if (maxInFlight < 1 || maxQueued < 1 || maxAttempts < 1 || retryBackoffMs < 1)
        {
            throw new IllegalArgumentException("status reports need maxInFlight >= 1, maxQueued >= 1, maxAttempts " +
                ">= 1, retryBackoffMs >= 1, got " + maxInFlight + ", " + maxQueued + ", " + maxAttempts + ", " +
                retryBackoffMs);
        }
        this.sender = sender;
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
        this.maxAttempts = maxAttempts;
        this.retryBackoffMs = retryBackoffMs;
        this.completions = completions;
        this.metrics = new StatusReportMetrics(meterRegistry, this);
    }

    /**
     * Queue a report; never blocks.
     *
     * @param streamId the stream.
     * @param status   {@code live} or {@code offline}.
     * @param protocol how it is published.
     * @return completes true when the control plane took this report or a newer one of the stream that replaced it,
     *         false when neither will reach it; never exceptionally.
     */
    CompletableFuture<Boolean> submit(final String streamId, final String status, final IngestProtocol protocol)
    {
        final StatusReport report = new StatusReport(status, protocol);
        final List<StatusReport.Outcome> outcomes = new ArrayList<>(1);
        synchronized (this)
        {
            if (closed)
            {
                metrics.onFailed();
                report.result().complete(false);
                return report.result();
            }
            final Stream stream = streams.get(streamId);
            if (null == stream)
            {
                if (streams.size() >= maxInFlight + maxQueued)
                {
                    dropOldestWaiting(outcomes);
                }
                final Stream added = new Stream(streamId);
                added.pending = report;
                streams.put(streamId, added);
                ready.addLast(added);
                queued++;
            }
            else if (null != stream.pending)
            {
                metrics.onSuperseded();
                outcomes.add(new StatusReport.Outcome(stream.pending, false, report));
                stream.pending = report;
            }
            else
            {
                stream.pending = report; // sending: follows when the call ends
                queued++;
            }
        }
        StatusReport.complete(outcomes);
        pump();
        return report.result();
    }

    /**
     * @return calls outstanding now.
     */
    synchronized int inFlight()
    {
        return inFlight;
    }

    /**
     * @return reports waiting to be sent or retried now.
     */
    synchronized int queued()
    {
        return queued;
    }

    /**
     * Stop retrying, send what waits at once, and wait until every report has ended or {@code timeoutMs} passed;
     * reports still waiting then are given up. Reports submitted meanwhile are still sent; later ones are not.
     *
     * @param timeoutMs the longest wait, milliseconds.
     */
    void drain(final long timeoutMs)
    {
        synchronized (this)
        {
            closing = true;
            for (final Stream stream : streams.values())
            {
                if (stream.backingOff)
                {
                    stream.backingOff = false;
                    ready.addLast(stream);
                }
            }
        }
        pump();
        final List<StatusReport.Outcome> outcomes = new ArrayList<>();
        synchronized (this)
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            long left;
            while (!streams.isEmpty() && (left = deadline - System.nanoTime()) > 0)
            {
                try
                {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            closed = true;
            for (final Stream stream : streams.values())
            {
                if (null != stream.pending)
                {
                    metrics.onFailed();
                    outcomes.add(new StatusReport.Outcome(stream.pending, false, null));
                    stream.pending = null;
                }
            }
            ready.clear();
            queued = 0;
        }
        StatusReport.complete(outcomes);
    }

    private void pump()
    {
        while (true)
        {
            final Stream stream;
            final StatusReport report;
            synchronized (this)
            {
                if (inFlight >= maxInFlight || ready.isEmpty())
                {
                    return;
                }
                stream = ready.pollFirst();
                report = stream.pending;
                stream.pending = null;
                stream.sending = true;
                queued--;
                inFlight++;
            }
            send(stream, report);
        }
    }

    private void send(final Stream stream, final StatusReport report)
    {
        CompletableFuture<Delivery> call;
        try
        {
            call = sender.send(stream.streamId, report.status(), report.protocol());
        }
        catch (final RuntimeException ex)
        {
            call = CompletableFuture.completedFuture(Delivery.FAILED);
        }
        call.whenCompleteAsync((delivery, error) -> onCallEnded(stream, report,
            null == delivery ? Delivery.FAILED : delivery), completions);
    }

    private void onCallEnded(final Stream stream, final StatusReport report, final Delivery delivery)
    {
        final List<StatusReport.Outcome> outcomes = new ArrayList<>(1);
        long backoffMs = 0;
        synchronized (this)
        {
            inFlight--;
            stream.sending = false;
            if (Delivery.TAKEN == delivery)
            {
                metrics.onSent();
                outcomes.add(new StatusReport.Outcome(report, true, null));
            }
            else if (Delivery.FAILED == delivery && null != stream.pending)
            {
                metrics.onSuperseded(); // the newer report waiting carries the stream's state now
                outcomes.add(new StatusReport.Outcome(report, false, stream.pending));
            }
            else if (Delivery.FAILED == delivery && !closing && report.failedAgain() < maxAttempts)
            {
                metrics.onRetried();
                stream.pending = report;
                stream.backingOff = true;
                queued++;
                backoffMs = report.backoffMs(retryBackoffMs, MAX_BACKOFF_MS);
            }
            else
            {
                metrics.onFailed();
                outcomes.add(new StatusReport.Outcome(report, false, null));
                LOG.warn("ingest: status '{}' of {} not taken by the control plane ({})", report.status(),
                    stream.streamId, Delivery.REFUSED == delivery ? "refused" : "given up after " +
                    report.attempts() + " call(s)");
            }
            settle(stream);
        }
        StatusReport.complete(outcomes);
        if (backoffMs > 0)
        {
            LOG.debug("ingest: status '{}' of {} retried in {} ms", report.status(), stream.streamId, backoffMs);
            CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS, completions)
                .execute(() -> onBackoffEnded(stream));
        }
        pump();
    }

    private void onBackoffEnded(final Stream stream)
    {
        synchronized (this)
        {
            if (!stream.backingOff || streams.get(stream.streamId) != stream)
            {
                return; // sent at once by drain, or dropped
            }
            stream.backingOff = false;
            settle(stream);
        }
        pump();
    }

    /** After a call or a backoff: the stream's waiting report is next in line, or the stream has no work left. */
    private void settle(final Stream stream)
    {
        if (stream.backingOff)
        {
            return;
        }
        if (null != stream.pending)
        {
            ready.addLast(stream);
        }
        else
        {
            streams.remove(stream.streamId, stream);
            if (streams.isEmpty())
            {
                notifyAll();
            }
        }
    }

    private void dropOldestWaiting(final List<StatusReport.Outcome> outcomes)
    {
        final Iterator<Stream> oldestFirst = streams.values().iterator();
        while (oldestFirst.hasNext())
        {
            final Stream stream = oldestFirst.next();
            if (null != stream.pending)
            {
                metrics.onOverflow();
                LOG.warn("ingest: status '{}' of {} dropped: {} streams already have reports waiting",
                    stream.pending.status(), stream.streamId, maxQueued);
                outcomes.add(new StatusReport.Outcome(stream.pending, false, null));
                stream.pending = null;
                queued--;
                if (!stream.sending)
                {
                    oldestFirst.remove();
                    ready.remove(stream);
                    if (streams.isEmpty())
                    {
                        notifyAll();
                    }
                }
                return;
            }
        }
    }
}
