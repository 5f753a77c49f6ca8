package io.bifrost.perf.cachesim;

import io.bifrost.edge.cache.policy.CachePolicy;
import io.bifrost.edge.cache.policy.VictimSink;

/**
 * Drives a {@link CachePolicy} the way an edge tier does: {@code onHit} when resident, otherwise {@code onMiss} then
 * {@code admit} with the object's hints. Counts evictions; checks the byte accounting after every access.
 */
final class PolicyCache implements SimulatedCache, VictimSink
{
    private final CachePolicy policy;
    private long evictions;

    PolicyCache(final CachePolicy policy)
    {
        this.policy = policy;
    }

    public boolean access(final Trace trace, final int i)
    {
        final long key = trace.keys()[i];
        if (policy.onHit(key))
        {
            return true;
        }
        policy.onMiss(key, trace.contentClass(i), trace.tracks()[i], trace.positions()[i]);
        policy.admit(key, trace.sizes()[i], trace.contentClass(i), trace.tracks()[i], trace.positions()[i], this);
        if (policy.usedBytes() > policy.capacityBytes())
        {
            throw new IllegalStateException("policy over capacity: " + policy.usedBytes());
        }
        return false;
    }

    public void onEvicted(final long key, final long sizeBytes)
    {
        evictions++;
    }

    long evictions()
    {
        return evictions;
    }
}
