package io.bifrost.origin.http;

import io.bifrost.origin.TestClips;
import io.bifrost.origin.store.OriginStore;
import io.bifrost.origin.upload.TusUploads;
import io.bifrost.origin.upload.UploadContext;
import io.bifrost.origin.upload.UploadValidator;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tus upload over HTTP/2 cleartext: the upload handler sits in every HTTP/2 stream's pipeline as it sits behind the
 * HTTP/1.1 codec, so a client on an h2c connection creates an upload and sends its bytes in PATCH streams, each held
 * back by HTTP/2 flow control while the handler writes to disk.
 */
class OriginHttp2UploadTest
{
    private static final String UPLOADS = "/api/v1/uploads/";

    @TempDir
    Path temp;

    private TusUploads uploads;
    private OriginStore store;
    private OriginHttpServer server;

    @BeforeEach
    void start() throws Exception
    {
        uploads = TusUploads.launch(new UploadContext().dataDir(temp.resolve("uploads")).maxUploadBytes(16 << 20)
            .validator(UploadValidator.ACCEPT_ALL).meterRegistry(new SimpleMeterRegistry()));
        store = OriginStore.open(temp.resolve("db"));
        server = OriginHttpServer.start(new OriginHttpServer.Settings("127.0.0.1", 0, NettyTransport.select("auto"), 1,
            2, 1024, 30, uploads), store, new ApiRouter(), Readiness::up, () -> "", new SimpleMeterRegistry());
    }

    @AfterEach
    void stop()
    {
        server.close();
        store.close();
        uploads.close();
    }

    @Test
    void shouldTakeATusUploadOverH2c() throws Exception
    {
        final byte[] file = Files.readAllBytes(TestClips.clip(temp.resolve("clip.mp4"), 2));
        final String base = "http://127.0.0.1:" + server.port();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build())
        {
            final HttpResponse<String> options = http.send(HttpRequest.newBuilder(URI.create(base + UPLOADS))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(options.version()).as("the body-less first request upgraded").isEqualTo(HttpClient.Version.HTTP_2);
            final HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + UPLOADS))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", Integer.toString(file.length))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(created.statusCode()).isEqualTo(201);
            final URI upload = URI.create(base).resolve(created.headers().firstValue("location").orElseThrow());

            final int half = file.length / 2;
            for (final int[] piece : new int[][] {{0, half}, {half, file.length}})
            {
                final HttpResponse<String> patched = http.send(HttpRequest.newBuilder(upload)
                    .header("Tus-Resumable", "1.0.0").header("Upload-Offset", Integer.toString(piece[0]))
                    .header("Content-Type", "application/offset+octet-stream")
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file, piece[0], piece[1] - piece[0]))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(patched.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
                assertThat(patched.headers().firstValue("upload-offset")).hasValue(Integer.toString(piece[1]));
            }

            final HttpResponse<Void> head = http.send(HttpRequest.newBuilder(upload).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(head.headers().firstValue("upload-offset")).hasValue(Integer.toString(file.length));
        }
        try (Stream<Path> files = Files.walk(temp.resolve("uploads")))
        {
            assertThat(files.filter(Files::isRegularFile).anyMatch(path -> sameBytes(path, file)))
                .as("the uploaded file holds every byte").isTrue();
        }
    }

    private static boolean sameBytes(final Path path, final byte[] expected)
    {
        try
        {
            return Files.size(path) == expected.length && java.util.Arrays.equals(Files.readAllBytes(path), expected);
        }
        catch (final java.io.IOException ex)
        {
            return false;
        }
    }
}
