package io.bifrost.edge.http;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.LruPolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.cache.ssd.SsdTier;
import io.bifrost.edge.placement.PlacementHooks;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SSD tier behind stale-if-error and placement, end to end: objects only the SSD holds (the RAM tier keeps nothing
 * this large) served stale when the origin has gone away, prefetched without a second fetch, pinned and released.
 */
class EdgeSsdStaleAndPlacementTest
{
    private static final String A = "/vod/title2/720p/1.m4s";
    private static final String B = "/vod/title2/720p/2.m4s";
    private static final String C = "/vod/title2/720p/3.m4s";
    private static final String D = "/vod/title2/720p/4.m4s";
    private static final int PAGE = 16 * 1024;
    private static final int SIZE = 100_000;
    private static final long T0 = 1_764_000_000_000L;

    @TempDir
    Path dataDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong(T0);
    private final List<AutoCloseable> running = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestOrigin origin;

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = running.size() - 1; i >= 0; i--)
        {
            running.get(i).close();
        }
        if (origin != null)
        {
            origin.close();
        }
        http.close();
    }

    /**
     * An edge whose RAM tier keeps nothing of {@link #SIZE} (so the SSD alone holds the objects), on a clock the test
     * moves.
     */
    private EdgeHttpServer edge(final long ssdBytes)
    {
        final RamTier ram = RamTier.open(dataDir.resolve("ram"), 8L * PAGE, PAGE, 64 * 1024, LruPolicy::new, registry);
        running.add(ram);
        final SsdTier ssd = SsdTier.open(dataDir.resolve("ssd"), ssdBytes, LruPolicy::new, 60_000, 60_000, registry);
        running.add(ssd);
        final EdgeHttpServer server = EdgeHttpServer.start(new EdgeNode.Context().origins(List.of(origin.uri()))
            .bindAddress("127.0.0.1").port(0).ioThreads(2).clock(now::get).staleIfErrorDefault(Duration.ofSeconds(60))
            .meterRegistry(registry), ram, ssd, Readiness::up);
        running.add(server);
        return server;
    }

    private void origin(final String... paths) throws Exception
    {
        origin = new TestOrigin();
        for (final String path : paths)
        {
            origin.put(path, body(path));
        }
    }

    private static byte[] body(final String path)
    {
        final byte[] bytes = new byte[SIZE];
        new Random(path.hashCode()).nextBytes(bytes);
        return bytes;
    }

    private HttpResponse<byte[]> get(final EdgeHttpServer edge, final String path) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }

    private double ssd(final String counter)
    {
        return registry.get(counter).tag("tier", "ssd").counter().count();
    }

    /** Two fills (the SSD's admission writes an object from its second sighting on), then on the SSD only. */
    private void putOnSsd(final EdgeHttpServer edge, final String path) throws Exception
    {
        final double stores = ssd("bifrost.edge.cache.stores");
        get(edge, path);
        get(edge, path);
        await().atMost(Duration.ofSeconds(10)).until(() -> ssd("bifrost.edge.cache.stores") == stores + 1);
    }

    private static ContentKey key(final String path)
    {
        return (ContentKey)ContentKeyParser.parse(path);
    }

    @Test
    void shouldServeAnExpiredSsdCopyWhenTheOriginHasGoneAwayWithinItsStaleIfErrorWindow() throws Exception
    {
        origin(A);
        origin.cacheControl("public, max-age=3600");
        final EdgeHttpServer edge = edge(8L << 20);
        putOnSsd(edge, A);
        origin.close();
        origin = null;

        now.set(T0 + 3_600_000 + 10_000);
        final HttpResponse<byte[]> stale = get(edge, A);
        now.set(T0 + 3_600_000 + 61_000);
        final HttpResponse<byte[]> tooOld = get(edge, A);

        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(body(A));
        assertThat(stale.headers().firstValue("cache-status")).hasValue("bifrost; hit; fwd=stale; detail=ssd-origin-unavailable");
        assertThat(stale.headers().firstValue("etag")).hasValue("\"v1-" + SIZE + "\"");
        assertThat(ssd("bifrost.edge.cache.stale.served")).isEqualTo(1.0);
        assertThat(registry.get("bifrost.edge.requests").tag("outcome", "stale").counter().count()).isEqualTo(1.0);
        assertThat(tooOld.statusCode()).as("past the 60 s window: the origin's error").isEqualTo(502);
        assertThat(new String(tooOld.body())).contains("fill.origin_unavailable");
    }

    @Test
    void shouldNotServeAnExpiredSsdCopyWhileTheOriginAnswers() throws Exception
    {
        origin(A);
        origin.cacheControl("public, max-age=3600");
        final EdgeHttpServer edge = edge(8L << 20);
        putOnSsd(edge, A);

        now.set(T0 + 3_600_000 + 10_000);
        final HttpResponse<byte[]> refilled = get(edge, A);

        assertThat(refilled.statusCode()).isEqualTo(200);
        assertThat(refilled.headers().firstValue("cache-status")).hasValue("bifrost; fwd=miss");
        assertThat(origin.requests(A)).isEqualTo(3);
        assertThat(ssd("bifrost.edge.cache.stale.served")).isZero();
    }

    @Test
    void shouldPrefetchAnObjectTheSsdHoldsWithoutFetchingItAgain() throws Exception
    {
        origin(A, B);
        final EdgeHttpServer edge = edge(8L << 20);
        putOnSsd(edge, A);
        final PlacementHooks placement = edge.placement();
        final double fills = registry.get("bifrost.edge.fills").counter().count();

        final boolean queued = placement.prefetch(key(A));
        await().atMost(Duration.ofSeconds(10)).until(() -> ssd("bifrost.edge.cache.hits") == 1.0);
        final boolean missing = placement.prefetch(key(B));
        await().atMost(Duration.ofSeconds(10)).until(() -> origin.requests(B) == 1);

        assertThat(queued).isTrue();
        assertThat(missing).isTrue();
        assertThat(origin.requests(A)).as("held on the SSD: no second fetch").isEqualTo(2);
        assertThat(registry.get("bifrost.edge.fills").counter().count()).as("only B was filled").isEqualTo(fills + 1);
    }

    @Test
    void shouldPinAnObjectOnTheSsdThroughEvictionsAndDropItOnRelease() throws Exception
    {
        origin(A, B, C, D);
        final EdgeHttpServer edge = edge(3L * SIZE);
        final PlacementHooks placement = edge.placement();
        putOnSsd(edge, A);

        await().atMost(Duration.ofSeconds(10)).until(() -> placement.pin(key(A)));
        putOnSsd(edge, B);
        putOnSsd(edge, C);
        putOnSsd(edge, D);
        final HttpResponse<byte[]> pinned = get(edge, A);
        placement.release(key(A));
        await().atMost(Duration.ofSeconds(10)).until(() ->
            registry.get("bifrost.edge.cache.entries").tag("tier", "ssd").gauge().value() == 2.0);
        final boolean pinnedAfterRelease = placement.pin(key(A));
        final HttpResponse<byte[]> released = get(edge, A);

        assertThat(ssd("bifrost.edge.cache.evictions")).as("B made room for D, not the pinned A").isEqualTo(1.0);
        assertThat(pinned.headers().firstValue("cache-status")).hasValue("bifrost; hit; detail=ssd");
        assertThat(pinned.body()).isEqualTo(body(A));
        assertThat(pinnedAfterRelease).as("released: held nowhere").isFalse();
        assertThat(released.headers().firstValue("cache-status")).hasValue("bifrost; fwd=miss");
        assertThat(origin.requests(A)).isEqualTo(3);
    }
}
