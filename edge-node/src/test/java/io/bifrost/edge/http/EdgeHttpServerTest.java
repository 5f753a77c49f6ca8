package io.bifrost.edge.http;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.SegmentAwarePolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.protocol.http.ByteRange;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.UrlSigner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EdgeHttpServerTest
{
    private static final String SEGMENT = "/vod/title1/720p/7.m4s";

    @TempDir
    java.nio.file.Path dataDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
        http.close();
    }

    private TestOrigin origin() throws Exception
    {
        final TestOrigin origin = new TestOrigin();
        resources.add(origin);
        return origin;
    }

    private EdgeHttpServer edge(final EdgeNode.Context context)
    {
        final RamTier ram = RamTier.open(dataDir.resolve("ram-" + resources.size()), 64L << 20, 16 * 1024, 8L << 20, SegmentAwarePolicy::new, registry);
        resources.add(ram);
        final EdgeHttpServer server = EdgeHttpServer.start(
            context.bindAddress("127.0.0.1").port(0).ioThreads(2).meterRegistry(registry), ram, Readiness::up);
        resources.add(server);
        return server;
    }

    private EdgeHttpServer edge(final URI... origins)
    {
        return edge(new EdgeNode.Context().origins(List.of(origins)));
    }

    private static byte[] randomBytes(final int length)
    {
        final byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private HttpResponse<byte[]> get(final EdgeHttpServer edge, final String path, final String... headers) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path));
        for (int i = 0; i < headers.length; i += 2)
        {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void shouldCoalesceTwoHundredConcurrentMissesIntoOneOriginRequest() throws Exception
    {
        final byte[] body = randomBytes(1 << 20);
        final TestOrigin origin = origin().put(SEGMENT, body);
        final CountDownLatch release = origin.holdBeforeHead();
        final EdgeHttpServer edge = edge(origin.uri());
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + SEGMENT)).build();

        final List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
        for (int i = 0; i < 200; i++)
        {
            responses.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> edge.coalescer().waiters(SEGMENT) == 200);
        release.countDown();

        for (final CompletableFuture<HttpResponse<byte[]>> response : responses)
        {
            assertThat(response.get().statusCode()).isEqualTo(200);
            assertThat(response.get().body()).isEqualTo(body);
        }
        assertThat(origin.requests(SEGMENT)).isEqualTo(1);
        assertThat(registry.get("bifrost.edge.fills").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("bifrost.edge.fill.coalesced").counter().count()).isEqualTo(199.0);
        assertThat(registry.get("bifrost.edge.fill.duration").timer().count()).isEqualTo(1);
        assertThat(registry.get("bifrost.edge.fill.first.byte").timer().count()).isEqualTo(1);
        assertThat(registry.get("bifrost.edge.connections.open").gauge().value()).isPositive();
    }

    @Test
    void shouldServeRepeatRequestsFromTheRamTierWithoutAskingTheOriginAgain() throws Exception
    {
        final byte[] body = randomBytes(300_000);
        final TestOrigin origin = origin().put(SEGMENT, body);
        final EdgeHttpServer edge = edge(origin.uri());

        final HttpResponse<byte[]> miss = get(edge, SEGMENT);
        final HttpResponse<byte[]> hit = get(edge, SEGMENT);
        final HttpResponse<byte[]> rangeHit = get(edge, SEGMENT, "Range", "bytes=16380-16390");
        final HttpResponse<byte[]> conditionalHit = get(edge, SEGMENT, "If-None-Match", "\"v1-300000\"");

        assertThat(miss.body()).isEqualTo(body);
        assertThat(hit.statusCode()).isEqualTo(200);
        assertThat(hit.body()).isEqualTo(body);
        assertThat(hit.headers().firstValue("age")).isPresent();
        assertThat(hit.headers().firstValue("etag")).hasValue("\"v1-300000\"");
        assertThat(hit.headers().firstValue("content-type")).hasValue("video/iso.segment");
        assertThat(rangeHit.statusCode()).isEqualTo(206);
        assertThat(rangeHit.body()).as("a range across a page boundary")
            .isEqualTo(java.util.Arrays.copyOfRange(body, 16380, 16391));
        assertThat(conditionalHit.statusCode()).isEqualTo(304);
        assertThat(origin.requests(SEGMENT)).isEqualTo(1);
        assertThat(registry.get("bifrost.edge.requests").tag("outcome", "hit").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("bifrost.edge.cache.hits").counter().count()).isEqualTo(3.0);
    }

    @Test
    void shouldStreamBytesToTheViewerBeforeTheOriginHasSentThemAll() throws Exception
    {
        final byte[] body = randomBytes(256 * 1024);
        final TestOrigin origin = origin().put(SEGMENT, body);
        final CountDownLatch secondHalf = origin.holdAfterHalf();
        final EdgeHttpServer edge = edge(origin.uri());

        final HttpResponse<InputStream> response = http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + SEGMENT)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        final byte[] firstHalf = response.body().readNBytes(body.length / 2);
        secondHalf.countDown();
        final byte[] rest = response.body().readAllBytes();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("content-length")).hasValue(body.length);
        assertThat(firstHalf).isEqualTo(java.util.Arrays.copyOfRange(body, 0, body.length / 2));
        assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(body, body.length / 2, body.length));
    }

    @Test
    void shouldForwardOriginHeadersAndAddContentTypeAndCors() throws Exception
    {
        final TestOrigin origin = origin().put(SEGMENT, randomBytes(1000)).put("/live/cam1/master.m3u8", new byte[10]);
        final EdgeHttpServer edge = edge(origin.uri());

        final HttpResponse<byte[]> segment = get(edge, SEGMENT);
        assertThat(ContentTypes.of((ContentKey)ContentKeyParser.parse("/vod/v/thumbnails/sprite.vtt")))
            .isEqualTo("text/vtt; charset=utf-8");
        assertThat(ContentTypes.of((ContentKey)ContentKeyParser.parse("/vod/v/thumbnails/poster.jpg"))).isEqualTo("image/jpeg");
        assertThat(ContentTypes.of((ContentKey)ContentKeyParser.parse("/live/cam1/master.m3u8")))
            .isEqualTo("application/vnd.apple.mpegurl");

        assertThat(segment.headers().firstValue("etag")).hasValue("\"v1-1000\"");
        assertThat(segment.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
        assertThat(segment.headers().firstValue("content-type")).hasValue("video/iso.segment");
        assertThat(segment.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(segment.headers().firstValue("accept-ranges")).hasValue("bytes");
        assertThat(segment.headers().firstValue("x-origin-only")).isEmpty();
    }

    @Test
    void shouldAnswerByteRangesHeadAndConditionalRequestsWhileFilling() throws Exception
    {
        final byte[] body = randomBytes(100_000);
        final TestOrigin origin = origin().put(SEGMENT, body);
        final EdgeHttpServer edge = edge(origin.uri());

        final HttpResponse<byte[]> range = get(edge, SEGMENT, "Range", "bytes=1000-1999");
        final HttpResponse<byte[]> suffix = get(edge, SEGMENT, "Range", "bytes=-10");
        final HttpResponse<byte[]> beyond = get(edge, SEGMENT, "Range", "bytes=100000-");
        final HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + edge.port() + SEGMENT)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        final HttpResponse<byte[]> notModified = get(edge, SEGMENT, "If-None-Match", "\"other\", W/\"v1-100000\"");
        final HttpResponse<byte[]> modified = get(edge, SEGMENT, "If-None-Match", "\"other\"");

        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("content-range")).hasValue("bytes 1000-1999/100000");
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 1000, 2000));
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 99_990, 100_000));
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("content-range")).hasValue("bytes */100000");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("content-length")).hasValue(100_000);
        assertThat(head.body()).isEmpty();
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(modified.statusCode()).isEqualTo(200);
        assertThat(modified.body()).isEqualTo(body);
    }

    @Test
    void shouldPassOriginNotFoundThrough() throws Exception
    {
        final EdgeHttpServer edge = edge(origin().uri());

        assertThat(get(edge, "/vod/missing/720p/0.m4s").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldFailOverToTheNextOriginAndAnswer502WhenNoneCanServe() throws Exception
    {
        final byte[] body = randomBytes(5000);
        final TestOrigin broken = origin();
        broken.forceStatus(503);
        final TestOrigin healthy = origin().put(SEGMENT, body);
        final URI refused = URI.create("http://127.0.0.1:1");

        final HttpResponse<byte[]> viaFailover = get(edge(refused, broken.uri(), healthy.uri()), SEGMENT);
        final HttpResponse<byte[]> nothing = get(edge(refused, broken.uri()), SEGMENT);

        assertThat(viaFailover.statusCode()).isEqualTo(200);
        assertThat(viaFailover.body()).isEqualTo(body);
        assertThat(broken.requests(SEGMENT)).isEqualTo(2);
        assertThat(nothing.statusCode()).isEqualTo(502);
        assertThat(new String(nothing.body())).startsWith("502 fill.origin_unavailable: no origin could serve " + SEGMENT)
            .contains("127.0.0.1:1 unreachable", "answered 503");
    }

    @Test
    void shouldSkipAnOriginThatKeepsFailingUntilItsCooldownEnds() throws Exception
    {
        final TestOrigin broken = origin();
        broken.forceStatus(500);
        final TestOrigin healthy = origin();
        for (int i = 0; i < 10; i++)
        {
            healthy.put("/vod/t/720p/" + i + ".m4s", new byte[] {(byte)i});
        }
        final AtomicLong clock = new AtomicLong(1_764_000_000_000L);
        final EdgeHttpServer edge = edge(new EdgeNode.Context().origins(List.of(broken.uri(), healthy.uri()))
            .originCircuitCooldown(Duration.ofSeconds(5)).clock(clock::get));

        for (int i = 0; i < 8; i++)
        {
            assertThat(get(edge, "/vod/t/720p/" + i + ".m4s").statusCode()).isEqualTo(200);
        }
        final int whileOpen = brokenRequests(broken, 8);
        clock.addAndGet(5_000);
        assertThat(get(edge, "/vod/t/720p/8.m4s").statusCode()).isEqualTo(200);
        assertThat(get(edge, "/vod/t/720p/9.m4s").statusCode()).isEqualTo(200);

        assertThat(whileOpen).as("requests to the failing origin before its circuit opened").isEqualTo(5);
        assertThat(brokenRequests(broken, 10)).as("one trial after the cooldown, which fails and reopens").isEqualTo(6);
        assertThat(registry.get("bifrost.edge.origin.circuit.open").tag("origin", broken.uri().toString()).gauge().value())
            .isEqualTo(1.0);
    }

    private static int brokenRequests(final TestOrigin origin, final int paths)
    {
        int total = 0;
        for (int i = 0; i < paths; i++)
        {
            total += origin.requests("/vod/t/720p/" + i + ".m4s");
        }
        return total;
    }

    @Test
    void shouldAnswer504WhenTheOriginDoesNotAnswerInTime() throws Exception
    {
        final TestOrigin slow = origin().put(SEGMENT, new byte[10]);
        final CountDownLatch release = slow.holdBeforeHead();
        final EdgeHttpServer edge = edge(new EdgeNode.Context().origins(List.of(slow.uri()))
            .originResponseTimeout(Duration.ofMillis(300)));

        final HttpResponse<byte[]> response = get(edge, SEGMENT);
        release.countDown();

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(new String(response.body())).contains("fill.origin_timeout", "timed out after 300 ms");
    }

    @Test
    void shouldRefuseBadPathsMethodsAndOversizedHeadersWithAReason() throws Exception
    {
        final EdgeHttpServer edge = edge(origin().uri());

        final String traversal = RawHttp.exchange(edge.port(),
            "GET /vod/title1/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
        final String encoded = RawHttp.exchange(edge.port(),
            "GET /vod/title1%2F..%2F/720p/1.m4s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
        final String post = RawHttp.exchange(edge.port(),
            "POST /vod/title1/720p/1.m4s HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 5000);
        final String hugeHeader = RawHttp.exchange(edge.port(),
            "GET /vod/title1/720p/1.m4s HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", 5000);

        assertThat(traversal).startsWith("HTTP/1.1 400").contains("path.traversal");
        assertThat(encoded).startsWith("HTTP/1.1 400").contains("path.percent_encoded");
        assertThat(post).startsWith("HTTP/1.1 405");
        assertThat(hugeHeader).startsWith("HTTP/1.1 431");
        assertThat(registry.get("bifrost.edge.rejected.paths").tag("reason", "path.traversal").counter().count())
            .isEqualTo(1.0);
    }

    @Test
    void shouldCloseAConnectionThatTricklesItsHeadersPastTheDeadline() throws Exception
    {
        final EdgeHttpServer edge = edge(new EdgeNode.Context().origins(List.of(origin().uri()))
            .requestHeadTimeout(Duration.ofMillis(400)));

        final String answer;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", edge.port()))
        {
            socket.setSoTimeout(10_000);
            final java.io.OutputStream out = socket.getOutputStream();
            out.write("GET /vod/a/720p/1.m4s HTTP/1.1\r\nHost: x\r\n".getBytes());
            final java.io.InputStream in = socket.getInputStream();
            for (int i = 0; i < 100 && in.available() == 0; i++)
            {
                try
                {
                    out.write('X');
                    out.flush();
                }
                catch (final java.io.IOException closed)
                {
                    break;
                }
                Thread.sleep(50);
            }
            answer = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }

        assertThat(answer).startsWith("HTTP/1.1 408").contains("http.head_timeout");
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrder() throws Exception
    {
        final TestOrigin origin = origin().put("/vod/a/720p/1.m4s", "first".getBytes()).put("/vod/a/720p/2.m4s", "second".getBytes());
        final EdgeHttpServer edge = edge(origin.uri());

        final String answers = RawHttp.exchange(edge.port(),
            "GET /vod/a/720p/1.m4s HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /vod/a/720p/2.m4s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);

        assertThat(answers.indexOf("first")).isPositive();
        assertThat(answers.indexOf("up\n")).isGreaterThan(answers.indexOf("first"));
        assertThat(answers.indexOf("second")).isGreaterThan(answers.indexOf("up\n"));
        assertThat(answers.split("HTTP/1.1 200", -1)).hasSize(4);
    }

    @Test
    void shouldRequireAValidSignedUrlUnderProtectedPrefixesBeforeAnyCacheLookup() throws Exception
    {
        final String premium = "/vod/premium1/720p/0.m4s";
        final TestOrigin origin = origin().put(premium, new byte[100]).put(SEGMENT, new byte[50]);
        final SigningKeyRing keys = new SigningKeyRing(new SigningKey("k1", "0123456789abcdef0123456789abcdef".getBytes()));
        final EdgeHttpServer edge = edge(new EdgeNode.Context().origins(List.of(origin.uri()))
            .signedPrefixes(List.of("/vod/premium1/")).signingKeys(keys));
        final UrlSigner signer = new UrlSigner(keys);
        final Instant now = Instant.now();

        final HttpResponse<byte[]> withToken = get(edge, premium + "?token=" + signer.sign("/vod/premium1/", now.plusSeconds(60)));
        final HttpResponse<byte[]> withoutToken = get(edge, premium);
        final HttpResponse<byte[]> expired = get(edge, premium + "?a=1&token=" + signer.sign("/vod/premium1/", now.minusSeconds(1)));
        final HttpResponse<byte[]> otherPrefix = get(edge, premium + "?token=" + signer.sign("/vod/premium2/", now.plusSeconds(60)));
        final HttpResponse<byte[]> unprotected = get(edge, SEGMENT);

        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(new String(withoutToken.body())).startsWith("403 token.missing");
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(new String(expired.body())).startsWith("403 token.expired");
        assertThat(otherPrefix.statusCode()).isEqualTo(403);
        assertThat(new String(otherPrefix.body())).startsWith("403 token.wrong_prefix");
        assertThat(unprotected.statusCode()).isEqualTo(200);
        assertThat(origin.requests(premium)).as("refused requests never reach the cache or origin").isEqualTo(1);
    }

    @Test
    void shouldServeAnExpiredCopyOnlyWhileTheOriginFailsAndOnlyWithinTheStaleWindow() throws Exception
    {
        final String playlist = "/live/cam1/720p/index.m3u8";
        final TestOrigin origin = origin().put(playlist, "#EXTM3U\n".getBytes());
        final AtomicLong clock = new AtomicLong(1_764_000_000_000L);
        final EdgeHttpServer edge = edge(new EdgeNode.Context().origins(List.of(origin.uri())).clock(clock::get));
        origin.cacheControl("public, max-age=1");

        final HttpResponse<byte[]> first = get(edge, playlist);
        clock.addAndGet(500);
        final HttpResponse<byte[]> fresh = get(edge, playlist);
        clock.addAndGet(1_000);
        final HttpResponse<byte[]> expiredOriginUp = get(edge, playlist);
        origin.forceStatus(503);
        clock.addAndGet(10_000);
        final HttpResponse<byte[]> expiredOriginDown = get(edge, playlist);
        clock.addAndGet(60_000);
        final HttpResponse<byte[]> tooOld = get(edge, playlist);

        assertThat(first.headers().firstValue("cache-status")).hasValue("bifrost; fwd=miss");
        assertThat(fresh.headers().firstValue("cache-status")).hasValue("bifrost; hit");
        assertThat(expiredOriginUp.headers().firstValue("cache-status")).as("never stale while the origin answers")
            .hasValue("bifrost; fwd=miss");
        assertThat(expiredOriginDown.statusCode()).isEqualTo(200);
        assertThat(expiredOriginDown.body()).isEqualTo("#EXTM3U\n".getBytes());
        assertThat(expiredOriginDown.headers().firstValue("cache-status"))
            .hasValue("bifrost; hit; fwd=stale; detail=origin-unavailable");
        assertThat(tooOld.statusCode()).isEqualTo(502);
        assertThat(origin.requests(playlist)).isEqualTo(4);
    }

    @Test
    void shouldPrefetchPinAndReleaseForPlacement() throws Exception
    {
        final byte[] body = randomBytes(40_000);
        final TestOrigin origin = origin().put(SEGMENT, body);
        final EdgeHttpServer edge = edge(origin.uri());
        final ContentKey key = (ContentKey)ContentKeyParser.parse(SEGMENT);

        final boolean started = edge.placement().prefetch(key);
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("bifrost.edge.cache.stores").counter().count() == 1.0);
        final boolean again = edge.placement().prefetch(key);
        final HttpResponse<byte[]> viewer = get(edge, SEGMENT);
        final boolean pinned = edge.placement().pin(key);
        edge.placement().release(key);
        final boolean pinnedAfterRelease = edge.placement().pin(key);

        assertThat(started).isTrue();
        assertThat(again).as("already cached").isFalse();
        assertThat(viewer.headers().firstValue("cache-status")).hasValue("bifrost; hit");
        assertThat(viewer.body()).isEqualTo(body);
        assertThat(pinned).isTrue();
        assertThat(pinnedAfterRelease).isFalse();
        assertThat(origin.requests(SEGMENT)).isEqualTo(1);
    }

    @Test
    void shouldAnswerHealthAndReadinessOnTheEdgePort() throws Exception
    {
        final EdgeHttpServer edge = edge(origin().uri());

        final HttpResponse<byte[]> health = get(edge, "/healthz");
        final HttpResponse<byte[]> preflight = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + edge.port() + SEGMENT)).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofByteArray());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(new String(health.body())).isEqualTo("up\n");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValueSatisfying(v -> v.contains("Range"));
    }
}
