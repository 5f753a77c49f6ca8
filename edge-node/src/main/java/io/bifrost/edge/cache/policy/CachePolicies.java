package io.bifrost.edge.cache.policy;

import java.util.Locale;
import java.util.function.LongFunction;

/**
 * The policies an operator can choose by name ({@code edge.cache-policy}), as factories of a capacity in bytes.
 */
public final class CachePolicies
{
    /** The default: best measured hit ratio on the VOD and mixed traces (BENCHMARKS.md). */
    public static final String DEFAULT = "segment-aware";

    private CachePolicies()
    {
    }

    /**
     * @param name segment-aware, s3-fifo or lru (case-insensitive).
     * @return a factory of that policy for a capacity in bytes.
     * @throws IllegalArgumentException listing the names for an unknown one.
     */
    public static LongFunction<CachePolicy> named(final String name)
    {
        return switch (name.strip().toLowerCase(Locale.ROOT))
        {
            case "segment-aware" -> SegmentAwarePolicy::new;
            case "s3-fifo" -> S3FifoPolicy::new;
            case "lru" -> LruPolicy::new;
            default -> throw new IllegalArgumentException(
                "edge.cache-policy must be segment-aware, s3-fifo or lru; got '" + name + "'");
        };
    }
}
