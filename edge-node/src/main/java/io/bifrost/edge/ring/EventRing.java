package io.bifrost.edge.ring;

import com.lmax.disruptor.EventFactory;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One LMAX Disruptor ring with one consumer thread: many producers (event loops, fill callbacks) hand work to it
 * without blocking. A full ring refuses the event ({@link #publish} returns false) rather than making the producer
 * wait; refusals are counted as {@code bifrost.edge.ring.rejected{ring}}, the backlog is the gauge
 * {@code bifrost.edge.ring.depth{ring}}.
 *
 * <p>Thread-safe for producers; the handler runs on the ring's own thread ({@code bifrost-edge-ring-NAME}).
 *
 * @param <E> the pre-allocated event type.
 */
final class EventRing<E> implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(EventRing.class);

    private final String name;
    private final Disruptor<E> disruptor;
    private final RingBuffer<E> ring;
    private final Counter rejected;
    private volatile boolean closed;

    EventRing(
        final String name,
        final int slots,
        final EventFactory<E> factory,
        final EventHandler<E> handler,
        final WaitStrategy waitStrategy,
        final MeterRegistry registry)
    {
        if (Integer.bitCount(slots) != 1)
        {
            throw new IllegalArgumentException("ring " + name + ": slots must be a power of two, got " + slots);
        }
        this.name = name;
        disruptor = new Disruptor<>(factory, slots, new DefaultThreadFactory("bifrost-edge-ring-" + name, true),
            ProducerType.MULTI, waitStrategy);
        disruptor.handleEventsWith(handler);
        disruptor.setDefaultExceptionHandler(new ExceptionHandler<>()
        {
            @Override
            public void handleEventException(final Throwable ex, final long sequence, final Object event)
            {
                LOG.warn("ring {}: event failed ({}); continuing", name, ex.toString());
            }

            @Override
            public void handleOnStartException(final Throwable ex)
            {
                LOG.warn("ring {}: start failed", name, ex);
            }

            @Override
            public void handleOnShutdownException(final Throwable ex)
            {
                LOG.warn("ring {}: shutdown failed", name, ex);
            }
        });
        ring = disruptor.start();
        rejected = Counter.builder("bifrost.edge.ring.rejected").tag("ring", name)
            .description("events refused because the ring was full (the work was done another way or dropped)")
            .register(registry);
        Gauge.builder("bifrost.edge.ring.depth", ring, r -> r.getBufferSize() - r.remainingCapacity())
            .tag("ring", name).description("events waiting in the ring").register(registry);
    }

    /**
     * Claim a slot without blocking; fill {@link #slot} and {@link #publish} it right after (no throwing in between).
     *
     * @return the slot's sequence, or -1 when the ring is full or closed (counted).
     */
    long claim()
    {
        if (!closed)
        {
            try
            {
                return ring.tryNext();
            }
            catch (final InsufficientCapacityException full)
            {
                // counted below
            }
        }
        rejected.increment();
        return -1;
    }

    /**
     * @param sequence a claimed sequence.
     * @return its pre-allocated event, to fill.
     */
    E slot(final long sequence)
    {
        return ring.get(sequence);
    }

    /**
     * @param sequence a claimed and filled sequence.
     */
    void publish(final long sequence)
    {
        ring.publish(sequence);
    }

    /**
     * @return events waiting.
     */
    long depth()
    {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    /**
     * Stop taking events, let the handler finish what is queued (up to 5 s), then stop its thread.
     */
    @Override
    public void close()
    {
        closed = true;
        try
        {
            disruptor.shutdown(5, TimeUnit.SECONDS);
        }
        catch (final TimeoutException ex)
        {
            LOG.warn("ring {}: backlog not drained within 5 s; halting", name);
            disruptor.halt();
        }
    }
}
