package io.bifrost.edge.live;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

/**
 * The delivery sample of one chunk of a loop's wake batch ({@link LiveWakeBatch}): the write listener of the chunk's
 * last viewer written in a shared form, the only one of the chunk's writes with a real promise. When that write
 * completes it records, for each distinct delivery timer the chunk answered (a part, a playlist), one sample from the
 * arrival to now. The loop wrote the chunk's viewers in a row before that last one, so the sample is the chunk's worst
 * and bounds every viewer in it (unless a slow viewer's socket was full: its write then completes later, unmeasured).
 *
 * <p>One object per chunk, not per viewer; it holds only the answers' immutable timing fields, so it may run after
 * the batch released the buffers.
 */
final class ChunkDelivery implements ChannelFutureListener
{
    private final SharedAnswer[] timings;
    private final int count;

    /**
     * @param timings the chunk's answers, one per distinct timing ({@link SharedAnswer#sameTiming}); owned from now.
     * @param count   how many of them are set.
     */
    private ChunkDelivery(final SharedAnswer[] timings, final int count)
    {
        this.timings = timings;
        this.count = count;
    }

    /**
     * @param answers     the distinct answers of a loop's batch.
     * @param answerCount how many of them are set.
     * @param answerOf    each viewer's answer, by index into {@code answers}.
     * @param from        the chunk's first viewer.
     * @param to          the end of the chunk (exclusive).
     * @return the chunk's listener: one sample per distinct timing among the answers its viewers get.
     */
    static ChunkDelivery of(
        final SharedAnswer[] answers, final int answerCount, final byte[] answerOf, final int from, final int to)
    {
        final SharedAnswer[] timings = new SharedAnswer[answerCount];
        int count = 0;
        if (answerCount == 1)
        {
            timings[count++] = answers[0];
        }
        else
        {
            final boolean[] used = new boolean[answerCount];
            for (int i = from; i < to; i++)
            {
                used[answerOf[i]] = true;
            }
            for (int a = 0; a < answerCount; a++)
            {
                if (used[a] && !timed(timings, count, answers[a]))
                {
                    timings[count++] = answers[a];
                }
            }
        }
        return new ChunkDelivery(timings, count);
    }

    /**
     * The chunk's last write completed (on its event loop): a failed write (the viewer left, possibly before the
     * chunk's other writes completed) is no delivery and records nothing.
     */
    @Override
    public void operationComplete(final ChannelFuture future)
    {
        if (future.isSuccess())
        {
            record();
        }
    }

    private static boolean timed(final SharedAnswer[] timings, final int count, final SharedAnswer answer)
    {
        for (int i = 0; i < count; i++)
        {
            if (timings[i].sameTiming(answer))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Record the chunk's samples now (a chunk with no viewer in a shared form: after its last answer was handed over).
     */
    void record()
    {
        for (int i = 0; i < count; i++)
        {
            timings[i].delivered();
        }
    }
}
