package io.bifrost.edge.live;

import io.bifrost.edge.cache.CacheHit;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The answer to one live request, given exactly once, always on the viewer connection's event loop: a body, a refusal
 * (400 bad blocking parameters, 503 held too long), or "not here" (the caller takes its normal fill path).
 *
 * <p>A held request waits in its rendition's waiter list; whoever settles it first (the part's arrival on the Aeron
 * thread, the timeout on the event loop, the end of the stream) {@link #claim}s it, and the answer hops to the event
 * loop. No thread waits: thousands of held requests cost one small object each. A viewer that leaves calls
 * {@link #cancel()} (on its event loop); an answer that arrives afterwards is dropped and its body released.
 */
public abstract class LiveReply
{
    private final EventExecutor loop;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile ScheduledFuture<?> timeout;

    /**
     * @param loop the viewer connection's event loop.
     */
    protected LiveReply(final EventExecutor loop)
    {
        this.loop = loop;
    }

    /**
     * Serve this body (status 200).
     *
     * @param hit the body; this reply owns it and must release it.
     */
    protected abstract void onHit(CacheHit hit);

    /**
     * Answer with an error status.
     *
     * @param status  HTTP status (400 or 503).
     * @param code    short machine-readable reason.
     * @param message what went wrong, for people.
     */
    protected abstract void onRefuse(int status, String code, String message);

    /**
     * The live store will not answer: take the normal path (RAM tier, origin fill).
     */
    protected abstract void onFallBack();

    /**
     * The viewer went away: drop whatever answer comes later. Call on the event loop.
     */
    public final void cancel()
    {
        cancelled = true;
        claimed.set(true);
        final ScheduledFuture<?> scheduled = timeout;
        if (scheduled != null)
        {
            scheduled.cancel(false);
        }
    }

    final EventExecutor loop()
    {
        return loop;
    }

    final boolean claim()
    {
        return claimed.compareAndSet(false, true);
    }

    final boolean settled()
    {
        return claimed.get();
    }

    /**
     * @return true once the viewer went away ({@link #cancel()}); read by the store to drop a segment it streams.
     */
    final boolean cancelled()
    {
        return cancelled;
    }

    final void timeout(final ScheduledFuture<?> timeout)
    {
        this.timeout = timeout;
    }

    final void hit(final CacheHit hit)
    {
        dispatch(() ->
        {
            if (cancelled)
            {
                hit.release();
            }
            else
            {
                onHit(hit);
            }
        }, hit);
    }

    final void refuse(final int status, final String code, final String message)
    {
        dispatch(() ->
        {
            if (!cancelled)
            {
                onRefuse(status, code, message);
            }
        }, null);
    }

    final void fallBack()
    {
        dispatch(() ->
        {
            if (!cancelled)
            {
                onFallBack();
            }
        }, null);
    }

    private void dispatch(final Runnable answer, final CacheHit hit)
    {
        final ScheduledFuture<?> scheduled = timeout;
        if (scheduled != null)
        {
            scheduled.cancel(false);
        }
        // Always through the queue, even on the loop itself: the store calls this under a stream's monitor, and the
        // answer may take other locks (an origin fill's), so it must run after that monitor is released.
        try
        {
            loop.execute(answer);
        }
        catch (final RejectedExecutionException closing)
        {
            if (hit != null)
            {
                hit.release();
            }
        }
    }
}
