package io.bifrost.perf.cachesim;

/**
 * The outcome of one replay: requests and bytes asked for, and how many of each were served from the cache.
 *
 * @param requests  requests replayed.
 * @param hits      requests that hit.
 * @param bytes     bytes requested.
 * @param byteHits  bytes served from the cache.
 */
public record HitRatio(long requests, long hits, long bytes, long byteHits)
{
    /**
     * @return hits / requests, 0 for an empty trace.
     */
    public double objectRatio()
    {
        return 0 == requests ? 0 : (double)hits / requests;
    }

    /**
     * @return bytes hit / bytes requested, 0 for an empty trace.
     */
    public double byteRatio()
    {
        return 0 == bytes ? 0 : (double)byteHits / bytes;
    }
}
