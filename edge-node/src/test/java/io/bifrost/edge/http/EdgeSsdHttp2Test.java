package io.bifrost.edge.http;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.LruPolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.cache.ssd.SsdTier;
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
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SSD hits over HTTP/2 under load: many concurrent streams on h2c connections (by upgrade, as the JDK client makes
 * them) answered from the SSD tier through the tier ring, while the ring promotes each hit into a RAM tier too small
 * to hold more than one object (so promotions evict, and evictions demote, under the writes). Every stream must get
 * exactly its bytes. The first rounds are cold: a new client opens one upgraded connection per request (96 upgrade
 * requests answered at once); the last is warm: all 96 streams multiplexed on one connection upgraded first.
 *
 * <p>Guards the fix of the HTTP/2 framing fault of issue #3: the JDK client lost the reads that arrived between its
 * parse of {@code 101 Switching Protocols} and its switch to HTTP/2, and failed with {@code Frame ... exceeds
 * MAX_FRAME_SIZE} in cold rounds (in some runs: a read must land in that window); the edge now answers an upgrade
 * request after the client's preface ({@code ClientPrefaceGate} in protocol, proved every run by {@link ClientPrefaceGateTest}).
 */
class EdgeSsdHttp2Test
{
    private static final int PAGE = 16 * 1024;
    private static final int SIZE = 100_000;
    private static final int OBJECTS = 8;

    @TempDir
    Path dataDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> running = new ArrayList<>();
    private final AtomicBoolean stopLoad = new AtomicBoolean();
    private TestOrigin origin;

    @AfterEach
    void tearDown() throws Exception
    {
        stopLoad.set(true);
        for (int i = running.size() - 1; i >= 0; i--)
        {
            running.get(i).close();
        }
        if (origin != null)
        {
            origin.close();
        }
    }

    private static String path(final int i)
    {
        return "/vod/title3/720p/" + i + ".m4s";
    }

    private static byte[] body(final int i)
    {
        final byte[] bytes = new byte[SIZE];
        new Random(i).nextBytes(bytes);
        return bytes;
    }

    @Test
    void shouldAnswerEveryConcurrentHttp2StreamWithItsOwnBytesFromTheSsdUnderLoad() throws Exception
    {
        origin = new TestOrigin();
        for (int i = 0; i < OBJECTS; i++)
        {
            origin.put(path(i), body(i));
        }
        final RamTier ram = RamTier.open(dataDir.resolve("ram"), 8L * PAGE, PAGE, 8L * PAGE, LruPolicy::new, registry);
        running.add(ram);
        final SsdTier ssd = SsdTier.open(dataDir.resolve("ssd"), 8L << 20, LruPolicy::new, 60_000, 60_000, registry);
        running.add(ssd);
        final EdgeHttpServer edge = EdgeHttpServer.start(new EdgeNode.Context().origins(List.of(origin.uri()))
            .bindAddress("127.0.0.1").port(0).ioThreads(2).meterRegistry(registry), ram, ssd, Readiness::up);
        running.add(edge);
        // A fill, then a RAM hit, then the next object's fill evicts it: demoted to the SSD after its hit.
        try (HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build())
        {
            for (int i = 0; i < OBJECTS; i++)
            {
                for (int hit = 0; hit < 2; hit++)
                {
                    http1.send(request(edge, path(i)).build(), HttpResponse.BodyHandlers.ofByteArray());
                }
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
            registry.get("bifrost.edge.cache.stores").tag("tier", "ssd").counter().count() == OBJECTS - 1);
        busyThreads(2);

        for (int round = 0; round < 6; round++)
        {
            try (HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build())
            {
                if (round == 5)
                {
                    // Warm: the 96 streams below share the connection this request upgraded.
                    check(h2, edge, 0).get(30, TimeUnit.SECONDS);
                }
                final List<CompletableFuture<Void>> checks = new ArrayList<>();
                for (int n = 0; n < 96; n++)
                {
                    checks.add(check(h2, edge, round * 96 + n));
                }
                CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            }
        }

        assertThat(registry.get("bifrost.edge.cache.hits").tag("tier", "ssd").counter().count())
            .as("the SSD answered").isPositive();
        for (int i = 0; i < OBJECTS; i++)
        {
            assertThat(origin.requests(path(i))).as("held by one tier or the other: never filled again").isEqualTo(1);
        }
    }

    private static HttpRequest.Builder request(final EdgeHttpServer edge, final String path)
    {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path));
    }

    /** One of four request shapes (GET, Range, HEAD, If-None-Match) for one object, checked against its bytes. */
    private static CompletableFuture<Void> check(final HttpClient h2, final EdgeHttpServer edge, final int n)
    {
        final int i = n % OBJECTS;
        final byte[] expected = body(i);
        final HttpRequest.Builder request = request(edge, path(i));
        final String what = n + " " + path(i);
        return switch (n % 4)
        {
            case 0 -> h2.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenAccept(response ->
            {
                assertThat(response.version()).as(what).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(response.statusCode()).as(what).isEqualTo(200);
                assertThat(response.body()).as(what).isEqualTo(expected);
            });
            case 1 -> h2.sendAsync(request.header("Range", "bytes=1000-70999").build(),
                HttpResponse.BodyHandlers.ofByteArray()).thenAccept(response ->
            {
                assertThat(response.statusCode()).as(what).isEqualTo(206);
                assertThat(response.body()).as(what).isEqualTo(Arrays.copyOfRange(expected, 1000, 71000));
            });
            case 2 -> h2.sendAsync(request.method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray()).thenAccept(response ->
            {
                assertThat(response.statusCode()).as(what).isEqualTo(200);
                assertThat(response.body()).as(what).isEmpty();
                assertThat(response.headers().firstValueAsLong("content-length")).as(what).hasValue(SIZE);
            });
            default -> h2.sendAsync(request.header("If-None-Match", "\"v1-" + SIZE + "\"").build(),
                HttpResponse.BodyHandlers.ofByteArray()).thenAccept(response ->
            {
                assertThat(response.statusCode()).as(what).isEqualTo(304);
                assertThat(response.body()).as(what).isEmpty();
            });
        };
    }

    private void busyThreads(final int count)
    {
        for (int t = 0; t < count; t++)
        {
            final Thread busy = new Thread(() ->
            {
                long spin = 0;
                while (!stopLoad.get())
                {
                    spin += System.nanoTime() & 7;
                }
                if (spin == 42)
                {
                    System.out.print("");
                }
            }, "test-load-" + t);
            busy.setDaemon(true);
            busy.start();
        }
    }
}
