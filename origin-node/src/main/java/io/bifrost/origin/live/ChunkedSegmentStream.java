package io.bifrost.origin.live;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Low-latency DASH at the origin: one GET for the segment being written, answered at once with a 200 and then each
 * part (a CMAF chunk: moof + mdat) the moment the packager closes it, and the terminating chunk when the segment
 * completes (DASH-IF IOP low-latency mode: the MPD's {@code availabilityTimeOffset} lets a player ask for a segment
 * one part after it starts). The bytes sent are exactly the complete segment's.
 *
 * <p>No thread waits: the stream registers a {@link LiveWaiter} ({@link LiveWaiter.Until#NEXT_CHUNK}) on its
 * rendition; the packager's thread only fires it (under the stream's lock, never blocking), which runs {@link #run()}
 * on the connection's executor; that copies the references of the new parts under the lock, registers the next waiter
 * and writes outside the lock. A request for a segment that has not started yet (the next one) waits the same way for
 * its first part before the head is written, so it can still be answered 404 or 503 like any held request.
 *
 * <p>Ends: <b>completed</b> when the window holds the segment complete (also at the end of the stream: the last part
 * closes the segment); <b>aborted</b> when the session is replaced (a re-publish), the input ended without the segment,
 * or no part came for three target durations; <b>slow</b> when more than {@code maxQueuedBytes} of this viewer's
 * writes have not reached the connection when the next part is due (the viewer reads slower than the stream is
 * produced; bytes are never queued without bound); <b>left</b> when the viewer closed its connection. An abort closes
 * the HTTP/1.1 connection without the terminating chunk, or resets the HTTP/2 stream. A streamed answer counts as a
 * held request from its request to its end.
 *
 * <p>Threads: {@link #run()} and the stall check on the connection's executor; the close listener on the channel's
 * event loop; {@link #finish()} decides exactly once who ends the answer.
 */
final class ChunkedSegmentStream implements Runnable, GenericFutureListener<Future<Object>>
{
    private static final Logger LOG = LoggerFactory.getLogger(ChunkedSegmentStream.class);

    private enum Step
    {
        CONTINUE, COMPLETE, ABORT
    }

    private final LiveResponder responder;
    private final LiveMetrics metrics;
    private final Object lock;
    private final LivePackager.LiveStream stream;
    private final PackagerSession session;
    private final RenditionWindow window;
    private final String path;
    private final long msn;
    private final String cacheControl;
    private final EventExecutor executor;
    private final Future<?> closeFuture;
    private final LiveReply reply;
    private final long maxQueuedBytes;
    private final long stallMs;
    private final AtomicBoolean over = new AtomicBoolean();
    private final AtomicLong queued = new AtomicLong();
    private final List<LivePart> batch = new ArrayList<>();
    /** Guarded by {@link #lock}. */
    private LiveWaiter waiter;
    private volatile boolean started;
    private volatile ScheduledFuture<?> stall;
    private int nextPart;
    private long sentChunks;
    private long checkedChunks;

    /**
     * @param responder      answers a request that ends before its first chunk (404, 503).
     * @param stream         the stream, whose monitor guards its session.
     * @param window         the rendition, of {@code stream}'s current session.
     * @param path           the request path, for messages.
     * @param msn            the segment: the one being written or the next one.
     * @param cacheControl   Cache-Control of the answer (that of a complete segment).
     * @param executor       the connection's executor.
     * @param closeFuture    completes when the connection closes; may be null.
     * @param reply          the request's reply.
     * @param maxQueuedBytes most bytes of this viewer not yet written to the connection when a part is due.
     * @param stallMs        abort when no part comes for this long.
     */
    ChunkedSegmentStream(final LiveResponder responder, final LivePackager.LiveStream stream,
        final RenditionWindow window, final String path, final long msn, final String cacheControl,
        final EventExecutor executor, final Future<?> closeFuture, final LiveReply reply, final long maxQueuedBytes,
        final long stallMs)
    {
        this.responder = responder;
        this.metrics = window.session.packager.metrics;
        this.lock = stream;
        this.stream = stream;
        this.session = window.session;
        this.window = window;
        this.path = path;
        this.msn = msn;
        this.cacheControl = cacheControl;
        this.executor = executor;
        this.closeFuture = closeFuture;
        this.reply = reply;
        this.maxQueuedBytes = maxQueuedBytes;
        this.stallMs = stallMs;
    }

    /**
     * Starts the stream: its first step runs as a task on the connection's executor, after the request handler has
     * returned (the request counts as held there, so the requests pipelined behind it wait).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void begin()
    {
        stall = executor.schedule(this::checkStall, stallMs, TimeUnit.MILLISECONDS);
        if (closeFuture != null)
        {
            ((Future)closeFuture).addListener(this);
        }
        executor.execute(this);
    }

    /**
     * One step, on the connection's executor: send the parts not sent yet, then end the answer or wait for the next
     * part.
     */
    @Override
    public void run()
    {
        if (over.get())
        {
            return;
        }
        Step step = Step.CONTINUE;
        synchronized (lock)
        {
            if (over.get())
            {
                return;
            }
            waiter = null;
            if (stream.session != session || session.replaced)
            {
                step = Step.ABORT;
            }
            else
            {
                final LiveSegment complete = window.segment(msn);
                final LiveSegment current = window.current();
                final List<LivePart> parts = complete != null ? complete.parts :
                    current != null && current.msn == msn ? current.parts : null;
                if (parts != null)
                {
                    for (int i = nextPart; i < parts.size(); i++)
                    {
                        batch.add(parts.get(i));
                    }
                    nextPart = parts.size();
                }
                if (complete != null)
                {
                    step = Step.COMPLETE;
                }
                else if (session.ended || window.inputEnded() || (parts == null && window.nextMsn() > msn))
                {
                    step = Step.ABORT;
                }
                else
                {
                    waiter = new LiveWaiter(LiveWaiter.Until.NEXT_CHUNK, msn, nextPart, executor, this);
                    window.addWaiter(waiter);
                }
            }
        }
        if (!batch.isEmpty() && !started)
        {
            started = true;
            metrics.chunked(LiveMetrics.Chunked.STARTED);
            reply.startStream(head());
        }
        for (int i = 0; i < batch.size(); i++)
        {
            if (!write(batch.get(i)))
            {
                break;
            }
        }
        batch.clear();
        if (step == Step.COMPLETE)
        {
            if (finish())
            {
                metrics.chunked(LiveMetrics.Chunked.COMPLETED);
                reply.endStream(true);
            }
        }
        else if (step == Step.ABORT)
        {
            abort(false);
        }
    }

    private HttpResponse head()
    {
        final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, LiveResponder.MEDIA_SEGMENT)
            .set(HttpHeaderNames.CACHE_CONTROL, cacheControl)
            .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        return head;
    }

    /**
     * @return false when the viewer was closed as too slow instead.
     */
    private boolean write(final LivePart part)
    {
        if (over.get())
        {
            return false;
        }
        if (queued.get() > maxQueuedBytes)
        {
            if (finish())
            {
                metrics.chunked(LiveMetrics.Chunked.SLOW);
                LOG.debug("live {}: viewer closed, {} bytes not yet written when part {} was due (bound {})", path,
                    queued.get(), part.index, maxQueuedBytes);
                reply.endStream(false);
            }
            return false;
        }
        final int size = part.bytes.length;
        queued.addAndGet(size);
        reply.writeChunk(Unpooled.wrappedBuffer(part.bytes)).addListener(written -> queued.addAndGet(-size));
        sentChunks++;
        return true;
    }

    /** The stall timer, on the connection's executor: abort when no part was sent since the last check. */
    private void checkStall()
    {
        if (over.get())
        {
            return;
        }
        if (sentChunks != checkedChunks)
        {
            checkedChunks = sentChunks;
            stall = executor.schedule(this::checkStall, stallMs, TimeUnit.MILLISECONDS);
            return;
        }
        abort(true);
    }

    /**
     * Ends an answer that cannot complete: a started one is aborted, one that never started is answered as a held
     * segment request would be (404 when the segment will not come, 503 when it did not come in time).
     */
    private void abort(final boolean stalled)
    {
        if (!finish())
        {
            return;
        }
        if (started)
        {
            metrics.chunked(LiveMetrics.Chunked.ABORTED);
            reply.endStream(false);
        }
        else if (stalled)
        {
            metrics.count(LiveMetrics.Outcome.TIMEOUT);
            reply.answer(LiveResponder.unavailable(path + " did not arrive in time"));
        }
        else
        {
            reply.answer(responder.notFound(path + " is not in the live window"));
        }
    }

    /** The connection closed (on its event loop). */
    @Override
    public void operationComplete(final Future<Object> future)
    {
        if (finish() && started)
        {
            metrics.chunked(LiveMetrics.Chunked.LEFT);
        }
    }

    /**
     * @return true for the one caller that ends the answer; it is no longer held, its waiter and timer are gone.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean finish()
    {
        if (!over.compareAndSet(false, true))
        {
            return false;
        }
        metrics.released();
        final ScheduledFuture<?> timer = stall;
        if (timer != null)
        {
            timer.cancel(false);
        }
        if (closeFuture != null)
        {
            ((Future)closeFuture).removeListener(this);
        }
        synchronized (lock)
        {
            if (waiter != null)
            {
                waiter.cancel();
                window.removeWaiter(waiter);
                waiter = null;
            }
        }
        return true;
    }
}
