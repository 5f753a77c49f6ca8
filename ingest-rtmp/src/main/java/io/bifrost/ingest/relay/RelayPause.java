package io.bifrost.ingest.relay;

import io.bifrost.ingest.sink.SinkDemand;
import io.netty.channel.Channel;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A relayed stream's backpressure on its publisher: paused while the connection's outbound buffer is past its
 * high-water mark, resumed once it drains below the low-water mark, or when the connection goes (nothing is left to
 * wait for). A resume that races with the pause is never lost: whoever clears the flag resumes. Thread-safe.
 */
final class RelayPause
{
    private final AtomicBoolean paused = new AtomicBoolean();
    private final SinkDemand demand;
    private final RelayMetrics metrics;

    RelayPause(final SinkDemand demand, final RelayMetrics metrics)
    {
        this.demand = demand;
        this.metrics = metrics;
    }

    /**
     * @param ch the connection just written to.
     * @return whether the publisher may send on (the answer to {@code onTag}); false pauses it.
     */
    boolean writable(final Channel ch)
    {
        if (ch.isWritable())
        {
            return true;
        }
        paused.set(true);
        metrics.onPaused();
        // the channel may have drained between the check and the flag: whoever clears the flag goes on
        return ch.isWritable() && paused.compareAndSet(true, false);
    }

    /**
     * The connection's writability changed. Event loop.
     *
     * @param ch the connection.
     */
    void onWritable(final Channel ch)
    {
        if (ch.isWritable())
        {
            release();
        }
    }

    /** Resume a paused publisher: the connection drained, closed or was given up. */
    void release()
    {
        if (paused.compareAndSet(true, false))
        {
            demand.resume();
        }
    }
}
