package io.bifrost.origin.http;

import io.bifrost.origin.OriginNode;
import io.bifrost.origin.RunningOrigin;
import io.bifrost.origin.TestCertificates;
import io.bifrost.origin.store.OriginStore;
import io.bifrost.protocol.node.NettyTransport;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTP/2 at the origin with real clients, VOD content from a real store: the JDK's HttpClient over h2c (by upgrade)
 * and over TLS (h2 by ALPN, http/1.1 for a client without h2), and curl with prior knowledge; a hundred concurrent
 * streams on one connection each get their own bytes. The certificate is made
 * with openssl at test time.
 */
class OriginHttp2Test
{
    private static final String PLAYLIST = "/vod/h2title/720p/index.m3u8";
    private static final String SEGMENT = "/vod/h2title/720p/3.m4s";
    private static final String PLAYLIST_TEXT = "#EXTM3U\n#EXT-X-VERSION:7\n#EXTINF:4.0,\n3.m4s\n#EXT-X-ENDLIST\n";

    @TempDir
    Path temp;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final byte[] segment = new byte[200_000];
    private TestCertificates certificate;
    private OriginStore store;
    private OriginHttpServer server;

    @BeforeEach
    void start() throws Exception
    {
        new Random(11).nextBytes(segment);
        certificate = TestCertificates.selfSigned(temp, "origin", "IP:127.0.0.1");
        store = OriginStore.open(temp.resolve("db"));
        try (OriginStore.Batch batch = store.batch())
        {
            batch.putObject(SEGMENT, segment, 1_700_000_000_000L)
                .putObject(PLAYLIST, PLAYLIST_TEXT.getBytes(StandardCharsets.UTF_8), 1_700_000_000_000L)
                .commit();
        }
        server = OriginHttpServer.start(new OriginHttpServer.Settings("127.0.0.1", 0, NettyTransport.select("auto"), 1,
            2, 1024, 30, null).withTls(0, certificate.certificate(), certificate.privateKey()), store,
            new ApiRouter(), Readiness::up, () -> "# metrics\n", registry);
    }

    @AfterEach
    void stop()
    {
        server.close();
        store.close();
    }

    @Test
    void shouldServePlaylistSegmentAndRangeOverH2cUpgrade() throws Exception
    {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build())
        {
            assertVodOverHttp2(http, "http://127.0.0.1:" + server.port());
        }
    }

    @Test
    void shouldKeepEveryBodyIntactWhenManyStreamsShareOneConnection() throws Exception
    {
        try (HttpClient http = HttpClient.newBuilder().sslContext(certificate.trustingClient())
            .version(HttpClient.Version.HTTP_2).build())
        {
            final String base = "https://127.0.0.1:" + server.tlsPort();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + PLAYLIST)).build(),
                HttpResponse.BodyHandlers.ofString()).version()).isEqualTo(HttpClient.Version.HTTP_2);
            final List<CompletableFuture<HttpResponse<byte[]>>> answers = new ArrayList<>();
            for (int i = 0; i < 100; i++)
            {
                final int first = i * 1500;
                answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + SEGMENT))
                    .header("Range", "bytes=" + first + "-" + (first + 49_999)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
            }

            for (int i = 0; i < answers.size(); i++)
            {
                final HttpResponse<byte[]> answer = answers.get(i).get(30, TimeUnit.SECONDS);
                assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(answer.statusCode()).isEqualTo(206);
                assertThat(answer.body()).as("stream %d", i)
                    .isEqualTo(Arrays.copyOfRange(segment, i * 1500, i * 1500 + 50_000));
            }
        }
    }

    @Test
    void shouldServeH2OverTlsWhenTheClientOffersIt() throws Exception
    {
        assertThat(server.tlsPort()).isPositive();
        try (HttpClient http = HttpClient.newBuilder().sslContext(certificate.trustingClient())
            .version(HttpClient.Version.HTTP_2).build())
        {
            assertVodOverHttp2(http, "https://127.0.0.1:" + server.tlsPort());
        }
    }

    @Test
    void shouldServeHttp11OverTlsToClientsWithoutH2() throws Exception
    {
        try (HttpClient http = HttpClient.newBuilder().sslContext(certificate.trustingClient())
            .version(HttpClient.Version.HTTP_1_1).build())
        {
            final HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.tlsPort() + SEGMENT)).build(),
                HttpResponse.BodyHandlers.ofByteArray());

            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(response.body()).isEqualTo(segment);
        }
    }

    @Test
    void shouldSpeakHttp2WithPriorKnowledgeToCurl() throws Exception
    {
        final Path out = temp.resolve("curl.out");
        final Process curl = new ProcessBuilder("curl", "-s", "--http2-prior-knowledge", "-o", out.toString(), "-w",
            "%{http_version} %{http_code}", "http://127.0.0.1:" + server.port() + SEGMENT).start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("2 200");
        assertThat(Files.readAllBytes(out)).isEqualTo(segment);
    }

    @Test
    void shouldStayHttp11ForAPlainClient() throws Exception
    {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build())
        {
            final HttpResponse<String> first = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + PLAYLIST)).build(), HttpResponse.BodyHandlers.ofString());
            final HttpResponse<byte[]> second = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + SEGMENT)).build(),
                HttpResponse.BodyHandlers.ofByteArray());

            assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(first.body()).isEqualTo(PLAYLIST_TEXT);
            assertThat(second.body()).isEqualTo(segment);
        }
    }

    @Test
    void shouldServeHttpsFromALaunchedOriginWithACertificateAndRefuseAHalfConfiguredOne() throws Exception
    {
        try (RunningOrigin origin = OriginNode.launch(new OriginNode.Context().bindAddress("127.0.0.1").port(0)
            .tlsPort(0).tlsCertificate(certificate.certificate()).tlsPrivateKey(certificate.privateKey())
            .dataDir(temp.resolve("node")).ioThreads(1).blockingThreads(1));
            HttpClient http = HttpClient.newBuilder().sslContext(certificate.trustingClient())
                .version(HttpClient.Version.HTTP_2).build())
        {
            final HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + origin.tlsPort() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());

            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(health.body()).isEqualTo("up\n");
        }
        assertThatThrownBy(() -> new OriginNode.Context().tlsCertificate(certificate.certificate()).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("origin.tls-key");
    }

    private void assertVodOverHttp2(final HttpClient http, final String base) throws Exception
    {
        final HttpResponse<String> playlist = http.send(HttpRequest.newBuilder(URI.create(base + PLAYLIST)).build(),
            HttpResponse.BodyHandlers.ofString());
        final HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(URI.create(base + SEGMENT)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        final HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(URI.create(base + SEGMENT))
            .header("Range", "bytes=1000-1099").build(), HttpResponse.BodyHandlers.ofByteArray());
        final HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(base + SEGMENT))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

        assertThat(playlist.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(playlist.body()).isEqualTo(PLAYLIST_TEXT);
        assertThat(playlist.headers().firstValue("content-type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(whole.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(whole.body()).isEqualTo(segment);
        assertThat(whole.headers().firstValue("etag")).isPresent();
        assertThat(range.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("content-range")).hasValue("bytes 1000-1099/" + segment.length);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(segment, 1000, 1100));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("content-length")).hasValue(segment.length);
    }
}
