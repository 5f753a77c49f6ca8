package io.bifrost.perf.placement;

/**
 * Counters of one strategy over one time window. Every byte that entered an edge (the misses' fills plus the
 * prefetches) came either straight from the origin or from the regional tier ({@link RegionalTier}: shield -> edge or
 * peer -> edge, counted in {@code tierBytes}); origin egress is only what left the origin: the edges' fills less the
 * bytes the tier already held ({@code tierHitBytes}). Without a tier origin egress is the misses plus the prefetches.
 * Prefetch waste is prefetched bytes evicted before any viewer read them (bytes
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
    long viralTierHitBytes;
    long tierBytes;
    long tierHitBytes;

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
        return missBytes() + prefetchedBytes - tierHitBytes;
    }

    void onTier(final long bytes, final long hitBytes)
    {
        tierBytes += bytes;
        tierHitBytes += hitBytes;
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
        return viralMissBytes + viralPrefetchedBytes - viralTierHitBytes;
    }
}
