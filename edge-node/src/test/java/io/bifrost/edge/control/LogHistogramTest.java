package io.bifrost.edge.control;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

class LogHistogramTest
{
    @Test
    void shouldReadPercentilesWithinSevenPercentOfTheExactOnes()
    {
        final LogHistogram histogram = new LogHistogram();
        final SplittableRandom random = new SplittableRandom(7);
        final long[] values = new long[10_000];
        for (int i = 0; i < values.length; i++)
        {
            // Log-normal-ish latencies from 100 us to about 1 s.
            values[i] = (long)Math.exp(4.6 + random.nextDouble() * 9.2);
            histogram.record(values[i]);
        }
        Arrays.sort(values);

        assertThat(histogram.count()).isEqualTo(10_000);
        assertThat((double)histogram.valueAt(0.5)).isCloseTo(values[4_999], withinPercentage(7));
        assertThat((double)histogram.valueAt(0.99)).isCloseTo(values[9_899], withinPercentage(7));
    }

    @Test
    void shouldKeepSmallValuesExactAndClampHugeOnes()
    {
        final LogHistogram histogram = new LogHistogram();
        histogram.record(3);
        histogram.record(Long.MAX_VALUE);
        histogram.record(-5);

        assertThat(histogram.count()).isEqualTo(2);
        assertThat(histogram.valueAt(0.5)).isEqualTo(3);
        assertThat(histogram.valueAt(1.0)).isGreaterThan(Integer.MAX_VALUE - (Integer.MAX_VALUE >> 3));
        assertThat(LogHistogram.index(Integer.MAX_VALUE)).isEqualTo(LogHistogram.BUCKETS - 1);
    }

    @Test
    void shouldReadZeroWhenEmptyAndAfterReset()
    {
        final LogHistogram histogram = new LogHistogram();
        assertThat(histogram.valueAt(0.5)).isZero();
        histogram.record(1_000);
        histogram.reset();

        assertThat(histogram.count()).isZero();
        assertThat(histogram.valueAt(0.99)).isZero();
    }

    @Test
    void shouldPlaceEveryValueInABucketWhoseMidpointIsWithinOneSixteenth()
    {
        for (long value = 0; value < 1_000_000; value += 1 + value / 100)
        {
            final int midpoint = LogHistogram.midpoint(LogHistogram.index(value));
            assertThat(Math.abs(midpoint - value)).isLessThanOrEqualTo(Math.max(0, value / 16 + 1));
        }
    }
}
