package io.bifrost.edge.cache.ram;

import io.bifrost.edge.cache.ResponseMeta;
import io.bifrost.edge.cache.policy.LruPolicy;
import io.bifrost.edge.cache.policy.SegmentAwarePolicy;
import io.bifrost.edge.fill.FillHead;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import net.openhft.chronicle.map.ChronicleMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RamTierTest
{
    private static final int PAGE = 16 * 1024;
    private static final long NOW = 1_764_000_000_000L;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private RamTier tier;

    @AfterEach
    void tearDown()
    {
        if (tier != null)
        {
            tier.close();
        }
    }

    private RamTier open(final long capacity)
    {
        tier = RamTier.open(dir, capacity, PAGE, 8L << 20, LruPolicy::new, registry);
        return tier;
    }

    private static byte[] bytes(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static FillHead head(final int length, final String cacheControl)
    {
        final HttpHeaders headers = new DefaultHttpHeaders().set("content-type", "video/iso.segment").set("etag", "\"e" + length + "\"");
        if (cacheControl != null)
        {
            headers.set("cache-control", cacheControl);
        }
        return new FillHead(200, headers, length);
    }

    private static ContentKey key(final String path)
    {
        return (ContentKey)ContentKeyParser.parse(path);
    }

    private boolean store(final String path, final byte[] body)
    {
        return tier.store(key(path), head(body.length, "max-age=3600"), Unpooled.wrappedBuffer(body), NOW);
    }

    private static byte[] read(final RamHit hit)
    {
        final ByteBuf content = hit.content();
        try
        {
            return ByteBufUtil.getBytes(content);
        }
        finally
        {
            content.release();
        }
    }

    @Test
    void shouldServeStoredBytesAndHeadersFromTheMapping()
    {
        open(4L << 20);
        final byte[] body = bytes(100_000, 1);

        assertThat(store("/vod/a/720p/1.m4s", body)).isTrue();
        final RamHit hit = tier.acquire(key("/vod/a/720p/1.m4s"), NOW + 1000);

        assertThat(hit).isNotNull();
        assertThat(read(hit)).isEqualTo(body);
        assertThat(hit.content().isDirect()).isTrue();
        assertThat(hit.etag()).isEqualTo("\"e100000\"");
        assertThat(hit.cacheControl()).isEqualTo("max-age=3600");
        assertThat(hit.ageSeconds(NOW + 5000)).isEqualTo(5);
        hit.release();
        assertThat(tier.acquire(key("/vod/a/720p/2.m4s"), NOW)).isNull();
        assertThat(tier.usedBytes()).isEqualTo(100_000);
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedObjectWhenFull()
    {
        open(8L * PAGE);
        store("/vod/a/720p/1.m4s", bytes(2 * PAGE, 1));
        store("/vod/a/720p/2.m4s", bytes(2 * PAGE, 2));
        store("/vod/a/720p/3.m4s", bytes(2 * PAGE, 3));
        tier.acquire(key("/vod/a/720p/1.m4s"), NOW).release();

        store("/vod/a/720p/4.m4s", bytes(3 * PAGE, 4));

        assertThat(tier.acquire(key("/vod/a/720p/2.m4s"), NOW)).as("least recently used").isNull();
        assertThat(tier.acquire(key("/vod/a/720p/1.m4s"), NOW)).isNotNull();
        assertThat(tier.acquire(key("/vod/a/720p/3.m4s"), NOW)).isNotNull();
        assertThat(tier.acquire(key("/vod/a/720p/4.m4s"), NOW)).isNotNull();
        assertThat(registry.get("bifrost.edge.cache.evictions").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldLetTheSegmentAwarePolicyDecideAdmissionWithExactPageAccounting()
    {
        tier = RamTier.open(dir, 16L * PAGE, PAGE, 8L << 20, SegmentAwarePolicy::new, registry);
        for (int msn = 0; msn < 40; msn++)
        {
            store("/vod/a/720p/" + msn + ".m4s", bytes(PAGE, msn));
            final RamHit hit = tier.acquire(key("/vod/a/720p/" + msn + ".m4s"), NOW);
            if (hit != null)
            {
                hit.release();
            }
        }

        assertThat(tier.entries()).as("the tier is full").isEqualTo(16);
        assertThat(tier.usedBytes()).isEqualTo(16L * PAGE);
        assertThat(registry.get("bifrost.edge.cache.stores").counter().count())
            .as("later one-hit segments did not beat the sampled victims, so they were refused, not stored")
            .isEqualTo(16.0);
        final RamHit first = tier.acquire(key("/vod/a/720p/0.m4s"), NOW);
        assertThat(first).as("the start of a title, which every viewer fetches, stays").isNotNull();
        assertThat(read(first)).isEqualTo(bytes(PAGE, 0));
        first.release();
    }

    @Test
    void shouldNeverEvictPinnedObjects()
    {
        open(4L * PAGE);
        store("/vod/a/720p/1.m4s", bytes(2 * PAGE, 1));
        store("/vod/a/720p/2.m4s", bytes(2 * PAGE, 2));
        assertThat(tier.pin("/vod/a/720p/1.m4s")).isTrue();
        assertThat(tier.pin("/vod/a/720p/9.m4s")).as("not cached").isFalse();

        store("/vod/a/720p/3.m4s", bytes(2 * PAGE, 3));
        final boolean noRoom = store("/vod/a/720p/4.m4s", bytes(4 * PAGE, 4));

        final RamHit pinned = tier.acquire(key("/vod/a/720p/1.m4s"), NOW);
        assertThat(pinned).as("pinned, though least recently used").isNotNull();
        pinned.release();
        assertThat(tier.acquire(key("/vod/a/720p/2.m4s"), NOW)).isNull();
        assertThat(noRoom).as("only pinned objects left to evict").isFalse();
        assertThat(tier.entries()).as("a store that cannot fit evicts nothing").isEqualTo(2);
        tier.unpin("/vod/a/720p/1.m4s");
        assertThat(store("/vod/a/720p/4.m4s", bytes(4 * PAGE, 4))).isTrue();
    }

    @Test
    void shouldNeverOverwriteBytesAHitIsStillSending()
    {
        open(4L * PAGE);
        final byte[] first = bytes(4 * PAGE, 1);
        store("/vod/a/720p/1.m4s", first);
        final RamHit inFlight = tier.acquire(key("/vod/a/720p/1.m4s"), NOW);

        final boolean storedWhileHeld = store("/vod/a/720p/2.m4s", bytes(4 * PAGE, 2));

        assertThat(storedWhileHeld).as("no free pages while the evicted object is still being sent").isFalse();
        assertThat(read(inFlight)).isEqualTo(first);
        assertThat(tier.acquire(key("/vod/a/720p/1.m4s"), NOW)).as("evicted from the index").isNull();
        inFlight.release();
        assertThat(store("/vod/a/720p/2.m4s", bytes(4 * PAGE, 2))).isTrue();
    }

    @Test
    void shouldHonourCacheControlAndNeverServeStaleObjects()
    {
        open(4L << 20);
        final byte[] body = bytes(1000, 1);

        tier.store(key("/live/s/720p/1-5.m4s"), head(1000, "public, max-age=2"), Unpooled.wrappedBuffer(body), NOW);
        final boolean noStore = tier.store(key("/vod/a/720p/9.m4s"), head(1000, "no-store"),
            Unpooled.wrappedBuffer(body), NOW);
        final boolean playlistWithoutCacheControl = tier.store(key("/live/s/720p/index.m3u8"),
            head(1000, null), Unpooled.wrappedBuffer(body), NOW);

        assertThat(tier.acquire(key("/live/s/720p/1-5.m4s"), NOW + 1999)).isNotNull();
        assertThat(tier.acquire(key("/live/s/720p/1-5.m4s"), NOW + 2000)).isNull();
        assertThat(noStore).isFalse();
        assertThat(playlistWithoutCacheControl).isFalse();
    }

    @Test
    void shouldComeBackWarmAfterARestart()
    {
        open(4L << 20);
        final byte[] body = bytes(300_000, 7);
        store("/vod/a/1080p/3.m4s", body);
        tier.close();

        open(4L << 20);
        final RamHit hit = tier.acquire(key("/vod/a/1080p/3.m4s"), NOW + 1000);

        assertThat(hit).isNotNull();
        assertThat(read(hit)).isEqualTo(body);
        assertThat(tier.usedBytes()).isEqualTo(300_000);
        assertThat(store("/vod/a/1080p/4.m4s", bytes(300_000, 8))).as("restored pages are not handed out again").isTrue();
        assertThat(read(tier.acquire(key("/vod/a/1080p/3.m4s"), NOW))).isEqualTo(body);
    }

    @Test
    void shouldDropObjectsWhoseBytesOrIndexRecordsAreDamagedAfterARestart() throws Exception
    {
        open(4L << 20);
        store("/vod/a/720p/1.m4s", bytes(50_000, 1));
        tier.close();
        try (RandomAccessFile slab = new RandomAccessFile(dir.resolve("ram.slab").toFile(), "rw"))
        {
            slab.seek(0);
            slab.write(new byte[64]);
        }
        try (ChronicleMap<CharSequence, byte[]> index = ChronicleMap.of(CharSequence.class, byte[].class)
            .entries(1024).averageKeySize(48).averageValueSize(256).maxBloatFactor(4.0)
            .createPersistedTo(dir.resolve("ram.index").toFile()))
        {
            index.put("/vod/a/720p/2.m4s", new byte[] {1, 2, 3});
        }

        open(4L << 20);

        assertThat(tier.acquire(key("/vod/a/720p/2.m4s"), NOW)).isNull();
        assertThat(tier.acquire(key("/vod/a/720p/1.m4s"), NOW)).as("checksum mismatch").isNull();
        assertThat(registry.get("bifrost.edge.cache.corrupt").counter().count()).isEqualTo(2.0);
        assertThat(tier.entries()).isZero();
    }

    @Test
    void shouldDemoteOnlyEvictedObjectsThatWereHitWithTheirBytesAndMetadata()
    {
        open(4L * PAGE);
        final List<String> demoted = new ArrayList<>();
        final List<byte[]> demotedBytes = new ArrayList<>();
        tier.demoteTo(new RamDemotion()
        {
            @Override
            public boolean wants(final String path, final int length, final long expiresAtMs)
            {
                return true;
            }

            @Override
            public void demote(final String path, final ResponseMeta meta, final ByteBuf body)
            {
                demoted.add(path + " " + meta.etag() + " " + meta.storedAtMs() + " " + meta.expiresAtMs());
                demotedBytes.add(ByteBufUtil.getBytes(body));
                body.release();
            }
        });
        store("/vod/a/720p/1.m4s", bytes(2 * PAGE, 1));
        store("/vod/a/720p/2.m4s", bytes(2 * PAGE, 2));
        tier.acquire(key("/vod/a/720p/2.m4s"), NOW).release();

        store("/vod/a/720p/3.m4s", bytes(2 * PAGE, 3));
        store("/vod/a/720p/4.m4s", bytes(2 * PAGE, 4));

        assertThat(demoted).as("1 was never hit, 2 was").containsExactly(
            "/vod/a/720p/2.m4s \"e" + 2 * PAGE + "\" " + NOW + " " + (NOW + 3_600_000));
        assertThat(demotedBytes.get(0)).isEqualTo(bytes(2 * PAGE, 2));
    }
}
