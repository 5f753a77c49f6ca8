package io.bifrost.origin.live;

import io.bifrost.origin.TestCertificates;
import io.bifrost.origin.http.ApiRouter;
import io.bifrost.origin.http.OriginHttpServer;
import io.bifrost.origin.store.OriginStore;
import io.bifrost.protocol.node.NettyTransport;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LL-HLS blocking playlist reloads and preload-hinted parts held over HTTP/2 (Safari plays LL-HLS only over HTTP/2):
 * both requests are streams of one connection, held without a thread, and answered on their streams the moment the
 * part arrives; over h2c (upgrade) and h2 over TLS.
 */
class LiveHttp2Test
{
    @TempDir
    static Path media;

    @TempDir
    Path temp;

    private static List<byte[]> videoUnits;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Random random = new Random(7);
    private TestCertificates certificate;
    private OriginStore store;
    private OriginHttpServer server;
    private LivePackager packager;

    @BeforeAll
    static void generate()
    {
        videoUnits = LiveTestMedia.units(LiveTestMedia.video(media, 3, 30));
    }

    @BeforeEach
    void start() throws Exception
    {
        certificate = TestCertificates.selfSigned(temp, "origin", "IP:127.0.0.1");
        packager = new LivePackager(new LivePackager.Context().segmentTargetMs(1000).meterRegistry(registry));
        store = OriginStore.open(temp.resolve("db"));
        server = OriginHttpServer.start(new OriginHttpServer.Settings("127.0.0.1", 0, NettyTransport.select("auto"),
            1, 2, 1024, 30, null, new LiveResponder(packager))
            .withTls(0, certificate.certificate(), certificate.privateKey()), store, new ApiRouter(), Readiness::up,
            () -> "", registry);
    }

    @AfterEach
    void stop()
    {
        server.close();
        store.close();
    }

    @Test
    void shouldAnswerHeldRequestsOverH2cWhenThePartArrives() throws Exception
    {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build())
        {
            shouldAnswerHeldRequestsWhenThePartArrives(http, "http://127.0.0.1:" + server.port());
        }
    }

    @Test
    void shouldAnswerHeldRequestsOverH2WithTlsWhenThePartArrives() throws Exception
    {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
            .sslContext(certificate.trustingClient()).build())
        {
            shouldAnswerHeldRequestsWhenThePartArrives(http, "https://127.0.0.1:" + server.tlsPort());
        }
    }

    private void shouldAnswerHeldRequestsWhenThePartArrives(final HttpClient http, final String base)
        throws Exception
    {
        final LiveSession session = packager.open("cam1", List.of(
            new LiveTrack("360p", TrackKind.VIDEO, 800_000, 320, 180, 30)));
        final CmafTrackSink sink = session.track("360p");
        for (int i = 0; i < 3; i++)
        {
            LiveTestMedia.feed(sink, videoUnits.get(i), random);
        }
        final String nextPart = session.epoch() + "-0.2.m4s";
        // the first request makes the connection HTTP/2 (upgrade or ALPN); the held ones are streams on it
        final HttpResponse<String> now = http.send(HttpRequest.newBuilder(URI.create(base +
            "/live/cam1/360p/index.m3u8")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(now.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(now.body()).contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"" + nextPart + "\"");

        final CompletableFuture<HttpResponse<String>> blocked = http.sendAsync(HttpRequest.newBuilder(URI.create(base +
            "/live/cam1/360p/index.m3u8?_HLS_msn=0&_HLS_part=2")).build(), HttpResponse.BodyHandlers.ofString());
        final CompletableFuture<HttpResponse<byte[]>> hinted = http.sendAsync(HttpRequest.newBuilder(URI.create(base +
            "/live/cam1/360p/" + nextPart)).build(), HttpResponse.BodyHandlers.ofByteArray());
        await().atMost(10, TimeUnit.SECONDS).until(() -> packager.metrics().heldRequests() == 2);
        assertThat(blocked).isNotDone();
        assertThat(hinted).isNotDone();

        LiveTestMedia.feed(sink, videoUnits.get(3), random);

        final HttpResponse<String> answer = blocked.get(10, TimeUnit.SECONDS);
        assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("#EXT-X-PART:DURATION=0.33333,URI=\"" + nextPart + "\"");
        assertThat(answer.headers().firstValue("access-control-allow-origin")).hasValue("*");
        final HttpResponse<byte[]> part = hinted.get(10, TimeUnit.SECONDS);
        assertThat(part.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(part.statusCode()).isEqualTo(200);
        assertThat(part.body()).isEqualTo(videoUnits.get(3));
        assertThat(packager.metrics().heldRequests()).isZero();
        session.end();
    }
}
