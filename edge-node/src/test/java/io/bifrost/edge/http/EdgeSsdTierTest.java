package io.bifrost.edge.http;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.ContentHints;
import io.bifrost.edge.cache.policy.LruPolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.cache.ssd.SsdTier;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SSD tier behind the RAM tier, end to end: a real RocksDB in a temp dir, the edge on loopback, a real origin.
 */
class EdgeSsdTierTest
{
    private static final String A = "/vod/title1/720p/1.m4s";
    private static final String B = "/vod/title1/720p/2.m4s";
    private static final int PAGE = 16 * 1024;
    private static final int SIZE = 100_000;

    @TempDir
    Path dataDir;

    private SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> running = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestOrigin origin;

    @AfterEach
    void tearDown() throws Exception
    {
        stopEdge();
        if (origin != null)
        {
            origin.close();
        }
        http.close();
    }

    private void stopEdge() throws Exception
    {
        for (int i = running.size() - 1; i >= 0; i--)
        {
            running.get(i).close();
        }
        running.clear();
    }

    /**
     * An edge whose RAM tier holds one test object (8 pages, LRU), or none when {@code maxRamObjectBytes} is smaller.
     */
    private EdgeHttpServer edge(final String name, final long maxRamObjectBytes, final String ramHitPath)
    {
        return edge(name, maxRamObjectBytes, new EdgeNode.Context().ramHitPath(ramHitPath));
    }

    private EdgeHttpServer edge(final String name, final long maxRamObjectBytes, final EdgeNode.Context context)
    {
        final RamTier ram = RamTier.open(dataDir.resolve(name + "-ram"), 8L * PAGE, PAGE, maxRamObjectBytes, LruPolicy::new,
            registry);
        running.add(ram);
        final SsdTier ssd = SsdTier.open(dataDir.resolve(name + "-ssd"), 8L << 20, LruPolicy::new, 60_000, 60_000,
            registry);
        running.add(ssd);
        final EdgeHttpServer server = EdgeHttpServer.start(context.origins(List.of(origin.uri()))
            .bindAddress("127.0.0.1").port(0).ioThreads(2).meterRegistry(registry), ram, ssd, Readiness::up);
        running.add(server);
        return server;
    }

    private TestOrigin origin(final String... paths) throws Exception
    {
        origin = new TestOrigin();
        for (final String path : paths)
        {
            origin.put(path, body(path));
        }
        return origin;
    }

    private static byte[] body(final String path)
    {
        final byte[] bytes = new byte[SIZE];
        new Random(path.hashCode()).nextBytes(bytes);
        return bytes;
    }

