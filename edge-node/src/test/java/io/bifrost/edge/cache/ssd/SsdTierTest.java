package io.bifrost.edge.cache.ssd;

import io.bifrost.edge.cache.ResponseMeta;
import io.bifrost.edge.cache.policy.ContentHints;
import io.bifrost.edge.cache.policy.LruPolicy;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SsdTierTest
{
    private static final long NOW = 1_764_000_000_000L;
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    private SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SsdTier tier;

    @AfterEach
    void tearDown()
    {
        if (tier != null)
        {
            tier.close();
        }
    }

    private SsdTier open(final long capacity)
    {
        tier = SsdTier.open(dir, capacity, LruPolicy::new, 60_000, 60_000, registry);
        return tier;
    }

    private SsdTier reopen(final long capacity)
    {
        tier.close();
        registry = new SimpleMeterRegistry();
        return open(capacity);
    }

    private static ContentKey key(final String path)
    {
        return (ContentKey)ContentKeyParser.parse(path);
    }

    private static byte[] bytes(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static ResponseMeta meta(final long ttlMs)
    {
        return new ResponseMeta(200, "video/iso.segment", "\"v1\"", "public, max-age=3600", "Mon, 01 Dec 2025 10:00:00 GMT",
            NOW, NOW + ttlMs);
    }

    private boolean demote(final String path, final byte[] body) throws Exception
    {
        return tier.offer(key(path), meta(HOUR), Unpooled.wrappedBuffer(body), true, NOW);
    }

    private byte[] read(final String path) throws Exception
    {
        final SsdHit hit = tier.lookup(key(path), NOW + 1000);
        if (hit == null)
        {
            return null;
        }
        try
        {
            return ByteBufUtil.getBytes(hit.content());
        }
        finally
        {
            hit.release();
        }
    }

    /** The RocksDB key of an object: 0 (metadata) or 1 (body), then the id of its path, big-endian (SsdStore). */
    static byte[] key(final int prefix, final String path)
    {
        return ByteBuffer.allocate(9).put((byte)prefix).putLong(ContentHints.objectId(path)).array();
    }

    private double count(final String name)
    {
        return registry.get(name).tag("tier", "ssd").counter().count();
    }

    @Test
    void shouldKeepAFillOnlyFromItsSecondSighting() throws Exception
    {
        open(8L << 20);
        final ContentKey key = key("/vod/a/720p/1.m4s");
        final byte[] body = bytes(100_000, 1);

        assertThat(tier.lookup(key, NOW)).isNull();
        final boolean firstFill = tier.offer(key, meta(HOUR), Unpooled.wrappedBuffer(body), false, NOW);
        assertThat(tier.lookup(key, NOW)).isNull();
        final boolean secondFill = tier.offer(key, meta(HOUR), Unpooled.wrappedBuffer(body), false, NOW);

        assertThat(firstFill).as("a one-hit wonder is not written").isFalse();
        assertThat(secondFill).isTrue();
        assertThat(count("bifrost.edge.cache.admission.rejected")).isEqualTo(1.0);
        final SsdHit hit = tier.lookup(key, NOW + 5000);
        assertThat(ByteBufUtil.getBytes(hit.content())).isEqualTo(body);
        assertThat(hit.meta()).isEqualTo(meta(HOUR));
        assertThat(hit.ageSeconds(NOW + 5000)).isEqualTo(5);
        hit.release();
        assertThat(count("bifrost.edge.cache.hits")).isEqualTo(1.0);
        assertThat(count("bifrost.edge.cache.stores")).isEqualTo(1.0);
    }

    @Test
    void shouldKeepARamEvictionOfAHitObjectWithoutAskingForSightings() throws Exception
    {
        open(8L << 20);
        final byte[] body = bytes(300_000, 2);

        assertThat(demote("/vod/a/720p/2.m4s", body)).isTrue();

        assertThat(read("/vod/a/720p/2.m4s")).isEqualTo(body);
        assertThat(tier.usedBytes()).isEqualTo(300_000);
    }

    @Test
    void shouldNeverKeepPlaylistsOrShortLivedMedia() throws Exception
    {
        open(8L << 20);

        final boolean playlist = tier.offer(key("/vod/a/720p/index.m3u8"), meta(HOUR),
            Unpooled.wrappedBuffer(bytes(2000, 3)), true, NOW);
        final boolean shortLived = tier.offer(key("/live/s/720p/7-1.m4s"), meta(6000),
            Unpooled.wrappedBuffer(bytes(2000, 3)), true, NOW);

        assertThat(playlist).isFalse();
        assertThat(shortLived).as("live media expiring in 6 s stays in RAM only").isFalse();
        assertThat(tier.entries()).isZero();
    }

    @Test
    void shouldHoldItsBodyBytesWithinTheCapacityAndEvictTheLeastRecentlyUsed() throws Exception
    {
        final long capacity = 1L << 20;
        open(capacity);
        for (int i = 0; i < 20; i++)
        {
            demote("/vod/a/720p/" + i + ".m4s", bytes(200_000, i));
            assertThat(tier.usedBytes()).isLessThanOrEqualTo(capacity);
        }

        assertThat(tier.entries()).isEqualTo(5);
        assertThat(tier.usedBytes()).isEqualTo(1_000_000);
        assertThat(count("bifrost.edge.cache.evictions")).isEqualTo(15.0);
        assertThat(read("/vod/a/720p/0.m4s")).as("evicted, and deleted from RocksDB").isNull();
        assertThat(read("/vod/a/720p/19.m4s")).isEqualTo(bytes(200_000, 19));
        reopen(capacity);
        assertThat(tier.entries()).as("the accounting is rebuilt from what is on disk").isEqualTo(5);
        assertThat(tier.usedBytes()).isEqualTo(1_000_000);
    }

    @Test
    void shouldFindItsObjectsAgainAfterARestartWithLargeBodiesInBlobFiles() throws Exception
    {
        open(64L << 20);
        final byte[] large = bytes(1 << 20, 4);
        final byte[] small = bytes(4000, 5);
        demote("/vod/a/1080p/3.m4s", large);
        demote("/vod/a/1080p/init.mp4", small);

        reopen(64L << 20);

        assertThat(tier.entries()).isEqualTo(2);
        assertThat(tier.usedBytes()).isEqualTo(large.length + small.length);
        assertThat(read("/vod/a/1080p/3.m4s")).isEqualTo(large);
        assertThat(read("/vod/a/1080p/init.mp4")).isEqualTo(small);
        try (Stream<Path> files = Files.list(dir))
        {
            assertThat(files.filter(f -> f.toString().endsWith(".blob")).count())
                .as("values of 64 KiB and more live in blob files").isPositive();
        }
    }

    @Test
    void shouldDropACorruptBodyOrDamagedMetadataAndCountIt() throws Exception
    {
        open(8L << 20);
        demote("/vod/a/720p/1.m4s", bytes(100_000, 1));
        demote("/vod/a/720p/2.m4s", bytes(100_000, 2));
        tier.close();
        tier = null;
        try (Options options = new Options(); RocksDB db = RocksDB.open(options, dir.toString()))
        {
            final byte[] dataKey = key(1, "/vod/a/720p/1.m4s");
            final byte[] value = db.get(dataKey);
            value[50_000] ^= 0x5A;
            db.put(dataKey, value);
            db.put(key(0, "/vod/a/720p/3.m4s"), new byte[] {1, 2, 3});
            db.put(new byte[] {0, 'x'}, new byte[] {1, 2, 3});
        }

        open(8L << 20);

        assertThat(count("bifrost.edge.cache.corrupt")).as("damaged metadata is dropped at start-up").isEqualTo(2.0);
        assertThat(tier.entries()).isEqualTo(2);
        assertThat(read("/vod/a/720p/1.m4s")).as("checksum mismatch").isNull();
        assertThat(count("bifrost.edge.cache.corrupt")).isEqualTo(3.0);
        assertThat(tier.entries()).isEqualTo(1);
        assertThat(tier.usedBytes()).isEqualTo(100_000);
        assertThat(read("/vod/a/720p/2.m4s")).isEqualTo(bytes(100_000, 2));
    }

    @Test
    void shouldDropAnExpiredObjectWhenItIsLookedUpPastItsStaleIfErrorWindow() throws Exception
    {
        open(8L << 20);
        demote("/vod/a/720p/1.m4s", bytes(1000, 1));

        assertThat(tier.lookup(key("/vod/a/720p/1.m4s"), NOW + HOUR + 60_000)).isNull();

        assertThat(tier.entries()).isZero();
        assertThat(count("bifrost.edge.cache.misses")).isEqualTo(1.0);
        assertThat(tier.lookupStale(key("/vod/a/720p/1.m4s"), NOW + HOUR + 60_000)).isNull();
    }

    @Test
    void shouldKeepAnExpiredObjectAsAStaleStandInWithinItsWindowButNeverServeItFresh() throws Exception
    {
        open(8L << 20);
        final byte[] body = bytes(100_000, 6);
        demote("/vod/a/720p/6.m4s", body);
        final ContentKey key = key("/vod/a/720p/6.m4s");

        final SsdHit fresh = tier.lookup(key, NOW + HOUR + 1000);
        final SsdHit stale = tier.lookupStale(key, NOW + HOUR + 59_000);
        final SsdHit tooOld = tier.lookupStale(key, NOW + HOUR + 60_000);

        assertThat(fresh).as("expired: a miss for a normal lookup").isNull();
        assertThat(tier.entries()).as("kept for stale-if-error").isEqualTo(1);
        assertThat(ByteBufUtil.getBytes(stale.content())).isEqualTo(body);
        assertThat(stale.meta()).isEqualTo(meta(HOUR));
        stale.release();
        assertThat(tooOld).isNull();
        assertThat(count("bifrost.edge.cache.stale.served")).isEqualTo(1.0);
    }

    @Test
    void shouldHonourTheObjectsOwnStaleIfErrorAndMustRevalidate() throws Exception
    {
        open(8L << 20);
        final ResponseMeta longStale = new ResponseMeta(200, "video/iso.segment", null,
            "max-age=3600, stale-if-error=600", null, NOW, NOW + HOUR);
        final ResponseMeta mustRevalidate = new ResponseMeta(200, "video/iso.segment", null,
            "max-age=3600, must-revalidate", null, NOW, NOW + HOUR);
        tier.offer(key("/vod/a/720p/7.m4s"), longStale, Unpooled.wrappedBuffer(bytes(1000, 7)), true, NOW);
        tier.offer(key("/vod/a/720p/8.m4s"), mustRevalidate, Unpooled.wrappedBuffer(bytes(1000, 8)), true, NOW);

        final SsdHit withinItsOwnWindow = tier.lookupStale(key("/vod/a/720p/7.m4s"), NOW + HOUR + 500_000);
        final SsdHit revalidated = tier.lookupStale(key("/vod/a/720p/8.m4s"), NOW + HOUR + 1);

        assertThat(withinItsOwnWindow).as("stale-if-error=600 beats the 60 s default").isNotNull();
        withinItsOwnWindow.release();
        assertThat(revalidated).as("must-revalidate: never stale").isNull();
    }

    @Test
    void shouldNeverEvictAPinnedObjectUntilItIsUnpinned() throws Exception
    {
        open(1L << 20);
        demote("/vod/a/720p/0.m4s", bytes(200_000, 0));

        final boolean pinned = tier.pin("/vod/a/720p/0.m4s");
        final boolean absent = tier.pin("/vod/a/720p/99.m4s");
        for (int i = 1; i < 20; i++)
        {
            demote("/vod/a/720p/" + i + ".m4s", bytes(200_000, i));
        }

        assertThat(pinned).isTrue();
        assertThat(absent).as("not on the SSD").isFalse();
        assertThat(read("/vod/a/720p/0.m4s")).as("pinned through 19 later objects").isEqualTo(bytes(200_000, 0));
        tier.unpin("/vod/a/720p/0.m4s");
        for (int i = 20; i < 26; i++)
        {
            demote("/vod/a/720p/" + i + ".m4s", bytes(200_000, i));
        }
        assertThat(read("/vod/a/720p/0.m4s")).as("evictable again").isNull();
    }
}
