package io.bifrost.edge.cache.policy;

/**
 * Decaying histogram of the media sequence numbers VOD requests ask for, across all titles: its shape is how far
 * sessions get into a title before they stop (abandonment), so {@link #share} estimates which fraction of a title's
 * requests go to one position. Positions from {@code BUCKETS - 1} on share the last bucket. Counts halve every epoch.
 * Fixed size, allocation-free, single-threaded.
 */
final class PositionHistogram
{
    static final int BUCKETS = 1024;

    private final float[] counts = new float[BUCKETS];
    private float total;
    private int epoch;

    void add(final long msn, final int now)
    {
        advance(now);
        counts[bucketOf(msn)]++;
        total++;
    }

    /**
     * @return the decayed fraction of VOD requests that asked for this position's bucket, 0 before any request.
     */
    float share(final long msn, final int now)
    {
        advance(now);
        return total > 0 ? counts[bucketOf(msn)] / total : 0;
    }

    private static int bucketOf(final long msn)
    {
        return msn < 0 ? 0 : (int)Math.min(msn, BUCKETS - 1);
    }

    private void advance(final int now)
    {
        if (now != epoch)
        {
            float sum = 0;
            for (int i = 0; i < BUCKETS; i++)
            {
                counts[i] = TrackHeat.decay(counts[i], epoch, now);
                sum += counts[i];
            }
            total = sum;
            epoch = now;
        }
    }
}
