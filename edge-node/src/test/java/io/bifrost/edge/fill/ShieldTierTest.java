package io.bifrost.edge.fill;

import io.bifrost.edge.EdgeNode;
import io.bifrost.protocol.node.RunningRole;
import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.UrlSigner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A regional shield is an edge in other edges' origin lists: three real edges in one JVM on loopback, two children
 * whose origin list is [shield, origin] and a shield whose origin is a real local HTTP origin.
 */
class ShieldTierTest
{
    private static final int VIEWERS_PER_CHILD = 100;

    @TempDir
    Path dataDir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private ShieldOrigin origin;

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(closeables);
        CloseHelper.close(http);
        CloseHelper.close(origin);
    }

    @Test
    void shouldFetchFromTheOriginOnceWhenTwoChildrenMissConcurrentlyThroughTheShield() throws Exception
    {
        final byte[] body = randomBytes(300_000, 1);
        origin = new ShieldOrigin().put("/vod/viral/720p/0.m4s", body);
        final MeterRegistry shieldMeters = new SimpleMeterRegistry();
        final MeterRegistry childAMeters = new SimpleMeterRegistry();
        final MeterRegistry childBMeters = new SimpleMeterRegistry();
        final Edge shield = edge("shield", shieldMeters, List.of(origin.uri()), c -> c);
        final Edge childA = edge("child-a", childAMeters, List.of(shield.uri, origin.uri()), c -> c);
        final Edge childB = edge("child-b", childBMeters, List.of(shield.uri, origin.uri()), c -> c);
        final CountDownLatch gate = origin.hold();

        final List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
        for (int i = 0; i < VIEWERS_PER_CHILD; i++)
        {
            responses.add(getAsync(childA.uri.resolve("/vod/viral/720p/0.m4s")));
            responses.add(getAsync(childB.uri.resolve("/vod/viral/720p/0.m4s")));
        }
        // Every viewer is waiting on its child's one fill, and the second child's fill joined the shield's.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        {
            assertThat(count(childAMeters, "bifrost.edge.fill.coalesced")).isEqualTo(VIEWERS_PER_CHILD - 1);
            assertThat(count(childBMeters, "bifrost.edge.fill.coalesced")).isEqualTo(VIEWERS_PER_CHILD - 1);
            assertThat(count(shieldMeters, "bifrost.edge.fill.coalesced")).isEqualTo(1);
        });
        gate.countDown();

        for (final CompletableFuture<HttpResponse<byte[]>> response : responses)
        {
            assertThat(response.get().statusCode()).isEqualTo(200);
            assertThat(response.get().body()).isEqualTo(body);
        }
        assertThat(origin.requests("/vod/viral/720p/0.m4s")).isEqualTo(1);
        assertThat(origin.hops("/vod/viral/720p/0.m4s")).as("viewer -> child (0) -> shield (1) -> origin (2)")
            .containsExactly("2");
        assertThat(count(childAMeters, "bifrost.edge.fills")).isEqualTo(1);
        assertThat(count(childBMeters, "bifrost.edge.fills")).isEqualTo(1);
        assertThat(count(shieldMeters, "bifrost.edge.fills")).isEqualTo(1);
    }

    @Test
    void shouldFailOverToTheOriginWhenTheShieldIsDown() throws Exception
    {
        final byte[] before = randomBytes(50_000, 2);
        final byte[] after = randomBytes(50_000, 3);
        origin = new ShieldOrigin().put("/vod/title/720p/0.m4s", before).put("/vod/title/720p/1.m4s", after);
        final MeterRegistry shieldMeters = new SimpleMeterRegistry();
        final Edge shield = edge("shield", shieldMeters, List.of(origin.uri()), c -> c);
        final Edge child = edge("child", new SimpleMeterRegistry(), List.of(shield.uri, origin.uri()), c -> c);
        assertThat(get(child.uri.resolve("/vod/title/720p/0.m4s")).body()).isEqualTo(before);
        assertThat(count(shieldMeters, "bifrost.edge.fills")).as("through the shield").isEqualTo(1);

        closeables.remove(shield.role);
        shield.role.close();
        final HttpResponse<byte[]> failedOver = get(child.uri.resolve("/vod/title/720p/1.m4s"));

        assertThat(failedOver.statusCode()).isEqualTo(200);
        assertThat(failedOver.body()).isEqualTo(after);
        assertThat(count(shieldMeters, "bifrost.edge.fills")).as("not through the shield").isEqualTo(1);
        assertThat(origin.requests("/vod/title/720p/1.m4s")).isEqualTo(1);
    }

    @Test
    void shouldCheckTokensAtTheChildAndFillThroughAShieldWithoutSignedPrefixes() throws Exception
    {
        final SigningKeyRing keys = new SigningKeyRing(
            new SigningKey("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)));
        final byte[] body = randomBytes(80_000, 4);
        origin = new ShieldOrigin().put("/vod/premium/720p/0.m4s", body).put("/vod/premium/720p/1.m4s", body);
        final MeterRegistry shieldMeters = new SimpleMeterRegistry();
        final Edge shield = edge("shield", shieldMeters, List.of(origin.uri()), c -> c);
        final Edge child = edge("child", new SimpleMeterRegistry(), List.of(shield.uri, origin.uri()),
            c -> c.signedPrefixes(List.of("/vod/premium/")).signingKeys(keys));
        final String token = new UrlSigner(keys).sign("/vod/premium/", Instant.now().plusSeconds(300));

        final HttpResponse<byte[]> unsigned = get(child.uri.resolve("/vod/premium/720p/0.m4s"));
        final HttpResponse<byte[]> signed = get(child.uri.resolve("/vod/premium/720p/0.m4s?token=" + token));

        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(signed.body()).isEqualTo(body);
        assertThat(origin.requests("/vod/premium/720p/0.m4s")).isEqualTo(1);
        assertThat(count(shieldMeters, "bifrost.edge.fills")).as("through the shield").isEqualTo(1);

        // The wrong layout: a shield that also asks for tokens refuses the child's fill (a fill carries no viewer
        // token), so the child fails over to the origin: it still plays, but the shield is bypassed.
        final MeterRegistry guardedMeters = new SimpleMeterRegistry();
        final Edge guardedShield = edge("guarded-shield", guardedMeters, List.of(origin.uri()),
            c -> c.signedPrefixes(List.of("/vod/premium/")).signingKeys(keys));
        final Edge child2 = edge("child-2", new SimpleMeterRegistry(), List.of(guardedShield.uri, origin.uri()),
            c -> c.signedPrefixes(List.of("/vod/premium/")).signingKeys(keys));
        final HttpResponse<byte[]> bypassed = get(child2.uri.resolve("/vod/premium/720p/1.m4s?token=" + token));

        assertThat(bypassed.statusCode()).isEqualTo(200);
        assertThat(bypassed.body()).isEqualTo(body);
        assertThat(count(guardedMeters, "bifrost.edge.fills")).as("refused before any fill").isZero();
        assertThat(origin.requests("/vod/premium/720p/1.m4s")).isEqualTo(1);
    }

    @Test
    void shouldCutACircleOfOriginListsWith508AndFailOverToTheOrigin() throws Exception
    {
        final byte[] body = randomBytes(40_000, 5);
        origin = new ShieldOrigin().put("/vod/circle/720p/0.m4s", body);
        final int portA = freePort();
        final int portB = freePort();
        final URI uriA = URI.create("http://127.0.0.1:" + portA);
        final URI uriB = URI.create("http://127.0.0.1:" + portB);
        final MeterRegistry metersA = new SimpleMeterRegistry();
        final MeterRegistry metersB = new SimpleMeterRegistry();
        // The mistake an operator can make: A fills from B first, B from A first.
        edge("edge-a", portA, metersA, List.of(uriB, origin.uri()), c -> c);
        edge("edge-b", portB, metersB, List.of(uriA, origin.uri()), c -> c);

        final HttpResponse<byte[]> answer = get(uriA.resolve("/vod/circle/720p/0.m4s"));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(body);
        assertThat(count(metersA, "bifrost.edge.fill.loops")).as("A refused B's forward of A's own miss").isEqualTo(1);
        assertThat(count(metersB, "bifrost.edge.fill.loops")).isZero();
        assertThat(origin.hops("/vod/circle/720p/0.m4s")).as("B failed over to the origin").containsExactly("2");
    }

    private Edge edge(
        final String name,
        final MeterRegistry registry,
        final List<URI> origins,
        final UnaryOperator<EdgeNode.Context> extra) throws Exception
    {
        return edge(name, freePort(), registry, origins, extra);
    }

    private static int freePort() throws Exception
    {
        try (ServerSocket probe = new ServerSocket(0))
        {
            return probe.getLocalPort();
        }
    }

    private Edge edge(
        final String name,
        final int port,
        final MeterRegistry registry,
        final List<URI> origins,
        final UnaryOperator<EdgeNode.Context> extra) throws Exception
    {
        final EdgeNode.Context context = extra.apply(new EdgeNode.Context().bindAddress("127.0.0.1").port(port)
            .dataDir(dataDir.resolve(name)).ramBytes(16L << 20).origins(origins).meterRegistry(registry)
            .originResponseTimeout(Duration.ofSeconds(20)));
        final RunningRole role = EdgeNode.launch(context);
        closeables.add(role);
        return new Edge(role, URI.create("http://127.0.0.1:" + port));
    }

    private CompletableFuture<HttpResponse<byte[]>> getAsync(final URI uri)
    {
        return http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(final URI uri) throws Exception
    {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }

    private static double count(final MeterRegistry registry, final String name)
    {
        return registry.get(name).counter().count();
    }

    private static byte[] randomBytes(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private record Edge(RunningRole role, URI uri)
    {
    }
}
