package io.bifrost.origin.live;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A held request: a blocking playlist reload, a preload-hinted part, a segment still being written, or the next chunk
 * of a segment being streamed ({@link ChunkedSegmentStream}). It waits on a rendition until the window holds what it
 * asked for (or something later), the session ends or it times out; no thread waits. Exactly one of {@link #fire()}
 * and {@link #cancel()} wins.
 */
final class LiveWaiter
{
    /** What the waiter waits for. */
    enum Until
    {
        /** Part {@code part} of segment {@code msn} or a later part; with part -1, segment {@code msn} complete. */
        PART_OR_LATER,
        /** Segment {@code msn} complete. */
        SEGMENT_COMPLETE,
        /**
         * The next chunk of segment {@code msn} being streamed: part {@code part} or any later part, the segment
         * complete, or the rendition's input ended (a streamed answer then completes or aborts).
         */
        NEXT_CHUNK
    }

    final Until until;
    final long msn;
    final int part;
    private final Executor executor;
    private final Runnable onReady;
    private final AtomicBoolean done = new AtomicBoolean();

    /**
     * @param until    what to wait for.
     * @param msn      segment msn.
     * @param part     part index, or -1 for the whole segment.
     * @param executor where {@code onReady} runs (the connection's executor).
     * @param onReady  answers the request; it reads the window again.
     */
    LiveWaiter(final Until until, final long msn, final int part, final Executor executor, final Runnable onReady)
    {
        this.until = until;
        this.msn = msn;
        this.part = part;
        this.executor = executor;
        this.onReady = onReady;
    }

    /**
     * @param window the rendition, read under its stream's lock.
     * @return true when the window now answers the request.
     */
    boolean satisfiedBy(final RenditionWindow window)
    {
        if (until == Until.NEXT_CHUNK)
        {
            final long lastMsn = window.lastPartMsn();
            return window.lastCompleteMsn() >= msn || window.inputEnded() || lastMsn > msn ||
                (lastMsn == msn && window.lastPartIndex() >= part);
        }
        if (until == Until.SEGMENT_COMPLETE || part < 0)
        {
            return window.lastCompleteMsn() >= msn;
        }
        final long lastMsn = window.lastPartMsn();
        return lastMsn > msn || (lastMsn == msn && window.lastPartIndex() >= part);
    }

    /**
     * Runs the answer on the waiter's executor, once.
     */
    void fire()
    {
        if (done.compareAndSet(false, true))
        {
            try
            {
                executor.execute(onReady);
            }
            catch (final RejectedExecutionException ex)
            {
                // the server is shutting down: its connections close, nobody waits for this answer any more
            }
        }
    }

    /**
     * @return true when this call claimed the waiter (it will never fire).
     */
    boolean cancel()
    {
        return done.compareAndSet(false, true);
    }
}
