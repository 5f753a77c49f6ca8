package io.bifrost.ingest.control;

import io.bifrost.ingest.sink.IngestProtocol;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One status report in a {@link StatusReportQueue}: the state to send, the calls made so far, and the future its
 * submitter waits on. How a report ended is an {@link Outcome}, completed outside the queue's lock (a submitter's
 * callback may submit again). A report replaced by a newer one of its stream ends with the newer one's outcome, so
 * the final state of a stream is never reported lost when it was only coalesced.
 */
final class StatusReport
{
    /** How one report ended: taken or not, or handed over to the newer report that replaced it. */
    record Outcome(StatusReport report, boolean taken, StatusReport successor)
    {
    }

    private final String status;
    private final IngestProtocol protocol;
    private final CompletableFuture<Boolean> result = new CompletableFuture<>();
    private int attempts;

    /**
     * @param status   {@code live} or {@code offline}.
     * @param protocol how the stream is published.
     */
    StatusReport(final String status, final IngestProtocol protocol)
    {
        this.status = status;
        this.protocol = protocol;
    }

    /** @return {@code live} or {@code offline}. */
    String status()
    {
        return status;
    }

    /** @return how the stream is published. */
    IngestProtocol protocol()
    {
        return protocol;
    }

    /** @return completes true when the control plane took this report or its successor, else false. */
    CompletableFuture<Boolean> result()
    {
        return result;
    }

    /** @return calls of this report that failed, after one more. Under the queue's lock. */
    int failedAgain()
    {
        return ++attempts;
    }

    /** @return calls of this report that failed so far. Under the queue's lock. */
    int attempts()
    {
        return attempts;
    }

    /**
     * @param firstMs the first retry's backoff, milliseconds.
     * @param maxMs   the longest backoff, milliseconds.
     * @return the backoff before this report's next call: a random time between half and all of {@code firstMs}
     *         doubled per failed call, at most {@code maxMs} (jitter, so reports that failed together spread out).
     */
    long backoffMs(final long firstMs, final long maxMs)
    {
        final long ceiling = Math.min(maxMs, firstMs << Math.min(attempts - 1, 20));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    /**
     * Complete the futures of ended reports; outside the queue's lock.
     *
     * @param outcomes how each ended.
     */
    static void complete(final List<Outcome> outcomes)
    {
        for (final Outcome outcome : outcomes)
        {
            if (null == outcome.successor())
            {
                outcome.report().result.complete(outcome.taken());
            }
            else
            {
                outcome.successor().result.whenComplete((taken, error) ->
                    outcome.report().result.complete(Boolean.TRUE.equals(taken)));
            }
        }
    }
}
