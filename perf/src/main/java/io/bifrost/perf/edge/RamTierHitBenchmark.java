package io.bifrost.perf.edge;

import io.bifrost.edge.cache.policy.SegmentAwarePolicy;
import io.bifrost.edge.cache.ram.RamHit;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.fill.FillHead;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The RAM-tier hit path without the network: look the object up (policy notified), build the zero-copy view over the
 * slab pages and release the reference, for a 2 KiB playlist and a 1 MiB segment. Anchor: a
 * {@code ConcurrentHashMap<String, ByteBuf>} of pooled direct buffers handing out a retained duplicate, the simplest
 * off-heap cache one could write (no persistence, no policy, no lifetime guard beyond the reference count).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RamTierHitBenchmark
{
    @Param({"2048", "1048576"})
    public int objectBytes;

    private Path dir;
    private RamTier tier;
    private ContentKey[] keys;
    private final ConcurrentHashMap<String, ByteBuf> anchor = new ConcurrentHashMap<>();
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("ram-bench");
        tier = RamTier.open(dir, 128L << 20, 16 * 1024, 8L << 20, SegmentAwarePolicy::new, new SimpleMeterRegistry());
        keys = new ContentKey[32];
        final byte[] body = new byte[objectBytes];
        ThreadLocalRandom.current().nextBytes(body);
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = (ContentKey)ContentKeyParser.parse("/vod/bench/720p/" + i + ".m4s");
            final ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(objectBytes).writeBytes(body);
            tier.store(keys[i], new FillHead(200, new DefaultHttpHeaders().set("cache-control", "max-age=3600"),
                objectBytes), buffer, System.currentTimeMillis());
            anchor.put(keys[i].path(), buffer);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        tier.close();
        anchor.values().forEach(ByteBuf::release);
        try (var files = Files.walk(dir))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * @param blackhole sink.
     */
    @Benchmark
    public void ramTierHit(final Blackhole blackhole)
    {
        final RamHit hit = tier.acquire(keys[next++ & 31], System.currentTimeMillis());
        final ByteBuf content = hit.content();
        blackhole.consume(content.readableBytes());
        content.release();
        hit.release();
    }

    /**
     * @param blackhole sink.
     */
    @Benchmark
    public void anchorConcurrentMapOfDirectBuffers(final Blackhole blackhole)
    {
        final ByteBuf content = anchor.get(keys[next++ & 31].path()).retainedDuplicate();
        blackhole.consume(content.readableBytes());
        content.release();
    }
}