    private HttpResponse<byte[]> send(final EdgeHttpServer edge, final String method, final String path,
        final String... headers) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2)
        {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(final EdgeHttpServer edge, final String path, final String... headers) throws Exception
    {
        return send(edge, "GET", path, headers);
    }

    private double ssd(final String counter)
    {
        return registry.get(counter).tag("tier", "ssd").counter().count();
    }

    private void awaitSsd(final String counter, final double value)
    {
        await().atMost(Duration.ofSeconds(10)).until(() -> ssd(counter) == value);
    }

    /** Response headers a viewer compares, without the ones that change per request. */
    private static Map<String, List<String>> stableHeaders(final HttpResponse<?> response)
    {
        final Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
        headers.remove("age");
        headers.remove("cache-status");
        return headers;
    }

    @Test
    void shouldServeIdenticalBytesAndHeadersFromSsdAfterRamEviction() throws Exception
    {
        origin(A, B);
        final EdgeHttpServer edge = edge("e", 8L << 20, "inline");
        get(edge, A);
        final HttpResponse<byte[]> ramHit = get(edge, A);

        get(edge, B);
        awaitSsd("bifrost.edge.cache.stores", 1.0);
        final HttpResponse<byte[]> ssdHit = get(edge, A);

        assertThat(ramHit.headers().firstValue("cache-status")).hasValue("bifrost; hit");
        assertThat(ssdHit.headers().firstValue("cache-status")).hasValue("bifrost; hit; detail=ssd");
        assertThat(ssdHit.statusCode()).isEqualTo(200);
        assertThat(ssdHit.body()).isEqualTo(body(A));
        assertThat(stableHeaders(ssdHit)).isEqualTo(stableHeaders(ramHit));
        assertThat(ssdHit.headers().firstValue("etag")).hasValue("\"v1-" + SIZE + "\"");
        assertThat(origin.requests(A)).isEqualTo(1);
        assertThat(ssd("bifrost.edge.cache.hits")).isEqualTo(1.0);
        await().atMost(Duration.ofSeconds(10)).until(() ->
            registry.get("bifrost.edge.access.requests").tag("tier", "ssd").counter().count() == 1.0);
        assertThat(registry.get("bifrost.edge.access.bytes").tag("tier", "ssd").counter().count()).isEqualTo(SIZE);
        await().atMost(Duration.ofSeconds(10)).until(() ->
            registry.get("bifrost.edge.cache.stores").tag("tier", "ram").counter().count() == 3.0);
        final HttpResponse<byte[]> promoted = get(edge, A);
        assertThat(promoted.headers().firstValue("cache-status")).as("promoted to RAM by the SSD hit").hasValue("bifrost; hit");
        assertThat(promoted.body()).isEqualTo(body(A));
    }

    @Test
    void shouldRejectAOneHitWonderThenAnswerRangesAndHeadFromSsd() throws Exception
    {
        origin(A);
        final EdgeHttpServer edge = edge("e", 64 * 1024, "inline");

        get(edge, A);
        awaitSsd("bifrost.edge.cache.admission.rejected", 1.0);
        assertThat(ssd("bifrost.edge.cache.stores")).as("seen once: not written").isZero();
        get(edge, A);
        awaitSsd("bifrost.edge.cache.stores", 1.0);
        final HttpResponse<byte[]> range = get(edge, A, "Range", "bytes=65530-65545");
        final HttpResponse<byte[]> suffix = get(edge, A, "Range", "bytes=-10");
        final HttpResponse<byte[]> absurd = get(edge, A, "Range", "bytes=200000-");
        final HttpResponse<byte[]> head = send(edge, "HEAD", A);
        final HttpResponse<byte[]> conditional = get(edge, A, "If-None-Match", "\"v1-" + SIZE + "\"");

        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("content-range")).hasValue("bytes 65530-65545/" + SIZE);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(body(A), 65530, 65546));
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(body(A), SIZE - 10, SIZE));
        assertThat(absurd.statusCode()).isEqualTo(416);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("content-length")).hasValue(SIZE);
        assertThat(head.headers().firstValue("cache-status")).hasValue("bifrost; hit; detail=ssd");
        assertThat(conditional.statusCode()).isEqualTo(304);
        assertThat(origin.requests(A)).as("two fills, then every request from the SSD").isEqualTo(2);
        assertThat(ssd("bifrost.edge.cache.hits")).isEqualTo(5.0);
    }

    @Test
    void shouldFindSsdContentsAfterARestartAndRefillACorruptValue() throws Exception
    {
        origin(A, B);
        EdgeHttpServer edge = edge("e", 64 * 1024, "inline");
        for (final String path : List.of(A, A, B, B))
        {
            get(edge, path);
        }
        awaitSsd("bifrost.edge.cache.stores", 2.0);
        stopEdge();
        try (Options options = new Options(); RocksDB db = RocksDB.open(options, dataDir.resolve("e-ssd").toString()))
        {
            final byte[] dataKey = ByteBuffer.allocate(9).put((byte)1).putLong(ContentHints.objectId(B)).array();
            final byte[] value = db.get(dataKey);
            value[1234] ^= 0x01;
            db.put(dataKey, value);
        }
        registry = new SimpleMeterRegistry();

        edge = edge("e", 64 * 1024, "inline");
        final HttpResponse<byte[]> restored = get(edge, A);
        final HttpResponse<byte[]> corrupt = get(edge, B);

        assertThat(restored.headers().firstValue("cache-status")).hasValue("bifrost; hit; detail=ssd");
        assertThat(restored.body()).isEqualTo(body(A));
        assertThat(origin.requests(A)).isEqualTo(2);
        assertThat(corrupt.statusCode()).isEqualTo(200);
        assertThat(corrupt.body()).as("dropped and filled again from the origin").isEqualTo(body(B));
        assertThat(corrupt.headers().firstValue("cache-status")).hasValue("bifrost; fwd=miss");
        assertThat(origin.requests(B)).isEqualTo(3);
        assertThat(ssd("bifrost.edge.cache.corrupt")).isEqualTo(1.0);
        assertThat(registry.get("bifrost.edge.cache.entries").tag("tier", "ssd").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void shouldAnswerIdenticallyWhetherRamHitsRunInlineOrThroughTheRing() throws Exception
    {
        origin(A, B);
        final EdgeHttpServer inline = edge("inline", 8L << 20, "inline");
        final EdgeHttpServer ring = edge("ring", 8L << 20, "ring");
        final List<String[]> ramPhase = List.of(
            new String[] {"GET", A}, new String[] {"GET", A}, new String[] {"GET", A, "Range", "bytes=10-20"},
            new String[] {"HEAD", A}, new String[] {"GET", A, "If-None-Match", "\"v1-" + SIZE + "\""},
            new String[] {"GET", B}, new String[] {"GET", B});
        final List<String[]> ssdPhase = List.of(
            new String[] {"GET", A}, new String[] {"GET", "/vod/title1/720p/404.m4s"}, new String[] {"GET", "/../etc/passwd"});

        compare(inline, ring, ramPhase);
        awaitSsd("bifrost.edge.cache.stores", 2.0);
        compare(inline, ring, ssdPhase);

        assertThat(ssd("bifrost.edge.cache.hits")).as("A from the SSD on both edges").isEqualTo(2.0);
        assertThat(registry.get("bifrost.edge.ring.rejected").tag("ring", "tier").counter().count()).isZero();
    }

    private void compare(final EdgeHttpServer inline, final EdgeHttpServer ring, final List<String[]> requests)
        throws Exception
    {
        for (final String[] request : requests)
        {
            final String[] headers = Arrays.copyOfRange(request, 2, request.length);
            final HttpResponse<byte[]> viaInline = send(inline, request[0], request[1], headers);
            final HttpResponse<byte[]> viaRing = send(ring, request[0], request[1], headers);

            assertThat(viaRing.statusCode()).as(String.join(" ", request)).isEqualTo(viaInline.statusCode());
            assertThat(viaRing.body()).as(String.join(" ", request)).isEqualTo(viaInline.body());
            assertThat(viaRing.headers().firstValue("cache-status")).isEqualTo(viaInline.headers().firstValue("cache-status"));
            assertThat(stableHeaders(viaRing)).as(String.join(" ", request)).isEqualTo(stableHeaders(viaInline));
        }
    }

    @Test
    void shouldSendOneAccessEventPerRequestWithPathBytesOutcomeAndTier() throws Exception
    {
        origin(A);
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        final EdgeHttpServer edge = edge("e", 8L << 20, new EdgeNode.Context()
            .accessObserver((path, bytes, outcome, tier) -> events.add(path + " " + bytes + " " + outcome + " " + tier.tag())));

        get(edge, A);
        get(edge, A);
        get(edge, A, "Range", "bytes=0-99");
        get(edge, "/vod/title1/720p/nope.txt");

        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 4);
        final List<String> seen = new ArrayList<>(events);
        assertThat(seen.subList(0, 3)).containsExactly(
            A + " " + SIZE + " filled origin",
            A + " " + SIZE + " hit ram",
            A + " 100 partial ram");
        assertThat(seen.get(3)).startsWith("/vod/title1/720p/nope.txt ").endsWith(" bad_request none");
        assertThat(registry.get("bifrost.edge.access.bytes").tag("tier", "ram").counter().count()).isEqualTo(SIZE + 100);
        assertThat(registry.get("bifrost.edge.access.requests").tag("tier", "origin").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldDropSsdWritesBeyondTheWriteQueueInsteadOfHoldingTheirBytes() throws Exception
    {
        origin(A);
        final EdgeHttpServer edge = edge("e", 64 * 1024, new EdgeNode.Context().ssdWriteQueueBytes(SIZE - 1));

        get(edge, A);
        get(edge, A);

        await().atMost(Duration.ofSeconds(10)).until(() -> ssd("bifrost.edge.cache.offers.dropped") == 2.0);
        assertThat(ssd("bifrost.edge.cache.stores")).isZero();
        assertThat(get(edge, A).body()).isEqualTo(body(A));
    }

    @Test
    void shouldDropAnObjectFromTheSsdWhenPlacementReleasesIt() throws Exception
    {
        origin(A);
        final EdgeHttpServer edge = edge("e", 64 * 1024, "inline");
        get(edge, A);
        awaitSsd("bifrost.edge.cache.admission.rejected", 1.0);
        get(edge, A);
        awaitSsd("bifrost.edge.cache.stores", 1.0);

        edge.placement().release((ContentKey)ContentKeyParser.parse(A));

        await().atMost(Duration.ofSeconds(10)).until(() ->
            registry.get("bifrost.edge.cache.entries").tag("tier", "ssd").gauge().value() == 0.0);
        assertThat(get(edge, A).headers().firstValue("cache-status")).hasValue("bifrost; fwd=miss");
        assertThat(origin.requests(A)).isEqualTo(3);
    }
}
