package io.bifrost.edge.live;

import java.util.ArrayList;

/**
 * The requests one {@link LiveRendition} holds until its window reaches them (blocking playlist reloads, preload-hinted
 * parts, the segment in progress, low-latency DASH viewers).
 *
 * <p>A held request leaves the list in three ways: a {@link #wake} answers it (or it fell back), a {@link #reset} or
 * {@link #abandon} settles it, or it settled elsewhere (its hold limit on its event loop, the viewer left) and the
 * next wake or compaction drops it. Nothing is removed when a hold limit fires, so the list is compacted when it
 * doubles ({@link #hold}): settled entries never pile up beyond twice the live ones.
 *
 * <p>Not thread-safe: guarded by the owning {@link LiveStream}'s monitor, like the rendition.
 */
final class HeldRequests
{
    /** What a held request waits for. */
    enum WaitKind
    {
        PLAYLIST, PART, SEGMENT,
        /** The segment being produced, sent part by part ({@link ChunkedSegmentViewer}). */
        SEGMENT_CHUNKS
    }

    /**
     * A held request: what it waits for ({@code msn}, {@code part}: the playlist position or the part/segment named)
     * and the reply that answers it. {@code msn} and {@code part} change under the stream's monitor only.
     */
    static class Waiter
    {
        final WaitKind kind;
        final LiveReply reply;
        final boolean skip;
        long msn;
        int part;

        Waiter(final WaitKind kind, final LiveReply reply, final long msn, final int part, final boolean skip)
        {
            this.kind = kind;
            this.reply = reply;
            this.msn = msn;
            this.part = part;
            this.skip = skip;
        }

        /**
         * @return true when the request needs nothing more from the rendition (answered, refused, fell back, left).
         */
        boolean done()
        {
            return reply.settled();
        }
    }

    private static final int MIN_COMPACT_AT = 64;

    private final ArrayList<Waiter> waiters = new ArrayList<>();
    private int compactAt = MIN_COMPACT_AT;

    /**
     * Hold a request; first drops the settled ones when the list reached its compaction mark.
     */
    void hold(final Waiter waiter)
    {
        if (waiters.size() >= compactAt)
        {
            waiters.removeIf(Waiter::done);
            compactAt = Math.max(MIN_COMPACT_AT, waiters.size() * 2);
        }
        waiters.add(waiter);
    }

    /**
     * @return the requests held and not yet settled (a scan: for metrics and tests, not per request).
     */
    int count()
    {
        int held = 0;
        for (int i = 0; i < waiters.size(); i++)
        {
            held += waiters.get(i).done() ? 0 : 1;
        }
        return held;
    }

    /**
     * Answer every held request the rendition now satisfies (claimed into the waking thread's batch by
     * {@link LiveRequests#tryAnswer}); drops those answered or settled, keeps the others in order. Allocates nothing.
     *
     * @param rendition the rendition these requests wait on.
     * @param requests  the answers (bodies, metrics).
     */
    void wake(final LiveRendition rendition, final LiveRequests requests)
    {
        if (waiters.isEmpty())
        {
            return;
        }
        requests.beginWake();
        int kept = 0;
        for (int i = 0; i < waiters.size(); i++)
        {
            final Waiter waiter = waiters.get(i);
            if (waiter.done() || requests.tryAnswer(rendition, waiter))
            {
                continue;
            }
            waiters.set(kept++, waiter);
        }
        for (int i = waiters.size() - 1; i >= kept; i--)
        {
            waiters.remove(i);
        }
    }

    /**
     * The rendition was reset (a new session replaced the one they waited on): playlist requests are re-aimed at the
     * next session's first playlist ({@code msn = part = -1}), media requests fall back to the origin, streaming
     * chunked viewers are aborted; settled ones leave the list.
     */
    void reset()
    {
        for (int i = 0; i < waiters.size(); i++)
        {
            final Waiter waiter = waiters.get(i);
            if (waiter.kind == WaitKind.PLAYLIST)
            {
                waiter.msn = -1;
                waiter.part = -1;
            }
            else if (waiter.reply.claim())
            {
                waiter.reply.fallBack();
            }
            else if (waiter instanceof ChunkedSegmentViewer viewer)
            {
                viewer.abort();
            }
        }
        waiters.removeIf(Waiter::done);
    }

    /**
     * Settle every held request at close: fall back (which the closing server then drops), abort streaming chunked
     * viewers; the list is empty afterwards.
     */
    void abandon()
    {
        for (int i = 0; i < waiters.size(); i++)
        {
            final Waiter waiter = waiters.get(i);
            if (waiter.reply.claim())
            {
                waiter.reply.fallBack();
            }
            else if (waiter instanceof ChunkedSegmentViewer viewer)
            {
                viewer.abort();
            }
        }
        waiters.clear();
    }
}
