package io.bifrost.edge.fill;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.bifrost.protocol.naming.ContentKey;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One fetch of one path from the origin, shared by every request that wants it while it runs (request coalescing).
 *
 * <p>Bytes are passed to each attached {@link FillListener} as they arrive from the origin and kept (off-heap, in a
 * composite of the received buffers) so a listener that attaches late is first replayed the head and the bytes so
 * far, then follows live. The origin side calls {@link #head}, {@link #content}, then {@link #complete} or
 * {@link #fail}; listeners attach and detach from any thread. All state is guarded by this object's monitor: there is
 * one fill per path in flight, so contention is limited to the viewers of that one object.
 *
 * <p>Memory: at most {@code maxBytes} of body are held, and only until the fill ends; a larger object fails with
 * {@link FillFailure.Reason#TOO_LARGE}. The held bytes are released when the fill ends.
 */
public final class OriginFill
{
    private final ContentKey key;
    private final String path;
    private final long maxBytes;
    private final FilledObjectSink sink;
    private final Consumer<OriginFill> onEnd;
    private final int hops;
    private final List<FillListener> listeners = new ArrayList<>(4);
    private final CompositeByteBuf body;
    private final long startedNanos = System.nanoTime();
    private long headNanos;
    private FillHead head;
    private boolean ended;
    private boolean completed;
    private int waitersJoinedLate;

    /**
     * @param key       what is being filled; its path is the cache key.
     * @param maxBytes  largest body held; larger objects fail.
     * @param allocator where the composite body lives (pooled direct in production).
     * @param sink      receives the complete object before its bytes are released (the cache tiers).
     * @param onEnd     called once when the fill completes or fails, after the listeners (e.g. to leave the in-flight map).
     */
    public OriginFill(
        final ContentKey key,
        final long maxBytes,
        final ByteBufAllocator allocator,
        final FilledObjectSink sink,
        final Consumer<OriginFill> onEnd)
    {
        this(key, maxBytes, allocator, sink, onEnd, 0);
    }

    /**
     * @param key       what is being filled; its path is the cache key.
     * @param maxBytes  largest body held; larger objects fail.
     * @param allocator where the composite body lives (pooled direct in production).
     * @param sink      receives the complete object before its bytes are released (the cache tiers).
     * @param onEnd     called once when the fill completes or fails, after the listeners.
     * @param hops      Bifrost edges the request that started this fill had passed through ({@link FillHops}).
     */
    public OriginFill(
        final ContentKey key,
        final long maxBytes,
        final ByteBufAllocator allocator,
        final FilledObjectSink sink,
        final Consumer<OriginFill> onEnd,
        final int hops)
    {
        this.hops = hops;
        this.key = key;
        this.path = key.path();
        this.maxBytes = maxBytes;
        this.sink = sink;
        this.onEnd = onEnd;
        this.body = allocator.compositeDirectBuffer(Integer.MAX_VALUE);
    }

    /**
     * @return the path being filled.
     */
    public String path()
    {
        return path;
    }

    /**
     * @return Bifrost edges the request that started this fill had passed through; the fill's own request carries
     *     one more ({@link FillHops#HEADER}).
     */
    public int hops()
    {
        return hops;
    }

    /**
     * Attach a listener, replaying what has arrived so far.
     *
     * @param listener the listener.
     * @return false when the fill has already ended (the caller starts a new one), true otherwise.
     */
    public synchronized boolean attach(final FillListener listener)
    {
        if (ended)
        {
            return false;
        }
        if (head != null)
        {
            waitersJoinedLate++;
            listener.onHead(head);
            if (body.isReadable())
            {
                listener.onContent(body.duplicate());
            }
        }
        listeners.add(listener);
        return true;
    }

    /**
     * Stop delivering to a listener (its viewer went away).
     *
     * @param listener the listener.
     */
    public synchronized void detach(final FillListener listener)
    {
        listeners.remove(listener);
    }

    /**
     * @return listeners attached now.
     */
    public synchronized int waiters()
    {
        return listeners.size();
    }

    /**
     * @return listeners that attached after the head had arrived (joined mid-stream).
     */
    public synchronized int waitersJoinedLate()
    {
        return waitersJoinedLate;
    }

    /**
     * @return nanoseconds from the start of the fill to the origin's response head, or -1 when none came.
     */
    public synchronized long firstByteNanos()
    {
        return head == null ? -1 : headNanos - startedNanos;
    }

    /**
     * @return nanoseconds since the fill started.
     */
    public long elapsedNanos()
    {
        return System.nanoTime() - startedNanos;
    }

    /**
     * @return true once the body completed (false while running or after a failure).
     */
    public synchronized boolean completed()
    {
        return completed;
    }

    /**
     * @return whether the head was delivered (failover is only possible before that).
     */
    public synchronized boolean headDelivered()
    {
        return head != null;
    }

    /**
     * The origin answered.
     *
     * @param fillHead status and forwarded headers.
     */
    public synchronized void head(final FillHead fillHead)
    {
        if (ended || head != null)
        {
            return;
        }
        if (fillHead.contentLength() > maxBytes)
        {
            failLocked(new FillFailure(FillFailure.Reason.TOO_LARGE,
                path + " is " + fillHead.contentLength() + " bytes, above the fill limit of " + maxBytes, false));
            return;
        }
        head = fillHead;
        headNanos = System.nanoTime();
        for (int i = 0; i < listeners.size(); i++)
        {
            listeners.get(i).onHead(fillHead);
        }
    }

    /**
     * Body bytes from the origin; the fill retains what it keeps.
     *
     * @param chunk next bytes, borrowed.
     */
    public synchronized void content(final ByteBuf chunk)
    {
        if (ended || !chunk.isReadable())
        {
            return;
        }
        if ((long)body.readableBytes() + chunk.readableBytes() > maxBytes)
        {
            failLocked(new FillFailure(FillFailure.Reason.TOO_LARGE,
                path + " grew beyond the fill limit of " + maxBytes + " bytes", true));
            return;
        }
        body.addComponent(true, chunk.retainedSlice());
        for (int i = 0; i < listeners.size(); i++)
        {
            listeners.get(i).onContent(chunk.duplicate());
        }
    }

    /**
     * The body is complete.
     */
    public synchronized void complete()
    {
        if (ended)
        {
            return;
        }
        ended = true;
        completed = true;
        for (int i = 0; i < listeners.size(); i++)
        {
            listeners.get(i).onComplete();
        }
        sink.onFilled(key, head, body);
        endLocked();
    }

    /**
     * The fill failed; listeners get the failure.
     *
     * @param failure why; {@code headSent} is corrected from this fill's own state.
     */
    public synchronized void fail(final FillFailure failure)
    {
        if (!ended)
        {
            failLocked(new FillFailure(failure.reason(), failure.detail(), head != null));
        }
    }

    private void failLocked(final FillFailure failure)
    {
        ended = true;
        for (int i = 0; i < listeners.size(); i++)
        {
            listeners.get(i).onError(failure);
        }
        endLocked();
    }

    private void endLocked()
    {
        listeners.clear();
        body.release();
        onEnd.accept(this);
    }
}
