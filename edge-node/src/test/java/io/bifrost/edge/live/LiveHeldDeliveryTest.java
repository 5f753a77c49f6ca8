package io.bifrost.edge.live;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.RunningEdge;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The held requests' delivery timer on a real edge ({@link EdgeNode#launch} on an ephemeral port, two event loops,
 * HTTP/1.1 viewers on 127.0.0.1, the part and playlist arriving over aeron:ipc): one sample per event loop's batch of a
 * wake ({@code bifrost.edge.live.wake.chunks}), by kind, whichever way the batch's answers were written (pre-encoded,
 * through the codec for a HEAD), counted from the arrival, none for a request answered at once. That a sample waits
 * for its write to complete is {@link LiveWakeDeliveryTest}'s.
 */
class LiveHeldDeliveryTest
{
    private static final int GETS = 5;

    @TempDir
    Path dir;

    @Test
    void shouldRecordOneDeliverySamplePerAnsweredHeldRequestWhenThePartArrives() throws Exception
    {
        final Path aeronDir = dir.resolve("aeron");
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final EdgeNode.Context context = new EdgeNode.Context().bindAddress("127.0.0.1").port(0).tlsPort(0)
            .dataDir(dir.resolve("edge")).ioThreads(2).origins(List.of(URI.create("http://127.0.0.1:9")))
            .meterRegistry(registry).liveChannel(AeronChannels.IPC_CHANNEL).aeronDirectory(aeronDir)
            .liveBytes(8L << 20);
        try (EmbeddedAeron origin = EmbeddedAeron.acquire(aeronDir, false);
            TestLivePublisher publisher = new TestLivePublisher(origin.aeron(), AeronChannels.LIVE_IPC_PUBLICATION_CHANNEL);
            RunningEdge edge = EdgeNode.launch(context);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build())
        {
            await().atMost(Duration.ofSeconds(20)).until(() -> publisher.publication().isConnected());
            final LiveWindow first = new LiveWindow(3, 0, -1, 0, 0, 2000, 500);
            publisher.part("d", "480p", 3, 0, 0, false, LiveParts.bytes(3, 0, 0));
            publisher.window("d", "480p", WindowKind.HLS_MEDIA_PLAYLIST, first, LiveParts.playlist(first));
            final String base = "http://127.0.0.1:" + edge.port() + "/live/d/480p/";
            await().atMost(Duration.ofSeconds(20)).until(() -> http.send(HttpRequest.newBuilder(
                URI.create(base + "index.m3u8")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            assertThat(deliveries(registry, "playlist").count()).as("a request answered at once is not timed").isZero();

            final List<CompletableFuture<HttpResponse<String>>> playlists = new ArrayList<>();
            final List<CompletableFuture<HttpResponse<String>>> parts = new ArrayList<>();
            for (int v = 0; v < GETS; v++)
            {
                playlists.add(send(http, base + "index.m3u8?_HLS_msn=0&_HLS_part=1", "GET"));
                parts.add(send(http, base + "3-0.1.m4s", "GET"));
            }
            final CompletableFuture<HttpResponse<String>> head = send(http, base + "3-0.1.m4s", "HEAD");
            await().atMost(Duration.ofSeconds(20)).until(() ->
                registry.get("bifrost.edge.live.requests").tag("outcome", "held").counter().count() == 2 * GETS + 1);

            final LiveWindow second = new LiveWindow(3, 0, -1, 0, 1, 2000, 500);
            final long publishedNs = System.nanoTime();
            publisher.part("d", "480p", 3, 0, 1, false, LiveParts.bytes(3, 0, 1));
            publisher.window("d", "480p", WindowKind.HLS_MEDIA_PLAYLIST, second, LiveParts.playlist(second));

            for (int v = 0; v < GETS; v++)
            {
                assertThat(playlists.get(v).get(20, TimeUnit.SECONDS).body()).isEqualTo(LiveParts.playlist(second));
                assertThat(parts.get(v).get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            assertThat(head.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            // every chunk ran before its viewers had their answers; a chunk's listener runs on the edge's loop after its
            // last write's bytes left, maybe after the client read them: wait until the samples reach the chunks
            final double chunks = registry.get("bifrost.edge.live.wake.chunks").counter().count();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                deliveries(registry, "playlist").count() + deliveries(registry, "part").count() == chunks);
            final long sincePublishNs = System.nanoTime() - publishedNs;
            assertThat(chunks).as("one batch per kind on one or both loops, not one per request").isBetween(2.0, 4.0);
            assertThat(registry.get("bifrost.edge.live.wake.encoded").counter().count())
                .as("the GETs took the pre-encoded path, the HEAD the codec's").isEqualTo(2 * GETS);
            for (final String kind : List.of("playlist", "part"))
            {
                final Timer timer = deliveries(registry, kind);
                assertThat(timer.count()).as(kind).isBetween(1L, 2L);
                assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).as(kind).isPositive();
                assertThat(timer.max(TimeUnit.NANOSECONDS)).as(kind + ": counted from the arrival, not the request")
                    .isLessThanOrEqualTo(sincePublishNs);
            }
            assertThat(deliveries(registry, "segment").count()).isZero();
        }
    }

    private static Timer deliveries(final SimpleMeterRegistry registry, final String kind)
    {
        return registry.get(LiveRequests.DELIVERY_TIMER).tag("kind", kind).timer();
    }

    private static CompletableFuture<HttpResponse<String>> send(final HttpClient http, final String uri, final String method)
    {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(uri)).method(method, BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
