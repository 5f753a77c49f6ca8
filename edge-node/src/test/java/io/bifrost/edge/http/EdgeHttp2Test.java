package io.bifrost.edge.http;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.SegmentAwarePolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/2 on the edge with real clients: the JDK's HttpClient (h2 over TLS by ALPN, h2c by upgrade) and curl
 * (h2c with prior knowledge). The certificate is made with openssl at test time.
 */
class EdgeHttp2Test
{
    private static final String SEGMENT = "/vod/h2title/720p/3.m4s";

    @TempDir
    Path dir;

    private final byte[] body = new byte[120_000];
    private TestOrigin origin;
    private RamTier ram;
    private EdgeHttpServer edge;
    private Path certificate;

    @BeforeEach
    void setUp() throws Exception
    {
        new Random(9).nextBytes(body);
        certificate = dir.resolve("cert.pem");
        final Path key = dir.resolve("key.pem");
        final Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out", certificate.toString(),
            "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
            .redirectErrorStream(true).start();
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(new String(openssl.getInputStream().readAllBytes())).isZero();
        origin = new TestOrigin().put(SEGMENT, body);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ram = RamTier.open(dir.resolve("ram"), 16L << 20, 16 * 1024, 8L << 20, SegmentAwarePolicy::new, registry);
        edge = EdgeHttpServer.start(new EdgeNode.Context().bindAddress("127.0.0.1").port(0).tlsPort(0).ioThreads(2)
            .origins(List.of(origin.uri())).tlsCertificate(certificate).tlsPrivateKey(key).meterRegistry(registry)
            .requestHeadTimeout(java.time.Duration.ofMillis(300)),
            ram, Readiness::up);
    }

    @AfterEach
    void tearDown()
    {
        edge.close();
        ram.close();
        origin.close();
    }

    private SSLContext trusting() throws Exception
    {
        final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificate))
        {
            store.setCertificateEntry("edge", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void shouldServeHttp2OverTlsWhenTheClientOffersH2() throws Exception
    {
        try (HttpClient http = HttpClient.newBuilder().sslContext(trusting()).version(HttpClient.Version.HTTP_2).build())
        {
            final URI uri = URI.create("https://127.0.0.1:" + edge.tlsPort() + SEGMENT);
            final HttpResponse<byte[]> miss = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
            final HttpResponse<byte[]> hit = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
            final HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(uri).header("Range", "bytes=0-99").build(),
                HttpResponse.BodyHandlers.ofByteArray());

            assertThat(miss.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(miss.body()).isEqualTo(body);
            assertThat(hit.headers().firstValue("cache-status")).hasValue("bifrost; hit");
            assertThat(hit.body()).isEqualTo(body);
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(java.util.Arrays.copyOf(body, 100));
        }
    }

    @Test
    void shouldServeHttp11OverTlsToClientsWithoutH2() throws Exception
    {
        try (HttpClient http = HttpClient.newBuilder().sslContext(trusting()).version(HttpClient.Version.HTTP_1_1).build())
        {
            final HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + edge.tlsPort() + SEGMENT)).build(), HttpResponse.BodyHandlers.ofByteArray());

            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(response.body()).isEqualTo(body);
        }
    }

    @Test
    void shouldUpgradeCleartextConnectionsToHttp2() throws Exception
    {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build())
        {
            final URI uri = URI.create("http://127.0.0.1:" + edge.port() + SEGMENT);
            final HttpResponse<byte[]> upgraded = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
            // Outlive the HTTP/1.1 request-head deadline (300 ms here): an upgraded connection must not be cut by it.
            Thread.sleep(700);
            final HttpResponse<byte[]> next = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());

            assertThat(upgraded.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(upgraded.body()).isEqualTo(body);
            assertThat(next.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(next.body()).isEqualTo(body);
        }
    }

    @Test
    void shouldSpeakHttp2WithPriorKnowledgeToCurl() throws Exception
    {
        final Path out = dir.resolve("curl.out");
        final Process curl = new ProcessBuilder("curl", "-s", "--http2-prior-knowledge", "-o", out.toString(), "-w",
            "%{http_version} %{http_code}", "http://127.0.0.1:" + edge.port() + SEGMENT).start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("2 200");
        assertThat(Files.readAllBytes(out)).isEqualTo(body);
    }
}
