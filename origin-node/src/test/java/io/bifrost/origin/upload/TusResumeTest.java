package io.bifrost.origin.upload;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Interrupted uploads: dropped connections, concurrent writers, expiry, restarts over the same data directory, and
 * a large PATCH streamed through a small buffer.
 */
class TusResumeTest
{
    private static final String UPLOADS = "/api/v1/uploads/";

    @TempDir
    Path dataDir;

    private final RecordingListener listener = new RecordingListener();
    private final TusClient client = new TusClient();

    private UploadContext context()
    {
        return new UploadContext().dataDir(dataDir).validator(UploadValidator.ACCEPT_ALL).listener(listener)
            .meterRegistry(new SimpleMeterRegistry());
    }

    private String create(final UploadTestServer server, final long length) throws Exception
    {
        final HttpResponse<String> created = client.create(server.url(UPLOADS), length, Map.of("filename", "a.mp4"));
        assertThat(created.statusCode()).isEqualTo(201);
        return created.headers().firstValue("Location").orElseThrow();
    }

    private long offsetOf(final String location) throws Exception
    {
        return Long.parseLong(client.head(location).headers().firstValue("Upload-Offset").orElseThrow());
    }

    @Test
    void shouldKeepBytesOfADroppedPatchAndResumeFromThem() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(200_000, 11);
        try (UploadTestServer server = UploadTestServer.start(context()))
        {
            final String location = create(server, file.length);
            try (RawPatch patch = RawPatch.start(server.port(), URI.create(location).getPath(), 0, file.length))
            {
                patch.send(file, 0, 120_000);
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> offsetOf(location) == 120_000);
            final HttpResponse<String> resumed = client.patch(location, 120_000, file, 120_000, file.length);

            assertThat(resumed.statusCode()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.completed.size() == 1);
            assertThat(TestPayloads.sha256Hex(Files.readAllBytes(listener.completed.values().iterator().next())))
                .isEqualTo(TestPayloads.sha256Hex(file));
        }
    }

    @Test
    void shouldDiscardADroppedChunkThatCarriesAChecksum() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(100_000, 12);
        try (UploadTestServer server = UploadTestServer.start(context()))
        {
            final String location = create(server, file.length);
            try (RawPatch patch = RawPatch.start(server.port(), URI.create(location).getPath(), 0, file.length,
                "Upload-Checksum: sha1 " + TestPayloads.digestBase64("SHA-1", file, 0, file.length)))
            {
                patch.send(file, 0, 60_000);
            }

            await().atMost(Duration.ofSeconds(10))
                .until(() -> client.patch(location, 0, file, 0, 10).statusCode() != 423);
            assertThat(offsetOf(location)).isEqualTo(10);
        }
    }

    @Test
    void shouldAnswerLockedWhileAnotherPatchWritesTheUpload() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(100_000, 13);
        try (UploadTestServer server = UploadTestServer.start(context()))
        {
            final String location = create(server, file.length);
            try (RawPatch patch = RawPatch.start(server.port(), URI.create(location).getPath(), 0, file.length))
            {
                patch.send(file, 0, 1000);
                await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.patch(location, 0, file, 0, 10).statusCode() == 423);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> offsetOf(location) == 1000);
        }
    }

    @Test
    void shouldStreamALargePatchThroughABufferSmallerThanTheBody() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(8 << 20, 14);
        try (UploadTestServer server = UploadTestServer.start(context().maxBufferedBytes(64 * 1024)))
        {
            final String location = create(server, file.length);

            final HttpResponse<String> response = client.patch(location, 0, file, 0, file.length);

            assertThat(response.statusCode()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.completed.size() == 1);
            assertThat(TestPayloads.sha256Hex(Files.readAllBytes(listener.completed.values().iterator().next())))
                .isEqualTo(TestPayloads.sha256Hex(file));
        }
    }

    @Test
    void shouldExpireUnfinishedUploadsAndAnswerGone() throws Exception
    {
        final AtomicLong now = new AtomicLong(1_000_000_000_000L);
        final byte[] file = TestPayloads.mp4Like(10_000, 15);
        try (UploadTestServer server = UploadTestServer.start(context().clock(now::get)
            .uploadExpiry(Duration.ofHours(1)).housekeepingInterval(Duration.ofMillis(20))))
        {
            final String location = create(server, file.length);
            assertThat(client.patch(location, 0, file, 0, 5000).statusCode()).isEqualTo(204);

            now.addAndGet(Duration.ofHours(2).toMillis());

            assertThat(client.head(location).statusCode()).isEqualTo(410);
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.events.stream().anyMatch(e -> e.startsWith("terminated")));
            assertThat(client.get(location).body()).contains("\"status\":\"expired\"");
            assertThat(client.patch(location, 5000, file, 5000, file.length).statusCode()).isEqualTo(410);
            try (var files = Files.list(dataDir.resolve("uploads")))
            {
                assertThat(files.filter(p -> p.toString().endsWith(".bin"))).isEmpty();
            }
        }
    }

    @Test
    void shouldLeaveTheFileToAListenerThatMovesItAcrossRestarts() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(30_000, 17);
        final Path originals = Files.createDirectories(dataDir.resolve("originals"));
        final AtomicLong calls = new AtomicLong();
        final UploadListener catalogLike = new UploadListener()
        {
            @Override
            public void onCompleted(final String videoId, final Path sourceFile, final UploadMetadata metadata)
            {
                calls.incrementAndGet();
                try
                {
                    Files.move(sourceFile, originals.resolve(videoId));
                }
                catch (final java.io.IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
            }
        };
        final String path;
        try (UploadTestServer server = UploadTestServer.start(context().listener(catalogLike)))
        {
            final String location = create(server, file.length);
            assertThat(client.patch(location, 0, file, 0, file.length).statusCode()).isEqualTo(204);
            path = URI.create(location).getPath();
            final Path record = dataDir.resolve("uploads").resolve(path.substring(UPLOADS.length()) + ".json");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(record).contains("\"handedOff\":true"));
        }

        try (UploadTestServer server = UploadTestServer.start(context().listener(catalogLike)))
        {
            final HttpResponse<String> head = client.head(server.url(path));
            assertThat(head.headers().firstValue("Bifrost-Upload-Status")).hasValue("completed");
            assertThat(head.headers().firstValue("Upload-Offset")).hasValue(Integer.toString(file.length));
        }
        assertThat(calls.get()).isEqualTo(1);
        try (var moved = Files.list(originals))
        {
            final Path original = moved.findFirst().orElseThrow();
            assertThat(TestPayloads.sha256Hex(Files.readAllBytes(original))).isEqualTo(TestPayloads.sha256Hex(file));
        }
    }

    @Test
    void shouldDropUnacknowledgedBytesAndKeepAcknowledgedOnesAcrossRestart() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(50_000, 16);
        final String path;
        try (UploadTestServer server = UploadTestServer.start(context()))
        {
            final String location = create(server, file.length);
            assertThat(client.patch(location, 0, file, 0, 20_000).statusCode()).isEqualTo(204);
            path = URI.create(location).getPath();
        }
        final Path data = dataDir.resolve("uploads").resolve(path.substring(UPLOADS.length()) + ".bin");
        Files.write(data, new byte[7777], StandardOpenOption.APPEND);

        try (UploadTestServer server = UploadTestServer.start(context()))
        {
            final String location = server.url(path);
            assertThat(offsetOf(location)).isEqualTo(20_000);
            assertThat(Files.size(data)).isEqualTo(20_000);
            assertThat(client.patch(location, 20_000, file, 20_000, file.length).statusCode()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.completed.size() == 1);
            assertThat(TestPayloads.sha256Hex(Files.readAllBytes(data))).isEqualTo(TestPayloads.sha256Hex(file));
        }
    }
}
