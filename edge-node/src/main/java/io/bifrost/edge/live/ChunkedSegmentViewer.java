package io.bifrost.edge.live;

import io.bifrost.edge.live.HeldRequests.WaitKind;
import io.bifrost.edge.live.HeldRequests.Waiter;
import io.micrometer.core.instrument.Counter;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One viewer of the segment being produced, answered part by part ({@link ChunkedLiveReply}): first held like any
 * segment request until the segment's first part is here, then <i>streaming</i> (its reply claimed, the head sent),
 * {@link #part} being the index of the next part to send, until it is <i>over</i> (complete, aborted, or the viewer
 * left). It stays in its rendition's waiter list while streaming, so every part that arrives moves it on.
 *
 * <p>{@link #msn}, {@link #part} and {@link #streaming} change under the stream's monitor; {@link #finish()} decides
 * exactly once who ends the response: the store (complete or abort) or the hold limit on the viewer's event loop.
 */
final class ChunkedSegmentViewer extends Waiter
{
    final ChunkedLiveReply chunked;
    volatile boolean streaming;
    private final AtomicBoolean over = new AtomicBoolean();
    private final Counter aborted;

    /**
     * @param reply   the request's reply, which is also its {@link ChunkedLiveReply}.
     * @param msn     the segment asked for.
     * @param aborted counts responses aborted.
     */
    ChunkedSegmentViewer(final LiveReply reply, final long msn, final Counter aborted)
    {
        super(WaitKind.SEGMENT_CHUNKS, reply, msn, 0, false);
        this.chunked = (ChunkedLiveReply)reply;
        this.aborted = aborted;
    }

    /**
     * @return true when nothing remains to do for this viewer: its response ended, or it was answered (or left) before
     *         it started streaming.
     */
    @Override
    boolean done()
    {
        return over.get() || (!streaming && reply.settled());
    }

    /**
     * @return true for the one caller that ends the response (the others do nothing).
     */
    boolean finish()
    {
        return over.compareAndSet(false, true);
    }

    /**
     * Abort a streaming response from outside a wake (the session was replaced, the store closes): after the chunks
     * already queued to the viewer's loop, never inline (the caller holds the stream's monitor).
     */
    void abort()
    {
        if (!finish())
        {
            return;
        }
        aborted.increment();
        try
        {
            reply.loop().execute(() ->
            {
                if (!reply.cancelled())
                {
                    chunked.endChunked(false);
                }
            });
        }
        catch (final RejectedExecutionException closing)
        {
            // the server is closing the viewer's connection anyway
        }
    }
}
