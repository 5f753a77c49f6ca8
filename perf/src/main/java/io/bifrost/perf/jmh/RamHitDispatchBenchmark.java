package io.bifrost.perf.jmh;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.bifrost.edge.cache.policy.SegmentAwarePolicy;
import io.bifrost.edge.cache.ram.RamHit;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.fill.FillHead;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A RAM-tier hit answered inline on the event loop versus handed through a Disruptor ring to a lookup thread and back,
 * the choice {@code edge.ram-hit-path} (inline | ring) makes at the edge. The benchmark thread stands in for the
 * event loop: inline, it looks the object up, builds the zero-copy view and releases it; through the ring, it
 * publishes the lookup to a multi-producer ring (as the edge's tier ring), the ring's thread acquires the hit and hands
 * it back through an MPSC queue (the shape of a Netty event loop's task queue), and the event loop consumes and
 * releases it. {@code ringHitOneAtATime} is the latency of one hit with nothing else in flight (two thread hops);
 * {@code ringHitPipelined} keeps {@value #IN_FLIGHT} hits in flight, as an event loop serving many connections does,
 * and reports the cost per hit. The network write is the same in both modes and is left out. Run with
 * {@code JmhMain RamHitDispatch} (see BENCHMARKS.md); the edge default stays inline unless the ring wins here and
 * under load.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RamHitDispatchBenchmark
{
    /** Hits in flight in the pipelined ring benchmark. */
    public static final int IN_FLIGHT = 32;
    private static final int OBJECTS = 32;
    private static final Object MISS = new Object();

    @Param({"2048", "1048576"})
    public int objectBytes;

    /** The ring consumer's wait strategy: sleeping is what the edge's tier ring uses; yielding spends a core. */
    @Param({"sleeping", "yielding"})
    public String waitStrategy;

    private Path dir;
    private RamTier tier;
    private ContentKey[] keys;
    private Disruptor<Lookup> disruptor;
    private RingBuffer<Lookup> ring;
    private ManyToOneConcurrentArrayQueue<Object> eventLoopQueue;
    private int next;

    /** A pre-allocated ring slot: the object to look up. */
    static final class Lookup
    {
        ContentKey key;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("ram-dispatch-bench");
        tier = RamTier.open(dir, 128L << 20, 16 * 1024, 8L << 20, SegmentAwarePolicy::new, new SimpleMeterRegistry());
        keys = new ContentKey[OBJECTS];
        final byte[] body = new byte[objectBytes];
        ThreadLocalRandom.current().nextBytes(body);
        for (int i = 0; i < OBJECTS; i++)
        {
            keys[i] = (ContentKey)ContentKeyParser.parse("/vod/bench/720p/" + i + ".m4s");
            tier.store(keys[i], new FillHead(200, new DefaultHttpHeaders().set("cache-control", "max-age=3600"),
                objectBytes), Unpooled.wrappedBuffer(body), System.currentTimeMillis());
        }
        eventLoopQueue = new ManyToOneConcurrentArrayQueue<>(1024);
        final WaitStrategy wait = "yielding".equals(waitStrategy) ? new YieldingWaitStrategy() : new SleepingWaitStrategy();
        disruptor = new Disruptor<>(Lookup::new, 1024, new DefaultThreadFactory("bench-tier-ring", true),
            ProducerType.MULTI, wait);
        final EventHandler<Lookup> handler = (event, sequence, endOfBatch) ->
        {
            final RamHit hit = tier.acquire(event.key, System.currentTimeMillis());
            event.key = null;
            while (!eventLoopQueue.offer(hit == null ? MISS : hit))
            {
                Thread.onSpinWait();
            }
        };
        disruptor.handleEventsWith(handler);
        ring = disruptor.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        disruptor.shutdown();
        tier.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * @param blackhole sink.
     */
    @Benchmark
    public void inlineHit(final Blackhole blackhole)
    {
        serve(tier.acquire(keys[next++ & (OBJECTS - 1)], System.currentTimeMillis()), blackhole);
    }

    /**
     * @param blackhole sink.
     */
    @Benchmark
    public void ringHitOneAtATime(final Blackhole blackhole)
    {
        publish(keys[next++ & (OBJECTS - 1)]);
        serve(awaitResult(), blackhole);
    }

    /**
     * @param blackhole sink.
     */
    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public void ringHitPipelined(final Blackhole blackhole)
    {
        for (int i = 0; i < IN_FLIGHT; i++)
        {
            publish(keys[next++ & (OBJECTS - 1)]);
        }
        for (int i = 0; i < IN_FLIGHT; i++)
        {
            serve(awaitResult(), blackhole);
        }
    }

    private void publish(final ContentKey key)
    {
        final long sequence = ring.next();
        ring.get(sequence).key = key;
        ring.publish(sequence);
    }

    private Object awaitResult()
    {
        Object result;
        while ((result = eventLoopQueue.poll()) == null)
        {
            Thread.onSpinWait();
        }
        return result;
    }

    private static void serve(final Object result, final Blackhole blackhole)
    {
        if (!(result instanceof RamHit hit))
        {
            throw new IllegalStateException("every benchmark object is resident; got a miss");
        }
        final ByteBuf content = hit.content();
        blackhole.consume(content.readableBytes());
        content.release();
        hit.release();
    }
}
