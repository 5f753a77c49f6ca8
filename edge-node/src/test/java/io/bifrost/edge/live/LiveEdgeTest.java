package io.bifrost.edge.live;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.SegmentAwarePolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.http.EdgeHttpServer;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live at the edge with real components: two embedded Aeron media drivers in temp dirs (an "origin" and an "edge",
 * as in two processes) over UDP loopback with dynamic multi-destination-cast, the edge's real Netty HTTP server on an
 * ephemeral port, and the JDK HttpClient (HTTP/1.1 and h2c) as the player.
 */
class LiveEdgeTest
{
    private static final String STREAM = "cam1";
    private static final String RENDITION = "720p";
    private static final long EPOCH = 5;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private EmbeddedAeron originAeron;
    private EmbeddedAeron edgeAeron;
    private TestLivePublisher publisher;
    private LiveEdge live;
    private RamTier ram;
    private EdgeHttpServer edge;
    private LiveTestOrigin origin;
    private HttpClient http1;
    private HttpClient http2;
    private long msn;
    private int part;

    @BeforeEach
    void setUp() throws IOException
    {
        final int controlPort;
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            controlPort = socket.getLocalPort();
        }
        originAeron = EmbeddedAeron.acquire(dir.resolve("origin-aeron"), false);
        edgeAeron = EmbeddedAeron.acquire(dir.resolve("edge-aeron"), false);
        publisher = new TestLivePublisher(originAeron.aeron(),
            AeronChannels.livePublicationChannel("localhost", controlPort));
        live = LiveEdge.start(edgeAeron.aeron(),
            AeronChannels.liveSubscriptionChannel("localhost", 0, "localhost", controlPort), 64L << 20,
            PooledByteBufAllocator.DEFAULT, registry);
        origin = new LiveTestOrigin();
        ram = RamTier.open(dir.resolve("ram"), 16L << 20, 16 * 1024, 8L << 20, SegmentAwarePolicy::new, registry);
        edge = EdgeHttpServer.start(new EdgeNode.Context().bindAddress("127.0.0.1").port(0).tlsPort(0).ioThreads(2)
            .origins(List.of(origin.uri())).meterRegistry(registry), ram, null, live.store(), Readiness::up);
        live.catchUpThrough(edge.coalescer());
        http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        await().atMost(WAIT).until(() -> publisher.publication().isConnected());
    }

    @AfterEach
    void tearDown()
    {
        http1.close();
        http2.close();
        edge.close();
        live.close();
        ram.close();
        origin.close();
        publisher.close();
        edgeAeron.close();
        originAeron.close();
    }

    /** Publish the next part of the stream, then the playlist that announces it. */
    private void advance()
    {
        final boolean segmentEnd = part == LiveParts.PARTS_PER_SEGMENT - 1;
        publisher.part(STREAM, RENDITION, EPOCH, msn, part, segmentEnd, LiveParts.bytes(EPOCH, msn, part));
        final LiveWindow window = new LiveWindow(EPOCH, Math.max(0, msn - 5), segmentEnd ? msn : msn - 1, 0,
            segmentEnd ? -1 : part, 2000, 500);
        publisher.window(STREAM, RENDITION, WindowKind.HLS_MEDIA_PLAYLIST, window, LiveParts.playlist(window));
        if (segmentEnd)
        {
            msn++;
            part = 0;
        }
        else
        {
            part++;
        }
    }

    private void advanceUntil(final long untilMsn, final int untilPart)
    {
        while (msn < untilMsn || (msn == untilMsn && part <= untilPart))
        {
            advance();
        }
    }

    private URI uri(final String path)
    {
        return URI.create("http://127.0.0.1:" + edge.port() + path);
    }

    private HttpResponse<byte[]> get(final HttpClient client, final String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private CompletableFuture<HttpResponse<String>> getAsync(final HttpClient client, final String path)
    {
        return client.sendAsync(HttpRequest.newBuilder(uri(path)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String partPath(final long msn, final int part)
    {
        return "/live/" + STREAM + "/" + RENDITION + "/" + EPOCH + "-" + msn + "." + part + ".m4s";
    }

    private static final String PLAYLIST = "/live/" + STREAM + "/" + RENDITION + "/index.m3u8";

    @Test
    void shouldServePartsSegmentsAndPlaylistsReplicatedOverAeron() throws Exception
    {
        advanceUntil(1, 1);
        await().atMost(WAIT).until(() -> live.store().hasPart(STREAM, RENDITION, EPOCH, 1, 1));

        final HttpResponse<byte[]> part = get(http1, partPath(0, 2));
        final HttpResponse<byte[]> segment = get(http1, "/live/" + STREAM + "/" + RENDITION + "/" + EPOCH + "-0.m4s");
        final HttpResponse<byte[]> playlist = get(http2, PLAYLIST);

        assertThat(part.statusCode()).isEqualTo(200);
        assertThat(part.body()).isEqualTo(LiveParts.bytes(EPOCH, 0, 2));
        assertThat(part.headers().firstValue("Cache-Status")).hasValue("bifrost; hit");
        assertThat(part.headers().firstValue("Cache-Control")).hasValue("public, max-age=4, immutable");
        assertThat(segment.statusCode()).isEqualTo(200);
        final java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        for (int p = 0; p < LiveParts.PARTS_PER_SEGMENT; p++)
        {
            whole.write(LiveParts.bytes(EPOCH, 0, p));
        }
        assertThat(segment.body()).isEqualTo(whole.toByteArray());
        assertThat(playlist.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(new String(playlist.body())).isEqualTo(LiveParts.playlist(new LiveWindow(EPOCH, 0, 0, 0, 1, 2000, 500)));
        assertThat(playlist.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(origin.requests(PLAYLIST)).isZero();
    }

    @Test
    void shouldAnswerABlockingReloadTheMomentThePartArrivesOverHttp1AndH2c() throws Exception
    {
        advanceUntil(0, 1);
        await().atMost(WAIT).until(() -> live.store().hasPart(STREAM, RENDITION, EPOCH, 0, 1));

        final CompletableFuture<HttpResponse<String>> overHttp1 = getAsync(http1, PLAYLIST + "?_HLS_msn=0&_HLS_part=2");
        final CompletableFuture<HttpResponse<String>> overH2c = getAsync(http2, PLAYLIST + "?_HLS_msn=0&_HLS_part=2");
        await().atMost(WAIT).until(() -> live.store().held(STREAM, RENDITION) == 2);
        assertThat(overHttp1).isNotDone();
        advance();

        final String expected = LiveParts.playlist(new LiveWindow(EPOCH, 0, -1, 0, 2, 2000, 500));
        assertThat(overHttp1.get().statusCode()).isEqualTo(200);
        assertThat(overHttp1.get().body()).isEqualTo(expected).contains("0.2.m4s");
        assertThat(overHttp1.get().headers().firstValue("Cache-Control")).hasValue("public, max-age=12");
        assertThat(overH2c.get().version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(overH2c.get().body()).isEqualTo(expected);
    }

    @Test
    void shouldHoldAPreloadHintedPartUntilItArrives() throws Exception
    {
        advanceUntil(0, 0);
        await().atMost(WAIT).until(() -> live.store().hasPart(STREAM, RENDITION, EPOCH, 0, 0));

        final CompletableFuture<HttpResponse<byte[]>> hinted = http1.sendAsync(
            HttpRequest.newBuilder(uri(partPath(0, 1))).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofByteArray());
        await().atMost(WAIT).until(() -> live.store().held(STREAM, RENDITION) == 1);
        advance();

        assertThat(hinted.get().statusCode()).isEqualTo(200);
        assertThat(hinted.get().body()).isEqualTo(LiveParts.bytes(EPOCH, 0, 1));
        assertThat(origin.requests(partPath(0, 1))).isZero();
    }

    @Test
    void shouldWakeFiftyHeldViewersTogetherWhenOnePartArrives() throws Exception
    {
        advanceUntil(2, 0);
        await().atMost(WAIT).until(() -> live.store().hasPart(STREAM, RENDITION, EPOCH, 2, 0));
        final List<CompletableFuture<HttpResponse<String>>> viewers = new ArrayList<>();
        for (int i = 0; i < 50; i++)
        {
            viewers.add(getAsync(i % 2 == 0 ? http1 : http2, PLAYLIST + "?_HLS_msn=2&_HLS_part=1"));
        }
        await().atMost(WAIT).until(() -> live.store().held(STREAM, RENDITION) == 50);

        advance();

        CompletableFuture.allOf(viewers.toArray(CompletableFuture[]::new)).get();
        final String expected = LiveParts.playlist(new LiveWindow(EPOCH, 0, 1, 0, 1, 2000, 500));
        for (final CompletableFuture<HttpResponse<String>> viewer : viewers)
        {
            assertThat(viewer.get().statusCode()).isEqualTo(200);
            assertThat(viewer.get().body()).isEqualTo(expected);
        }
        assertThat(registry.get("bifrost.edge.live.requests").tag("outcome", "woken").counter().count()).isEqualTo(50);
    }

    @Test
    void shouldRefuseBadDirectivesAndAnswer503AfterThreeTargetDurations() throws Exception
    {
        publisher.part(STREAM, RENDITION, EPOCH, 0, 0, false, LiveParts.bytes(EPOCH, 0, 0));
        final LiveWindow window = new LiveWindow(EPOCH, 0, -1, 0, 0, 100, 50);
        publisher.window(STREAM, RENDITION, WindowKind.HLS_MEDIA_PLAYLIST, window, LiveParts.playlist(window));
        await().atMost(WAIT).until(() -> live.store().hasPart(STREAM, RENDITION, EPOCH, 0, 0));
        await().atMost(WAIT).until(() -> get(http1, PLAYLIST).statusCode() == 200);

        final HttpResponse<byte[]> partWithoutMsn = get(http1, PLAYLIST + "?_HLS_part=1");
        final HttpResponse<byte[]> notANumber = get(http1, PLAYLIST + "?_HLS_msn=x");
        final HttpResponse<byte[]> tooFar = get(http1, PLAYLIST + "?_HLS_msn=9");
        final HttpResponse<byte[]> neverReached = get(http2, PLAYLIST + "?_HLS_msn=1&_HLS_part=0");

        assertThat(partWithoutMsn.statusCode()).isEqualTo(400);
        assertThat(new String(partWithoutMsn.body())).contains("_HLS_part needs _HLS_msn");
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(tooFar.statusCode()).isEqualTo(400);
        assertThat(neverReached.statusCode()).as("held 3 x 100 ms target duration, then 503").isEqualTo(503);
        assertThat(registry.get("bifrost.edge.live.requests").tag("outcome", "timeout").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldCatchUpOverHttpWhenJoiningLateThenFollowAeron() throws Exception
    {
        // The origin has been live for a while: its playlist lists segments 0-1 and two parts of segment 2.
        final LiveWindow before = new LiveWindow(EPOCH, 0, 1, 0, 1, 2000, 500);
        origin.put(PLAYLIST, LiveParts.utf8(LiveParts.playlist(before)));
        for (long m = 0; m <= 2; m++)
        {
            for (int p = 0; p < (m == 2 ? 2 : LiveParts.PARTS_PER_SEGMENT); p++)
            {
                origin.put(partPath(m, p), LiveParts.bytes(EPOCH, m, p));
            }
        }
        msn = 2;
        part = 2;

        advance();

        await().atMost(WAIT).until(() ->
        {
            for (long m = 0; m <= 2; m++)
            {
                for (int p = 0; p < (m == 2 ? 2 : LiveParts.PARTS_PER_SEGMENT); p++)
                {
                    if (!live.store().hasPart(STREAM, RENDITION, EPOCH, m, p))
                    {
                        return false;
                    }
                }
            }
            return true;
        });
        assertThat(origin.requests(PLAYLIST)).isGreaterThanOrEqualTo(1);
        final HttpResponse<byte[]> segment = get(http1, "/live/" + STREAM + "/" + RENDITION + "/" + EPOCH + "-1.m4s");
        assertThat(segment.statusCode()).isEqualTo(200);
        assertThat(segment.headers().firstValue("Cache-Status")).hasValue("bifrost; hit");
        final int originPartRequests = origin.requests(partPath(2, 2));

        advanceUntil(3, 0);
        await().atMost(WAIT).until(() -> live.store().hasPart(STREAM, RENDITION, EPOCH, 3, 0));
        assertThat(get(http1, partPath(3, 0)).body()).isEqualTo(LiveParts.bytes(EPOCH, 3, 0));
        assertThat(origin.requests(partPath(2, 2))).isEqualTo(originPartRequests);
        assertThat(registry.get("bifrost.edge.live.catchups").tag("result", "parts").counter().count()).isGreaterThan(0);
    }

    @Test
    void shouldFallBackToTheOriginForWhatTheLiveWindowDoesNotHold() throws Exception
    {
        origin.put("/live/other/720p/index.m3u8", LiveParts.utf8("#EXTM3U\n#from-origin\n"));
        origin.put("/live/" + STREAM + "/" + RENDITION + "/init.mp4", new byte[] {1, 2, 3});
        advanceUntil(0, 0);
        await().atMost(WAIT).until(() -> live.store().hasPart(STREAM, RENDITION, EPOCH, 0, 0));

        assertThat(new String(get(http1, "/live/other/720p/index.m3u8").body())).contains("#from-origin");
        assertThat(get(http1, "/live/" + STREAM + "/" + RENDITION + "/init.mp4").body()).containsExactly(1, 2, 3);
        assertThat(get(http1, "/live/" + STREAM + "/" + RENDITION + "/" + (EPOCH - 1) + "-0.0.m4s").statusCode())
            .as("an older session's part goes to the origin").isEqualTo(404);
    }

    @Test
    void shouldReplaceTheSessionOnANewEpochAndKeepTheFinalPlaylistAtTheEnd() throws Exception
    {
        advanceUntil(0, 1);
        await().atMost(WAIT).until(() -> live.store().hasPart(STREAM, RENDITION, EPOCH, 0, 1));
        final CompletableFuture<HttpResponse<String>> held = getAsync(http1, PLAYLIST + "?_HLS_msn=1&_HLS_part=0");
        await().atMost(WAIT).until(() -> live.store().held(STREAM, RENDITION) == 1);

        final String finalPlaylist = LiveParts.playlist(new LiveWindow(EPOCH, 0, 0, 0, -1, 2000, 500)) + "#EXT-X-ENDLIST\n";
        publisher.window(STREAM, RENDITION, WindowKind.END_OF_STREAM, new LiveWindow(EPOCH, 0, 0, 0, -1, 2000, 500),
            finalPlaylist);

        assertThat(held.get().body()).as("the end answers held reloads with the final playlist").isEqualTo(finalPlaylist);
        assertThat(new String(get(http1, PLAYLIST + "?_HLS_msn=7").body())).isEqualTo(finalPlaylist);

        publisher.part(STREAM, RENDITION, EPOCH + 1, 0, 0, false, LiveParts.bytes(EPOCH + 1, 0, 0));
        await().atMost(WAIT).until(() -> live.store().epoch(STREAM) == EPOCH + 1);
        assertThat(live.store().hasPart(STREAM, RENDITION, EPOCH, 0, 1)).isFalse();
        publisher.part(STREAM, RENDITION, EPOCH, 0, 2, false, LiveParts.bytes(EPOCH, 0, 2));
        await().atMost(WAIT).until(() ->
            registry.get("bifrost.edge.live.dropped").tag("reason", "stale_epoch").counter().count() == 1);
    }
}
