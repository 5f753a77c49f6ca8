package io.bifrost.perf.cachesim;

import io.bifrost.edge.cache.policy.ContentClass;
import org.agrona.collections.LongHashSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CacheSimulationTest
{
    private static final double[] SIZES = {0.05, 0.10, 0.20};

    @Test
    void segmentAwarePolicyShouldServeAtLeastAsManyBytesAsLruOnTheQuickVodTrace()
    {
        final Trace vod = Traces.vod(true);
        for (final double size : new double[]{0.01, 0.05, 0.10, 0.20})
        {
            final HitRatio lru = CacheSimulator.replay(vod, SimulatedPolicy.LRU, size);
            final HitRatio ours = CacheSimulator.replay(vod, SimulatedPolicy.SEGMENT_AWARE, size);

            assertThat(ours.byteRatio()).as("byte hit ratio at %s", size).isGreaterThanOrEqualTo(lru.byteRatio());
            assertThat(ours.objectRatio()).as("object hit ratio at %s", size)
                .isGreaterThanOrEqualTo(lru.objectRatio());
        }
    }

    @Test
    void segmentAwarePolicyShouldServeAtLeastAsManyBytesAsLruOnTheQuickLiveTrace()
    {
        final Trace live = Traces.live(true);
        for (final double size : SIZES)
        {
            final HitRatio lru = CacheSimulator.replay(live, SimulatedPolicy.LRU, size);
            final HitRatio ours = CacheSimulator.replay(live, SimulatedPolicy.SEGMENT_AWARE, size);

            assertThat(ours.byteRatio()).as("byte hit ratio at %s", size).isGreaterThanOrEqualTo(lru.byteRatio());
        }
    }

    @Test
    void shouldGenerateTheSameTraceFromTheSameSeed()
    {
        final Trace first = Traces.mixed(true);
        final Trace second = Traces.mixed(true);

        assertThat(first.keys()).isEqualTo(second.keys());
        assertThat(first.sizes()).isEqualTo(second.sizes());
        assertThat(first.uniqueBytes()).isEqualTo(second.uniqueBytes()).isPositive();
    }

    @Test
    void shouldWalkVodSessionsInSegmentOrder()
    {
        final Trace vod = Traces.vod(true);
        final LongHashSet seen = new LongHashSet();
        long segments = 0;
        long successors = 0;
        for (int i = 0; i < vod.length(); i++)
        {
            if (ContentClass.VOD_SEGMENT == vod.contentClass(i))
            {
                segments++;
                final long msn = vod.positions()[i];
                final long previous = TraceBuilder.key(false, (int)(vod.tracks()[i] >>> 4) & ((1 << 21) - 1),
                    (int)(vod.tracks()[i] & 15), TraceBuilder.KIND_SEGMENT, msn - 1);
                if (msn > 0 && seen.contains(previous))
                {
                    successors++;
                }
                seen.add(vod.keys()[i]);
            }
        }

        assertThat(segments).isGreaterThan(vod.length() * 8L / 10);
        assertThat((double)successors / segments).as("segments whose predecessor was requested before")
            .isGreaterThan(0.8);
    }

    @Test
    void shouldPrintOneRowPerPolicy()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CacheSimulation.report(Traces.live(true), new double[]{5}, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        final String table = bytes.toString(StandardCharsets.UTF_8);
        for (final SimulatedPolicy policy : SimulatedPolicy.values())
        {
            assertThat(table).contains("| " + policy.label());
        }
        assertThat(table).contains("5% obj / byte");
    }

    @Test
    void shouldRegisterTheBenchmarkWithJmh()
    {
        assertThat(BenchmarkList.defaultList().getAll(null, List.of()))
            .extracting(b -> b.getUsername())
            .contains("io.bifrost.perf.cachesim.CachePolicyBenchmark.access");
    }
}
