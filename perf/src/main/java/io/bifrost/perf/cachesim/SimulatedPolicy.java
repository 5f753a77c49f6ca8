package io.bifrost.perf.cachesim;

import io.bifrost.edge.cache.policy.LruPolicy;
import io.bifrost.edge.cache.policy.S3FifoPolicy;
import io.bifrost.edge.cache.policy.SegmentAwarePolicy;

/**
 * The policies the simulation compares, each able to build a fresh cache of a given size for a trace.
 */
public enum SimulatedPolicy
{
    /**
     * {@link LruPolicy}.
     */
    LRU("LRU"),

    /**
     * {@link S3FifoPolicy}.
     */
    S3_FIFO("S3-FIFO"),

    /**
     * Caffeine's W-TinyLFU.
     */
    W_TINY_LFU("W-TinyLFU (Caffeine)"),

    /**
     * {@link SegmentAwarePolicy}.
     */
    SEGMENT_AWARE("SegmentAware"),

    /**
     * Offline Belady MIN with bypass, the ceiling.
     */
    BELADY("Belady (offline)");

    private final String label;

    SimulatedPolicy(final String label)
    {
        this.label = label;
    }

    /**
     * @return the name printed in reports.
     */
    public String label()
    {
        return label;
    }

    /**
     * @param capacityBytes the cache size.
     * @param trace         the trace it will replay (Belady reads the future from it).
     * @return a fresh, empty cache.
     */
    SimulatedCache newCache(final long capacityBytes, final Trace trace)
    {
        return switch (this)
        {
            case LRU -> new PolicyCache(new LruPolicy(capacityBytes));
            case S3_FIFO -> new PolicyCache(new S3FifoPolicy(capacityBytes));
            case W_TINY_LFU -> new CaffeineCache(capacityBytes);
            case SEGMENT_AWARE -> new PolicyCache(new SegmentAwarePolicy(capacityBytes));
            case BELADY -> new BeladyCache(capacityBytes, trace);
        };
    }
}
