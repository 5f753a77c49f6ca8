package io.bifrost.edge.live;

import io.bifrost.edge.live.HeldRequests.Waiter;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.concurrent.TimeUnit;

/**
 * The hold limits of the requests held on one event loop, without a timer per request. Requests are queued in arrival
 * order per hold length (a rendition's three target durations), so each queue is sorted by deadline; one scheduled
 * sweep per loop, at the earliest deadline still pending, settles what is due (503 or fall back, through
 * {@link Expiry}) and drops the heads that were answered meanwhile. An answered request therefore costs nothing here:
 * no timer to cancel, no task hopping to the loop to cancel it. Memory is bounded by the requests that arrive within
 * one hold length.
 *
 * <p>Confined to its event loop: {@link #add} and the sweep run there.
 */
final class HoldTimeouts implements Runnable
{
    /** What to do with a request still unanswered at its deadline. */
    @FunctionalInterface
    interface Expiry
    {
        /**
         * @param waiter the request (maybe already settled: the callee claims it).
         * @param holdMs how long it was held.
         */
        void expire(Waiter waiter, long holdMs);
    }

    private static final int INITIAL_CAPACITY = 64;

    private final EventExecutor loop;
    private final Expiry expiry;
    private final Long2ObjectHashMap<Queue> byHoldMs = new Long2ObjectHashMap<>();
    private long sweepAtNs = Long.MAX_VALUE;
    private ScheduledFuture<?> sweep;
    private int pending;

    HoldTimeouts(final EventExecutor loop, final Expiry expiry)
    {
        this.loop = loop;
        this.expiry = expiry;
    }

    /**
     * Hold a request for at most {@code holdMs}. Call on the loop.
     */
    void add(final Waiter waiter, final long holdMs)
    {
        Queue queue = byHoldMs.get(holdMs);
        if (queue == null)
        {
            queue = new Queue(holdMs);
            byHoldMs.put(holdMs, queue);
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(holdMs);
        queue.add(waiter, deadlineNs);
        pending++;
        if (deadlineNs < sweepAtNs)
        {
            schedule(deadlineNs);
        }
    }

    /**
     * @return requests queued here (answered ones included until a sweep drops them).
     */
    int pending()
    {
        return pending;
    }

    @Override
    public void run()
    {
        sweep = null;
        sweepAtNs = Long.MAX_VALUE;
        final long nowNs = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (final Queue queue : byHoldMs.values())
        {
            while (queue.size > 0)
            {
                final Waiter head = queue.head();
                if (head.done())
                {
                    queue.poll();
                    pending--;
                }
                else if (queue.headDeadlineNs() - nowNs <= 0)
                {
                    queue.poll();
                    pending--;
                    expiry.expire(head, queue.holdMs);
                }
                else
                {
                    next = Math.min(next, queue.headDeadlineNs());
                    break;
                }
            }
        }
        if (next != Long.MAX_VALUE)
        {
            schedule(next);
        }
    }

    /**
     * At most one sweep is pending: an earlier deadline replaces the later sweep (cancelled here, on the loop, which
     * costs no task).
     */
    private void schedule(final long deadlineNs)
    {
        if (sweep != null)
        {
            sweep.cancel(false);
        }
        sweepAtNs = deadlineNs;
        sweep = loop.schedule(this, Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** A growable ring of (request, deadline) in deadline order. */
    private static final class Queue
    {
        final long holdMs;
        private Waiter[] waiters = new Waiter[INITIAL_CAPACITY];
        private long[] deadlines = new long[INITIAL_CAPACITY];
        private int head;
        private int size;

        Queue(final long holdMs)
        {
            this.holdMs = holdMs;
        }

        void add(final Waiter waiter, final long deadlineNs)
        {
            if (size == waiters.length)
            {
                final Waiter[] grownWaiters = new Waiter[size * 2];
                final long[] grownDeadlines = new long[size * 2];
                for (int i = 0; i < size; i++)
                {
                    grownWaiters[i] = waiters[(head + i) % waiters.length];
                    grownDeadlines[i] = deadlines[(head + i) % waiters.length];
                }
                waiters = grownWaiters;
                deadlines = grownDeadlines;
                head = 0;
            }
            final int tail = (head + size) % waiters.length;
            waiters[tail] = waiter;
            deadlines[tail] = deadlineNs;
            size++;
        }

        Waiter head()
        {
            return waiters[head];
        }

        long headDeadlineNs()
        {
            return deadlines[head];
        }

        void poll()
        {
            waiters[head] = null;
            head = (head + 1) % waiters.length;
            size--;
        }
    }
}
