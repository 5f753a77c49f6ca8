package io.bifrost.ingest.control;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Admission for stream-key checks: at most {@code maxInFlight} calls to the control plane at once, the rest wait
 * in FIFO order, at most {@code maxQueued} of them and each for at most {@code queueTimeoutMs}.
 *
 * <p>Why: a connect burst (an encoder farm restarting, a load test, every publisher reconnecting after a network
 * blip) used to fire one HTTP call per publisher at the same instant. The control plane, or a saturated host, then
 * answered some of them after the call timeout and those publishers were refused although their keys were good. A
 * bounded number of calls keeps the control plane's work (and our connection pool) small, and the per-call timeout
 * starts only when the call is sent, so a publisher that waited in line still gets the full timeout.
 *
 * <p>Fail closed: a full queue and a wait past the queue timeout are {@link AuthorizeOutcome#UNAVAILABLE} refusals
 * (error codes {@code queue.full} and {@code queue.timeout}), never an acceptance. Thread-safe; never blocks.
 */
final class AuthorizeQueue
{
    /** Error code of a check refused because {@code maxQueued} checks already wait. */
    static final String QUEUE_FULL = "queue.full";
    /** Error code of a check that waited {@code queueTimeoutMs} without reaching the control plane. */
    static final String QUEUE_TIMEOUT = "queue.timeout";

    private record Waiter(Supplier<CompletableFuture<AuthorizeAnswer>> call, CompletableFuture<AuthorizeAnswer> result)
    {
    }

    private final int maxInFlight;
    private final int maxQueued;
    private final long queueTimeoutMs;
    private final Executor completions;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private int inFlight;

    /**
     * @param maxInFlight    the most calls outstanding at the control plane, at least 1.
     * @param maxQueued      the most checks waiting for a slot, 0 for none (refuse when all slots are busy).
     * @param queueTimeoutMs the longest a check waits for a slot, milliseconds, at least 1.
     * @param completions    where the next waiter is started when a call ends (keeps the stack flat when calls fail
     *                       at once).
     */
    AuthorizeQueue(final int maxInFlight, final int maxQueued, final long queueTimeoutMs, final Executor completions)
    {
        if (maxInFlight < 1 || maxQueued < 0 || queueTimeoutMs < 1)
        {
            throw new IllegalArgumentException("authorize queue needs maxInFlight >= 1, maxQueued >= 0, " +
                "queueTimeoutMs >= 1, got " + maxInFlight + ", " + maxQueued + ", " + queueTimeoutMs);
        }
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
        this.queueTimeoutMs = queueTimeoutMs;
        this.completions = completions;
    }

    /**
     * @param call sends one check and returns its answer; its future must complete (the HTTP timeout bounds it).
     * @return the answer, or an unavailable refusal when the queue is full or the wait too long.
     */
    CompletableFuture<AuthorizeAnswer> submit(final Supplier<CompletableFuture<AuthorizeAnswer>> call)
    {
        final Waiter waiter = new Waiter(call, new CompletableFuture<>());
        final boolean sendNow;
        synchronized (this)
        {
            if (inFlight < maxInFlight)
            {
                inFlight++;
                sendNow = true;
            }
            else if (waiting.size() < maxQueued)
            {
                waiting.addLast(waiter);
                sendNow = false;
            }
            else
            {
                return CompletableFuture.completedFuture(AuthorizeAnswer.unavailable(QUEUE_FULL));
            }
        }
        if (sendNow)
        {
            start(waiter);
        }
        else
        {
            waiter.result().completeOnTimeout(AuthorizeAnswer.unavailable(QUEUE_TIMEOUT), queueTimeoutMs,
                TimeUnit.MILLISECONDS);
            waiter.result().whenComplete((answer, error) -> forget(waiter));
        }
        return waiter.result();
    }

    /**
     * @return calls outstanding at the control plane now.
     */
    synchronized int inFlight()
    {
        return inFlight;
    }

    /**
     * @return checks waiting for a slot now.
     */
    synchronized int queued()
    {
        return waiting.size();
    }

    private void start(final Waiter waiter)
    {
        CompletableFuture<AuthorizeAnswer> call;
        try
        {
            call = waiter.call().get();
        }
        catch (final RuntimeException ex)
        {
            call = CompletableFuture.completedFuture(AuthorizeAnswer.unavailable(ex.getClass().getSimpleName()));
        }
        call.whenCompleteAsync((answer, error) ->
        {
            waiter.result().complete(null != answer ? answer :
                AuthorizeAnswer.unavailable(null == error ? "no answer" : error.getClass().getSimpleName()));
            startNext();
        }, completions);
    }

    private void startNext()
    {
        Waiter next;
        synchronized (this)
        {
            do
            {
                next = waiting.pollFirst();
            }
            while (null != next && next.result().isDone());
            if (null == next)
            {
                inFlight--;
            }
        }
        if (null != next)
        {
            start(next);
        }
    }

    private synchronized void forget(final Waiter waiter)
    {
        waiting.remove(waiter);
    }
}
