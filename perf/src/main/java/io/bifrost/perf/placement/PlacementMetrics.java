package io.bifrost.perf.placement;

/**
 * Counters of one strategy over one time window. Origin egress is every byte the edges took from the origin: the
 * misses' fills plus the prefetches. Prefetch waste is prefetched bytes evicted before any viewer read them (bytes
 * still unread when the run ends are not counted).
 */
final class PlacementMetrics
{
    long requests;
    long hits;
    long requestedBytes;
    long hitBytes;
    long prefetchedBytes;
    long wastedBytes;
    long commands;
    long viralRequests;
    long viralHits;
    long viralMissBytes;
    long viralPrefetchedBytes;

    void onRequest(final boolean hit, final long bytes)
    {
        requests++;
        requestedBytes += bytes;
        if (hit)
        {
            hits++;
            hitBytes += bytes;
        }
    }

    long missBytes()
    {
        return requestedBytes - hitBytes;
    }

    long originEgressBytes()
    {
        return missBytes() + prefetchedBytes;
    }

    double objectHitRatio()
    {
        return requests == 0 ? 0 : (double)hits / requests;
    }

    double byteHitRatio()
    {
        return requestedBytes == 0 ? 0 : (double)hitBytes / requestedBytes;
    }

    double viralHitRatio()
    {
        return viralRequests == 0 ? 0 : (double)viralHits / viralRequests;
    }

    long viralOriginEgressBytes()
    {
        return viralMissBytes + viralPrefetchedBytes;
    }
}
