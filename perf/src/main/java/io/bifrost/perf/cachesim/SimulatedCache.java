package io.bifrost.perf.cachesim;

/**
 * One cache under simulation: answers whether request {@code i} of the trace hits, and updates itself as a cache
 * tier would (admitting on a miss, as its policy decides).
 */
interface SimulatedCache
{
    /**
     * @param trace the trace being replayed.
     * @param i     the request index; requests are replayed in order, each exactly once.
     * @return true on a hit.
     */
    boolean access(Trace trace, int i);
}
