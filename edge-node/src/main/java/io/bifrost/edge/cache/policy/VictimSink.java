package io.bifrost.edge.cache.policy;

/**
 * Receives the objects a {@link CachePolicy} evicts, so the tier can free their storage. Called on the tier's thread
 * from inside {@link CachePolicy#admit} and {@link CachePolicy#evict}; the tier passes the same sink every time, so
 * eviction allocates nothing. The policy has already forgotten the key when the sink is called.
 */
@FunctionalInterface
public interface VictimSink
{
    /**
     * @param key the evicted object's id.
     * @param sizeBytes the bytes it occupied.
     */
    void onEvicted(long key, long sizeBytes);
}
