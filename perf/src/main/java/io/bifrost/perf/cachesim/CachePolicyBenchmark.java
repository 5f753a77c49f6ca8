package io.bifrost.perf.cachesim;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cost of one cache access (a hit's bookkeeping, or a miss with admission and eviction) per policy, replaying the
 * quick mixed trace (VOD, live, flash crowd) round and round against a cache of {@code cachePercent} of its unique
 * bytes, so the mix of hits and misses is the trace's own. Includes the simulator's per-access overhead (array reads,
 * one capacity check per miss), the same for every policy. Run: {@code perf/jmh CachePolicyBenchmark -f 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CachePolicyBenchmark
{
    /**
     * The policy under test.
     */
    @Param({"LRU", "S3_FIFO", "SEGMENT_AWARE", "W_TINY_LFU"})
    public SimulatedPolicy policy;

    /**
     * Cache size as a percentage of the trace's unique bytes.
     */
    @Param({"5"})
    public double cachePercent;

    private Trace trace;
    private SimulatedCache cache;
    private int next;

    /**
     * Builds the trace and a warm cache: one full replay before measuring.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        if (SimulatedPolicy.BELADY == policy)
        {
            throw new IllegalArgumentException("Belady is offline: it cannot replay a trace round and round");
        }
        trace = Traces.mixed(true);
        cache = policy.newCache(Math.max(1, (long)(trace.uniqueBytes() * cachePercent / 100)), trace);
        for (int i = 0; i < trace.length(); i++)
        {
            cache.access(trace, i);
        }
    }

    /**
     * @return whether the access hit, so the work cannot be dropped.
     */
    @Benchmark
    public boolean access()
    {
        final int i = next;
        next = i + 1 == trace.length() ? 0 : i + 1;
        return cache.access(trace, i);
    }
}
