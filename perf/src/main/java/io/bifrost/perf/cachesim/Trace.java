package io.bifrost.perf.cachesim;

import io.bifrost.edge.cache.policy.ContentClass;

/**
 * A recorded request sequence: per request the object id, its size in bytes and the hints a cache tier would derive
 * from its path (class, track id, position). Immutable once built by {@link TraceBuilder}; arrays are shared, not
 * copied, so callers must not modify what the accessors return.
 *
 * @param name        what the trace models, for reports.
 * @param keys        object id per request.
 * @param sizes       object size in bytes per request (an object's size never changes).
 * @param classes     {@link ContentClass} ordinal per request.
 * @param tracks      track id per request.
 * @param positions   position per request.
 * @param uniqueBytes sum of the sizes of distinct objects: the cache size that never evicts.
 * @param uniqueKeys  number of distinct objects.
 */
public record Trace(
    String name,
    long[] keys,
    int[] sizes,
    byte[] classes,
    long[] tracks,
    long[] positions,
    long uniqueBytes,
    int uniqueKeys)
{
    /**
     * @return number of requests.
     */
    public int length()
    {
        return keys.length;
    }

    /**
     * @param i request index.
     * @return the class of request {@code i}'s object.
     */
    public ContentClass contentClass(final int i)
    {
        return ContentClass.fromOrdinal(classes[i]);
    }

    /**
     * @return total bytes requested.
     */
    public long requestedBytes()
    {
        long sum = 0;
        for (final int size : sizes)
        {
            sum += size;
        }
        return sum;
    }
}
