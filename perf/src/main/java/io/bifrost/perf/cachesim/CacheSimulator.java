package io.bifrost.perf.cachesim;

/**
 * Replays a trace against a freshly built cache of one policy and size, counting every request (the cold start
 * included) towards the object and byte hit ratios.
 */
public final class CacheSimulator
{
    private CacheSimulator()
    {
    }

    /**
     * @param trace        the requests.
     * @param policy       the policy to build.
     * @param cacheFraction the cache size as a fraction of the trace's unique bytes, in (0, 1].
     * @return hit ratios.
     */
    public static HitRatio replay(final Trace trace, final SimulatedPolicy policy, final double cacheFraction)
    {
        final long capacityBytes = Math.max(1, (long)(trace.uniqueBytes() * cacheFraction));
        final SimulatedCache cache = policy.newCache(capacityBytes, trace);
        final int[] sizes = trace.sizes();
        long hits = 0;
        long bytes = 0;
        long byteHits = 0;
        for (int i = 0, n = trace.length(); i < n; i++)
        {
            bytes += sizes[i];
            if (cache.access(trace, i))
            {
                hits++;
                byteHits += sizes[i];
            }
        }
        return new HitRatio(trace.length(), hits, bytes, byteHits);
    }
}
