package io.bifrost.edge.live;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;

import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;

/**
 * The chunks one wake sends to the viewers of segments being produced ({@link ChunkedSegmentViewer}), grouped by the
 * viewers' event loops as {@link LiveWakeBatch} groups whole answers: each loop gets ONE task that writes, in order,
 * every head, part and end of this wake for its viewers. Each part goes to each viewer as its own retained duplicate
 * of the store's buffer (the bytes are shared, never copied, and no buffer is written to two channels).
 *
 * <p>Filled by one thread under the stream's monitor, then {@link #dispatch dispatched} under the same monitor, so
 * the tasks of successive wakes reach a loop in the order the parts were taken: a viewer's chunks are never reordered.
 */
final class LiveChunkBatch
{
    private static final byte START = 0;
    private static final byte CHUNK = 1;
    private static final byte END = 2;
    private static final byte ABORT = 3;

    private LoopChunks[] loops = new LoopChunks[4];
    private int loopCount;
    private LoopChunks last;

    /**
     * Send the response head.
     *
     * @param headers this viewer's own headers.
     */
    void start(final ChunkedSegmentViewer viewer, final HttpHeaders headers)
    {
        loopOf(viewer).add(viewer, START, headers);
    }

    /**
     * Send a part.
     *
     * @param part the store's buffer (not retained by the caller; this viewer gets a retained duplicate).
     */
    void chunk(final ChunkedSegmentViewer viewer, final ByteBuf part)
    {
        loopOf(viewer).add(viewer, CHUNK, part.retainedDuplicate());
    }

    /**
     * End the response: complete, or aborted.
     */
    void end(final ChunkedSegmentViewer viewer, final boolean complete)
    {
        loopOf(viewer).add(viewer, complete ? END : ABORT, null);
    }

    boolean isEmpty()
    {
        return loopCount == 0;
    }

    /**
     * Queue one task per event loop; a loop that is shutting down releases its chunks at once.
     */
    void dispatch()
    {
        for (int i = 0; i < loopCount; i++)
        {
            final LoopChunks chunks = loops[i];
            loops[i] = null;
            try
            {
                chunks.loop.execute(chunks);
            }
            catch (final RejectedExecutionException closing)
            {
                chunks.releaseAll();
            }
        }
        loopCount = 0;
        last = null;
    }

    private LoopChunks loopOf(final ChunkedSegmentViewer viewer)
    {
        final EventExecutor loop = viewer.reply.loop();
        if (last != null && last.loop == loop)
        {
            return last;
        }
        for (int i = 0; i < loopCount; i++)
        {
            if (loops[i].loop == loop)
            {
                last = loops[i];
                return last;
            }
        }
        if (loopCount == loops.length)
        {
            loops = Arrays.copyOf(loops, loopCount * 2);
        }
        last = new LoopChunks(loop);
        loops[loopCount++] = last;
        return last;
    }

    /**
     * One loop's share of a wake: (viewer, operation, head or part) in the order they were taken.
     */
    private static final class LoopChunks implements Runnable
    {
        private static final int INITIAL_ENTRIES = 16;

        final EventExecutor loop;
        private ChunkedSegmentViewer[] viewers = new ChunkedSegmentViewer[INITIAL_ENTRIES];
        private byte[] operations = new byte[INITIAL_ENTRIES];
        private Object[] payloads = new Object[INITIAL_ENTRIES];
        private int size;

        LoopChunks(final EventExecutor loop)
        {
            this.loop = loop;
        }

        void add(final ChunkedSegmentViewer viewer, final byte operation, final Object payload)
        {
            if (size == viewers.length)
            {
                viewers = Arrays.copyOf(viewers, size * 2);
                operations = Arrays.copyOf(operations, size * 2);
                payloads = Arrays.copyOf(payloads, size * 2);
            }
            viewers[size] = viewer;
            operations[size] = operation;
            payloads[size] = payload;
            size++;
        }

        /**
         * On the loop: every entry in order; a viewer that left meanwhile releases its parts at once.
         */
        @Override
        public void run()
        {
            RuntimeException failure = null;
            for (int i = 0; i < size; i++)
            {
                final ChunkedSegmentViewer viewer = viewers[i];
                final Object payload = payloads[i];
                viewers[i] = null;
                payloads[i] = null;
                try
                {
                    if (viewer.reply.cancelled())
                    {
                        ReferenceCountUtil.release(payload);
                        continue;
                    }
                    switch (operations[i])
                    {
                        case START -> viewer.chunked.startChunked((HttpHeaders)payload);
                        case CHUNK -> viewer.chunked.writeChunk((ByteBuf)payload);
                        case END -> viewer.chunked.endChunked(true);
                        default -> viewer.chunked.endChunked(false);
                    }
                }
                catch (final RuntimeException e)
                {
                    // one viewer's failure must not leave the others of the batch without their parts
                    failure = failure == null ? e : failure;
                }
            }
            size = 0;
            if (failure != null)
            {
                throw failure;
            }
        }

        void releaseAll()
        {
            for (int i = 0; i < size; i++)
            {
                ReferenceCountUtil.release(payloads[i]);
                payloads[i] = null;
                viewers[i] = null;
            }
            size = 0;
        }
    }
}
