package io.bifrost.origin;

import io.bifrost.origin.catalog.VideoStatus;
import io.bifrost.origin.upload.UploadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogUploadsTest
{
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path temp;

    private RunningOrigin origin;

    @AfterEach
    void stop()
    {
        if (origin != null)
        {
            origin.close();
        }
    }

    @Test
    void shouldDiscardAHalfFinishedUploadWhenItsVideoIsDeleted() throws Exception
    {
        final Path dataDir = temp.resolve("data");
        origin = OriginNode.launch(new OriginNode.Context()
            .bindAddress("127.0.0.1")
            .port(0)
            .dataDir(dataDir)
            .ioThreads(1)
            .blockingThreads(1)
            .uploads(CatalogUploads.hook(new UploadContext().dataDir(dataDir).ioThreads(1).validationThreads(1))));
        final String base = "http://127.0.0.1:" + origin.port();

        final HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/uploads/"))
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", "1000")
            .header("Upload-Metadata", "title " + Base64.getEncoder().encodeToString(
                "half".getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(created.statusCode()).isEqualTo(201);
        final String uploadUrl = created.headers().firstValue("Location").orElseThrow();
        final String videoId = created.headers().firstValue("Bifrost-Video-Id").orElseThrow();
        final HttpResponse<String> patched = send(HttpRequest.newBuilder(URI.create(uploadUrl))
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Offset", "0")
            .header("Content-Type", "application/offset+octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[400])));
        assertThat(patched.statusCode()).isEqualTo(204);
        assertThat(dataFilesUnder(dataDir.resolve("uploads"))).isEqualTo(1);

        final HttpResponse<String> deleted = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/videos/" + videoId))
            .DELETE());
        assertThat(deleted.statusCode()).isEqualTo(200);

        assertThat(origin.catalog().find(videoId).status()).isEqualTo(VideoStatus.DELETED);
        final HttpResponse<String> resumed = send(HttpRequest.newBuilder(URI.create(uploadUrl))
            .header("Tus-Resumable", "1.0.0")
            .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(resumed.statusCode()).isEqualTo(404);
        assertThat(dataFilesUnder(dataDir.resolve("uploads"))).isZero();
    }

    @Test
    void shouldExplainAPortInUse() throws Exception
    {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1")))
        {
            final OriginNode.Context context = new OriginNode.Context().bindAddress("127.0.0.1")
                .port(taken.getLocalPort()).dataDir(temp.resolve("clash")).ioThreads(1).blockingThreads(1);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> OriginNode.launch(context))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("origin cannot listen on 127.0.0.1:" + taken.getLocalPort())
                .hasMessageContaining("choose another with --port");
        }
    }

    private HttpResponse<String> send(final HttpRequest.Builder request) throws Exception
    {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long dataFilesUnder(final Path dir) throws Exception
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".bin")).count();
        }
    }
}
