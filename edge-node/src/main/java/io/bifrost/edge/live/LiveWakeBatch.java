package io.bifrost.edge.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;

import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The answers one wake of a rendition gives (a part or playlist arrived and satisfied N held requests), grouped by the
 * viewers' event loops so that each loop gets ONE task that answers all of its viewers in a row, instead of one task
 * per viewer. Each distinct answer (body, Content-Type, Cache-Control) holds one reference to the store's buffer for
 * the whole batch; every viewer then gets its own reference-counted duplicate of it on its loop, so the bytes are
 * shared, never copied per viewer. HTTP/1.1 viewers on a plain keep-alive GET get the answer encoded once per loop
 * and distinct answer (status line, headers and body in one buffer, {@link LiveResponseHeaders#encode}), written
 * below their HTTP codec ({@link SharedLiveReply#writeEncoded}).
 *
 * <p><b>Delivery time.</b> Timing costs nothing per viewer: a loop answers a chunk's viewers in a row, every write
 * with the channel's void promise except the chunk's last viewer written in a shared form, whose write alone gets a
 * real promise and the chunk's {@link ChunkDelivery} listener. When that write completes, the chunk records ONE sample
 * in each delivery timer it answered (its kinds): the time from the wake's start (the part's or playlist's arrival at
 * the edge, {@link #begin}) to the completion of the chunk's last write, the worst of the chunk, which bounds every
 * viewer in it. So the timer's count is chunks of loop batches (one per loop per wake with the default chunk), not
 * requests, and its max and percentiles bound the viewers'. A chunk with no viewer in a shared form (HEAD, Range,
 * closing connections) records after its last answer was handed over; a chunk whose timed write fails records nothing.
 *
 * <p><b>Chunks.</b> A loop's task answers at most {@code chunk} viewers, then schedules itself again (delay 0) for the
 * rest. A scheduled task joins the loop's task queue only at the loop's next pass, so between two chunks the loop gets
 * its I/O turn: the chunk's writes reach the kernel (io_uring submits them, instead of holding them until the
 * submission queue is full or the whole wake is written) and their completions are reaped, so the first viewers of a
 * big wake get their answer while the loop still writes the others, and the loop's other connections are served
 * between chunks.
 *
 * <p>Filled by one thread under the stream's monitor ({@link LiveRequests} keeps one per waking thread), then
 * {@link #dispatch dispatched}: from then on each loop's part belongs to that loop and a fresh one is started.
 */
final class LiveWakeBatch
{
    private final Counter sharedAnswers;
    private final Counter encodedAnswers;
    private final Counter chunks;
    private final ByteBufAllocator allocator;
    private LoopAnswers[] loops = new LoopAnswers[4];
    private int loopCount;
    private LoopAnswers last;
    private long arrivedNs;

    /**
     * @param sharedAnswers  counts the viewers answered with a shared form of the answer ({@link SharedLiveReply}).
     * @param encodedAnswers counts those of them answered with the pre-encoded bytes.
     * @param chunks         counts the chunks the loops ran (each records one delivery sample per kind it answered).
     * @param allocator      where encoded answers are allocated.
     */
    LiveWakeBatch(
        final Counter sharedAnswers, final Counter encodedAnswers, final Counter chunks, final ByteBufAllocator allocator)
    {
        this.sharedAnswers = sharedAnswers;
        this.encodedAnswers = encodedAnswers;
        this.chunks = chunks;
        this.allocator = allocator;
    }

    /**
     * A wake starts: what it arrived with (a part, a playlist) reached the edge now.
     *
     * @param nowNs {@link System#nanoTime()} at the arrival; the answers added until the next call count from it.
     */
    void begin(final long nowNs)
    {
        arrivedNs = nowNs;
    }

    /**
     * Answer a claimed request with this body when the batch runs.
     *
     * @param body     the store's buffer (not retained by the caller; the batch retains it once per distinct answer).
     * @param delivery records the time from {@link #begin} to the write completing of the last viewer of this
     *                 answer's chunk (one sample per chunk).
     */
    void add(
        final LiveReply reply, final ByteBuf body, final String contentType, final String cacheControl,
        final Timer delivery)
    {
        final EventExecutor loop = reply.loop();
        LoopAnswers answers = last;
        if (answers == null || answers.loop != loop)
        {
            answers = null;
            for (int i = 0; i < loopCount; i++)
            {
                if (loops[i].loop == loop)
                {
                    answers = loops[i];
                    break;
                }
            }
            if (answers == null)
            {
                if (loopCount == loops.length)
                {
                    loops = Arrays.copyOf(loops, loopCount * 2);
                }
                answers = new LoopAnswers(loop, sharedAnswers, encodedAnswers, chunks, allocator);
                loops[loopCount++] = answers;
            }
            last = answers;
        }
        answers.add(reply, body, contentType, cacheControl, delivery, arrivedNs);
    }

    /**
     * @return true when nothing was added since the last dispatch.
     */
    boolean isEmpty()
    {
        return loopCount == 0;
    }

    /**
     * Queue one task per event loop; a loop that is shutting down releases its bodies at once.
     *
     * @param onDispatched told the number of viewers in each loop's task (for the meters).
     * @param chunk        the most viewers a loop answers before its next I/O turn (at least 1).
     */
    void dispatch(final Consumer<LoopAnswers> onDispatched, final int chunk)
    {
        for (int i = 0; i < loopCount; i++)
        {
            final LoopAnswers answers = loops[i];
            loops[i] = null;
            answers.chunk = chunk;
            onDispatched.accept(answers);
            try
            {
                answers.loop.execute(answers);
            }
            catch (final RejectedExecutionException closing)
            {
                answers.releaseAll();
            }
        }
        loopCount = 0;
        last = null;
    }

    /**
     * One loop's share of a wake: the viewers to answer, in the order they were woken, and the distinct answers.
     */
    static final class LoopAnswers implements Runnable
    {
        private static final int INITIAL_VIEWERS = 16;

        final EventExecutor loop;
        private final Counter sharedAnswers;
        private final Counter encodedAnswers;
        private final Counter chunks;
        private final ByteBufAllocator allocator;
        private LiveReply[] replies = new LiveReply[INITIAL_VIEWERS];
        private byte[] answerOf = new byte[INITIAL_VIEWERS];
        private SharedAnswer[] answers = new SharedAnswer[2];
        private int size;
        private int answerCount;
        private int next;
        private int chunk = Integer.MAX_VALUE;

        LoopAnswers(
            final EventExecutor loop, final Counter sharedAnswers, final Counter encodedAnswers, final Counter chunks,
            final ByteBufAllocator allocator)
        {
            this.loop = loop;
            this.sharedAnswers = sharedAnswers;
            this.encodedAnswers = encodedAnswers;
            this.chunks = chunks;
            this.allocator = allocator;
        }

        int size()
        {
            return size;
        }

        void add(
            final LiveReply reply, final ByteBuf body, final String contentType, final String cacheControl,
            final Timer delivery, final long arrivedNs)
        {
            int answer = answerCount - 1;
            // A wake nearly always gives one or two distinct answers (a part; a full and a delta playlist).
            while (answer >= 0 && !answers[answer].sameAs(body, contentType, cacheControl, delivery, arrivedNs))
            {
                answer--;
            }
            if (answer < 0)
            {
                if (answerCount == Byte.MAX_VALUE)
                {
                    // more distinct answers than a wake can give: keep the batch bounded by answering this one alone
                    reply.hit(new LiveHit(body.retainedDuplicate(), contentType, cacheControl));
                    delivery.record(System.nanoTime() - arrivedNs, TimeUnit.NANOSECONDS);
                    return;
                }
                if (answerCount == answers.length)
                {
                    answers = Arrays.copyOf(answers, answerCount * 2);
                }
                answers[answerCount] = new SharedAnswer(body, contentType, cacheControl, delivery, arrivedNs);
                answer = answerCount++;
            }
            if (size == replies.length)
            {
                replies = Arrays.copyOf(replies, size * 2);
                answerOf = Arrays.copyOf(answerOf, size * 2);
            }
            replies[size] = reply;
            answerOf[size] = (byte)answer;
            size++;
        }

        /**
         * On the loop: answer the next chunk of viewers in a row (a viewer that left meanwhile releases its reference at
         * once), then schedule the rest for the loop's next pass; the last chunk releases the bodies.
         */
        @Override
        public void run()
        {
            boolean more = false;
            RuntimeException failure;
            try
            {
                final int end = (int)Math.min(size, (long)next + chunk);
                failure = answer(next, end);
                next = end;
                more = next < size && resumeNextPass();
                if (!more && next < size)
                {
                    // the loop is shutting down: answer the rest now, as the viewers' connections close anyway
                    final RuntimeException rest = answer(next, size);
                    next = size;
                    failure = failure == null ? rest : failure;
                }
            }
            finally
            {
                if (!more)
                {
                    releaseAll();
                }
            }
            if (failure != null)
            {
                throw failure;
            }
        }

        private boolean resumeNextPass()
        {
            try
            {
                loop.schedule(this, 0, TimeUnit.NANOSECONDS);
                return true;
            }
            catch (final RejectedExecutionException closing)
            {
                return false;
            }
        }

        /**
         * Answer viewers {@code from} to {@code to} (one chunk): all with void promises but the chunk's last viewer
         * written in a shared form, which carries the chunk's delivery listener.
         *
         * @return the first viewer's failure, if any: one viewer's failure must not leave the others unanswered.
         */
        private RuntimeException answer(final int from, final int to)
        {
            RuntimeException failure = null;
            int sharedCount = 0;
            int encodedCount = 0;
            final int timed = lastSharedViewer(from, to);
            final ChunkDelivery delivery = ChunkDelivery.of(answers, answerCount, answerOf, from, to);
            boolean listened = false;
            boolean handedOver = false;
            chunks.increment();
            try
            {
                for (int i = from; i < to; i++)
                {
                    final LiveReply reply = replies[i];
                    replies[i] = null;
                    final ChunkDelivery written = i == timed ? delivery : null;
                    try
                    {
                        final SharedAnswer answer = answers[answerOf[i]];
                        if (reply instanceof SharedLiveReply sharedReply && sharedReply.acceptsEncoded())
                        {
                            sharedReply.writeEncoded(answer.encoded(allocator).retainedDuplicate(), answer.length(),
                                written);
                            listened |= written != null;
                            sharedCount++;
                            encodedCount++;
                        }
                        else if (reply instanceof SharedLiveReply sharedReply && sharedReply.acceptsShared())
                        {
                            sharedReply.writeShared(answer.response(), written);
                            listened |= written != null;
                            sharedCount++;
                        }
                        else
                        {
                            reply.onHit(answer.share());
                            // a viewer that left between the wake and its chunk was delivered nothing
                            handedOver |= !reply.cancelled();
                        }
                    }
                    catch (final RuntimeException e)
                    {
                        failure = failure == null ? e : failure;
                    }
                }
            }
            finally
            {
                if (sharedCount > 0)
                {
                    sharedAnswers.increment(sharedCount);
                }
                if (encodedCount > 0)
                {
                    encodedAnswers.increment(encodedCount);
                }
                if (!listened && handedOver)
                {
                    delivery.record();
                }
            }
            return failure;
        }

        /**
         * @return the index of the chunk's last viewer that takes a shared form (its write is the chunk's last one
         *         with a promise to listen to), -1 when none does.
         */
        private int lastSharedViewer(final int from, final int to)
        {
            for (int i = to - 1; i >= from; i--)
            {
                final LiveReply reply = replies[i];
                if (!reply.cancelled() && reply instanceof SharedLiveReply sharedReply && sharedReply.acceptsShared())
                {
                    return i;
                }
            }
            return -1;
        }

        void releaseAll()
        {
            for (int i = 0; i < answerCount; i++)
            {
                answers[i].release();
                answers[i] = null;
            }
            answerCount = 0;
        }
    }
}
