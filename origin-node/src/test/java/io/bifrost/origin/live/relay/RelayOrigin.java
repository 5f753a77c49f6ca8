package io.bifrost.origin.live.relay;

import io.bifrost.origin.OriginNode;
import io.bifrost.origin.RunningOrigin;
import io.bifrost.origin.TestCertificates;
import io.bifrost.origin.live.ingest.LiveIngestContext;
import io.bifrost.origin.live.ingest.LiveIngestSinkFactory;
import io.bifrost.origin.live.ingest.LiveMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/**
 * A whole origin for the relay tests, as {@code bifrost origin} runs it on host B: the origin node (packager and HTTP
 * on its own ports), the live ingest in passthrough mode, and the relay listener feeding it (plain, or TLS with a
 * certificate).
 */
final class RelayOrigin implements AutoCloseable
{
    static final String SECRET = "relay-secret-0123456789";

    final RunningOrigin origin;
    final LiveIngestSinkFactory liveIngest;
    final RelayReceiver receiver;
    private final HttpClient http = HttpClient.newHttpClient();
    private final boolean tls;

    /**
     * @param dir       the origin's data directory.
     * @param relayPort the relay port (0 = ephemeral).
     */
    RelayOrigin(final Path dir, final int relayPort)
    {
        this(dir, relayPort, null);
    }

    /**
     * @param dir       the origin's data directory.
     * @param relayPort the relay port (0 = ephemeral).
     * @param tls       the relay port's certificate, or null for plain HTTP.
     */
    RelayOrigin(final Path dir, final int relayPort, final TestCertificates tls)
    {
        this.tls = null != tls;
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        origin = OriginNode.launch(new OriginNode.Context().bindAddress("127.0.0.1").port(0).dataDir(dir.resolve("data"))
            .ioThreads(1).blockingThreads(1).meterRegistry(registry).liveSegmentTargetMs(2000));
        liveIngest = new LiveIngestSinkFactory(new LiveIngestContext().liveStreams(origin.live())
            .defaultMode(LiveMode.PASSTHROUGH).workDir(dir.resolve("pipes")).meterRegistry(registry));
        receiver = RelayReceiver.start(new RelayReceiverContext().bindAddress("127.0.0.1").port(relayPort)
            .secret(SECRET).sinkFactory(liveIngest).meterRegistry(registry)
            .tlsCertificate(null == tls ? null : tls.certificate())
            .tlsPrivateKey(null == tls ? null : tls.privateKey()));
    }

    URI relayUrl()
    {
        return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + receiver.port());
    }

    /**
     * @param path a path on the origin's public port.
     * @return the body, or null unless 200.
     */
    String get(final String path) throws IOException, InterruptedException
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" +
            origin.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        return 200 == response.statusCode() ? response.body() : null;
    }

    @Override
    public void close()
    {
        receiver.close();
        liveIngest.close();
        origin.close();
    }
}
