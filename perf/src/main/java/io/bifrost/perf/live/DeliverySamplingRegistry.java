package io.bifrost.perf.live;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.concurrent.TimeUnit;

/**
 * The harness's meter registry: an ordinary {@link SimpleMeterRegistry} that also keeps every sample of the edge's
 * held-request delivery timer ({@code bifrost.edge.live.held.delivery}) of one kind, so that the harness can print the
 * edge's own exact percentiles per round next to the viewers' (the timer's published percentiles decay over minutes
 * and would mix in the warm-up rounds).
 *
 * <p>Samples arrive on the edge's event loops (several at once with more io threads), so recording synchronizes on
 * this registry; the samples array is sized up front, nothing is allocated per sample.
 */
final class DeliverySamplingRegistry extends SimpleMeterRegistry
{
    static final String DELIVERY_TIMER = "bifrost.edge.live.held.delivery";

    private final String kind;
    private final long[] samples;
    private int count;

    /**
     * @param kind     the timer's {@code kind} tag to sample ({@code part} or {@code playlist}).
     * @param capacity the most samples kept; later ones are counted by the timer only.
     */
    DeliverySamplingRegistry(final String kind, final int capacity)
    {
        this.kind = kind;
        this.samples = new long[capacity];
    }

    @Override
    protected Timer newTimer(
        final Meter.Id id, final DistributionStatisticConfig config, final PauseDetector pauseDetector)
    {
        if (!DELIVERY_TIMER.equals(id.getName()) || !kind.equals(id.getTag("kind")))
        {
            return super.newTimer(id, config, pauseDetector);
        }
        return new CumulativeTimer(id, clock, config, pauseDetector, getBaseTimeUnit(), false)
        {
            @Override
            protected void recordNonNegative(final long amount, final TimeUnit unit)
            {
                super.recordNonNegative(amount, unit);
                sample(unit.toNanos(amount));
            }
        };
    }

    private synchronized void sample(final long nanos)
    {
        if (count < samples.length)
        {
            samples[count++] = nanos;
        }
    }

    /**
     * @return the samples recorded so far (a mark for {@link #summary}).
     */
    synchronized int count()
    {
        return count;
    }

    /**
     * @return the samples recorded from {@code from} (a {@link #count()} mark) up to now, summarised.
     */
    synchronized String summary(final int from)
    {
        final LatencySamples range = new LatencySamples(count - from);
        for (int i = from; i < count; i++)
        {
            range.record(samples[i]);
        }
        return range.summary();
    }
}
