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
    ChunkDelivery(final SharedAnswer[] timings, final int count)
    {
        this.timings = timings;
        this.count = count;
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
