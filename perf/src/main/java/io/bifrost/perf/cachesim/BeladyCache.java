package io.bifrost.perf.cachesim;

import org.agrona.collections.Long2LongHashMap;

import java.util.Map;
import java.util.TreeMap;

/**
 * Belady's offline MIN as a ceiling, in its usual byte-aware approximation: it knows every request's next use, evicts
 * the resident object whose next use is farthest away until the new object fits, and bypasses (does not admit) an
 * object whose own next use is farther than that of every object it would have to evict, or that is never requested
 * again. It ignores size when ranking, so with variable sizes it is a strong heuristic, not a proven optimum (exact
 * optimal caching with sizes is NP-hard); online policies can beat it on object hit ratio in principle, rarely do.
 */
final class BeladyCache implements SimulatedCache
{
    private final long capacityBytes;
    private final long[] nextUse;
    private final Long2LongHashMap residentNextUse = new Long2LongHashMap(-1);
    private final Long2LongHashMap residentSize = new Long2LongHashMap(-1);
    private final TreeMap<Long, Long> keyByNextUse = new TreeMap<>();
    private long usedBytes;

    BeladyCache(final long capacityBytes, final Trace trace)
    {
        this.capacityBytes = capacityBytes;
        final long[] keys = trace.keys();
        final int n = keys.length;
        nextUse = new long[n];
        final Long2LongHashMap lastSeen = new Long2LongHashMap(-1);
        for (int i = n - 1; i >= 0; i--)
        {
            final long seen = lastSeen.get(keys[i]);
            nextUse[i] = -1 == seen ? (long)n + i : seen;
            lastSeen.put(keys[i], i);
        }
    }

    public boolean access(final Trace trace, final int i)
    {
        final long key = trace.keys()[i];
        final long next = nextUse[i];
        final long previous = residentNextUse.get(key);
        if (-1 != previous)
        {
            keyByNextUse.remove(previous);
            keyByNextUse.put(next, key);
            residentNextUse.put(key, next);
            return true;
        }
        final long size = trace.sizes()[i];
        if (size > capacityBytes || next >= trace.length())
        {
            return false;
        }
        while (usedBytes + size > capacityBytes)
        {
            final Map.Entry<Long, Long> farthest = keyByNextUse.lastEntry();
            if (farthest.getKey() < next)
            {
                return false;
            }
            keyByNextUse.pollLastEntry();
            final long victim = farthest.getValue();
            residentNextUse.remove(victim);
            usedBytes -= residentSize.remove(victim);
        }
        keyByNextUse.put(next, key);
        residentNextUse.put(key, next);
        residentSize.put(key, size);
        usedBytes += size;
        return false;
    }
}
