package io.bifrost.perf.cachesim;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Caffeine's own W-TinyLFU (adaptive window, count-min sketch admission) bounded by weight = object size, with a
 * same-thread executor so maintenance runs inline and the replay is deterministic. A hit is a non-null
 * {@code getIfPresent}; a miss puts the object. Sizes above {@code Integer.MAX_VALUE} are not expected.
 */
final class CaffeineCache implements SimulatedCache
{
    private final Cache<Long, Integer> cache;

    CaffeineCache(final long capacityBytes)
    {
        cache = Caffeine.newBuilder()
            .maximumWeight(capacityBytes)
            .weigher((final Long key, final Integer size) -> size)
            .executor(Runnable::run)
            .build();
    }

    public boolean access(final Trace trace, final int i)
    {
        final Long key = trace.keys()[i];
        if (null != cache.getIfPresent(key))
        {
            return true;
        }
        cache.put(key, trace.sizes()[i]);
        return false;
    }
}
