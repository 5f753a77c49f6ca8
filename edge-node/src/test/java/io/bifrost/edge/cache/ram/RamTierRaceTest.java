package io.bifrost.edge.cache.ram;

import io.bifrost.edge.cache.policy.LruPolicy;
import io.bifrost.edge.fill.FillHead;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stores racing each other in the RAM tier: fills of one path that finish together (the coalescer's fill and a
 * promotion from the SSD, or two edges' placements), and evictions that pick an object whose bytes are still being
 * copied in. Whatever the interleaving, every page comes back to the slab once the objects are gone.
 */
class RamTierRaceTest
{
    private static final int PAGE = 16 * 1024;
    private static final long NOW = 1_764_000_000_000L;
    private static final int THREADS = 4;

    @TempDir
    Path dir;

    private RamTier tier;
    private ExecutorService threads;

    @AfterEach
    void tearDown()
    {
        if (threads != null)
        {
            threads.shutdownNow();
        }
        if (tier != null)
        {
            tier.close();
        }
    }

    @Test
    void shouldFreeEveryPageWhenStoresOfOnePathRace() throws Exception
    {
        tier = RamTier.open(dir, 64L * PAGE, PAGE, 8L << 20, LruPolicy::new, new SimpleMeterRegistry());
        raceStores(List.of("/vod/race/720p/1.m4s"), 300);

        assertEverythingFreedAfterRemoving(List.of("/vod/race/720p/1.m4s"));
    }

    @Test
    void shouldFreeEveryPageWhenEvictionsPickObjectsStillBeingStored() throws Exception
    {
        // Room for two 7-page objects: every store evicts, often an object another thread is still copying in.
        tier = RamTier.open(dir, 16L * PAGE, PAGE, 8L << 20, LruPolicy::new, new SimpleMeterRegistry());
        final List<String> paths = List.of("/vod/race/720p/1.m4s", "/vod/race/720p/2.m4s", "/vod/race/720p/3.m4s",
            "/vod/race/720p/4.m4s", "/vod/race/720p/5.m4s");
        raceStores(paths, 300);

        final byte[] body = new byte[100_000];
        final List<String> all = new ArrayList<>(paths);
        for (int i = 0; i < 4; i++)
        {
            final String fresh = "/vod/after/720p/" + i + ".m4s";
            all.add(fresh);
            assertThat(store(fresh, body)).as("a full tier still makes room for " + fresh).isTrue();
        }
        assertEverythingFreedAfterRemoving(all);
    }

    private void raceStores(final List<String> paths, final int rounds) throws Exception
    {
        final byte[] body = new byte[100_000];
        new Random(5).nextBytes(body);
        final CyclicBarrier start = new CyclicBarrier(THREADS);
        threads = Executors.newFixedThreadPool(THREADS);
        final List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < THREADS; t++)
        {
            final int thread = t;
            running.add(threads.submit(() ->
            {
                for (int round = 0; round < rounds; round++)
                {
                    start.await(10, TimeUnit.SECONDS);
                    final String path = paths.get((round + thread) % paths.size());
                    store(path, body);
                }
                return null;
            }));
        }
        for (final Future<?> thread : running)
        {
            thread.get(60, TimeUnit.SECONDS);
        }
    }

    private boolean store(final String path, final byte[] body)
    {
        return tier.store(key(path), new FillHead(200, new DefaultHttpHeaders().set("cache-control", "max-age=3600"),
            body.length), Unpooled.wrappedBuffer(body), NOW);
    }

    private void assertEverythingFreedAfterRemoving(final List<String> paths)
    {
        for (final String path : paths)
        {
            tier.remove(path);
        }
        assertThat(tier.entries()).isZero();
        assertThat(tier.usedBytes()).isZero();
        assertThat(tier.slab().freePageCount()).as("pages back in the slab").isEqualTo(tier.slab().pageCount());
    }

    private static ContentKey key(final String path)
    {
        return (ContentKey)ContentKeyParser.parse(path);
    }
}
