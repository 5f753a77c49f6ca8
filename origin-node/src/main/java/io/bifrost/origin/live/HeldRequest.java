package io.bifrost.origin.live;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.function.Supplier;

/**
 * One request the {@link LiveResponder} holds (a blocking playlist reload, a preload-hinted part, a segment further
 * ahead): its waiter, timeout and connection-close listener, released together. The answer is made again by
 * {@code answer} once the waiter fires or the timeout passes; a closed connection drops it.
 */
final class HeldRequest implements GenericFutureListener<Future<Object>>
{
    private final LiveMetrics metrics;
    private final Object lock;
    private final RenditionWindow window;
    private final Future<?> closeFuture;
    private final LiveReply later;
    private final Supplier<FullHttpResponse> answer;
    /** Set by the responder right after construction, under the stream lock. */
    LiveWaiter waiter;
    /** Set by the responder right after the waiter, on the connection's executor. */
    ScheduledFuture<?> timeout;

    HeldRequest(final LiveMetrics metrics, final Object lock, final RenditionWindow window,
        final Future<?> closeFuture, final LiveReply later, final Supplier<FullHttpResponse> answer)
    {
        this.metrics = metrics;
        this.lock = lock;
        this.window = window;
        this.closeFuture = closeFuture;
        this.later = later;
        this.answer = answer;
    }

    /** The waiter fired (on the connection's executor). */
    void ready()
    {
        release();
        later.answer(answer.get());
    }

    /** Timeout (answer) or connection closed (no answer): claim the waiter and drop it. */
    @SuppressWarnings("unchecked")
    void abandon(final boolean respond)
    {
        if (!waiter.cancel())
        {
            return;
        }
        synchronized (lock)
        {
            window.removeWaiter(waiter);
        }
        release();
        if (respond)
        {
            later.answer(answer.get());
        }
    }

    @Override
    public void operationComplete(final Future<Object> future)
    {
        abandon(false);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void release()
    {
        metrics.released();
        if (timeout != null)
        {
            timeout.cancel(false);
        }
        if (closeFuture != null)
        {
            ((Future)closeFuture).removeListener(this);
        }
    }
}
