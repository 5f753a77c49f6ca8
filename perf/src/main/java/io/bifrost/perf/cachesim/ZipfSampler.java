package io.bifrost.perf.cachesim;

import java.util.SplittableRandom;

/**
 * Draws ranks {@code 0..n-1} with probability proportional to {@code 1 / (rank + 1)^alpha}, by binary search in a
 * precomputed cumulative table. Deterministic for a given random source.
 */
final class ZipfSampler
{
    private final double[] cumulative;

    ZipfSampler(final int n, final double alpha)
    {
        cumulative = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += 1.0 / Math.pow(i + 1, alpha);
            cumulative[i] = sum;
        }
        for (int i = 0; i < n; i++)
        {
            cumulative[i] /= sum;
        }
    }

    int next(final SplittableRandom random)
    {
        final double u = random.nextDouble();
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (cumulative[mid] < u)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }
}
