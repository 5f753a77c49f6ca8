package io.bifrost.origin.upload;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tus 1.0.0 protocol (core, creation, termination, checksum, expiration) and the seed's upload-url API, spoken
 * by the JDK HttpClient to the upload handler in a real Netty server on 127.0.0.1.
 */
class TusProtocolTest
{
    private static final String UPLOADS = "/api/v1/uploads/";

    @TempDir
    Path dataDir;

    private final RecordingListener listener = new RecordingListener();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TusClient client = new TusClient();
    private UploadTestServer server;

    @BeforeEach
    void start() throws Exception
    {
        server = UploadTestServer.start(new UploadContext().dataDir(dataDir).maxUploadBytes(10 << 20)
            .validator(UploadValidator.ACCEPT_ALL).listener(listener).meterRegistry(meters));
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private String createUpload(final long length) throws Exception
    {
        final HttpResponse<String> created = client.create(server.url(UPLOADS), length, Map.of("filename", "clip.mp4"));
        assertThat(created.statusCode()).isEqualTo(201);
        return created.headers().firstValue("Location").orElseThrow();
    }

    @Test
    void shouldAdvertiseTusCapabilitiesOnOptions() throws Exception
    {
        final HttpResponse<String> options = client.send(HttpRequest.newBuilder(URI.create(server.url(UPLOADS)))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("Tus-Version")).hasValue("1.0.0");
        assertThat(options.headers().firstValue("Tus-Resumable")).hasValue("1.0.0");
        assertThat(options.headers().firstValue("Tus-Extension")).hasValue("creation,termination,checksum,expiration");
        assertThat(options.headers().firstValue("Tus-Max-Size")).hasValue(Long.toString(10 << 20));
        assertThat(options.headers().firstValue("Tus-Checksum-Algorithm")).hasValue("sha1,md5,sha256");
        assertThat(options.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("PATCH", "HEAD");
        assertThat(options.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
            .contains("Upload-Offset", "Tus-Resumable", "Upload-Checksum", "X-HTTP-Method-Override");
        assertThat(options.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
            .contains("Upload-Offset", "Location", "Upload-Expires");
    }

    @Test
    void shouldCreateUploadAndReportItOnHead() throws Exception
    {
        final HttpResponse<String> created = client.create(server.url(UPLOADS), 1000,
            Map.of("filename", "holiday.mp4", "title", "Sommer in Köln", "tags", "travel, summer", "visibility",
                "unlisted"));

        assertThat(created.statusCode()).isEqualTo(201);
        final String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("http://127\\.0\\.0\\.1:\\d+/api/v1/uploads/[A-Za-z0-9_-]{22}");
        assertThat(created.headers().firstValue("Upload-Expires").orElseThrow()).endsWith("GMT");
        final String videoId = created.headers().firstValue("Bifrost-Video-Id").orElseThrow();
        assertThat(videoId).matches("v_[A-Za-z0-9_-]{22}");

        final HttpResponse<String> head = client.head(location);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Upload-Offset")).hasValue("0");
        assertThat(head.headers().firstValue("Upload-Length")).hasValue("1000");
        assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(head.headers().firstValue("Tus-Resumable")).hasValue("1.0.0");
        assertThat(UploadMetadata.parse(head.headers().firstValue("Upload-Metadata").orElseThrow()).title())
            .isEqualTo("Sommer in Köln");
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.created.containsKey(videoId));
        assertThat(listener.created.get(videoId).tags()).containsExactly("travel", "summer");
        assertThat(listener.created.get(videoId).visibility()).isEqualTo("unlisted");
        assertThat(meters.counter("bifrost.upload.created").count()).isEqualTo(1.0);
    }

    @Test
    void shouldCompleteUploadWhenLastChunkArrivesAndHandOffTheFsyncedFile() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(300_000, 1);
        final String location = createUpload(file.length);

        final HttpResponse<String> first = client.patch(location, 0, file, 0, 100_000);
        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(first.headers().firstValue("Upload-Offset")).hasValue("100000");
        assertThat(first.headers().firstValue("Upload-Expires")).isPresent();
        final HttpResponse<String> last = client.patch(location, 100_000, file, 100_000, file.length);
        assertThat(last.statusCode()).isEqualTo(204);
        assertThat(last.headers().firstValue("Upload-Offset")).hasValue("300000");

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.completed.size() == 1);
        final Path source = listener.completed.values().iterator().next();
        assertThat(TestPayloads.sha256Hex(Files.readAllBytes(source))).isEqualTo(TestPayloads.sha256Hex(file));
        final HttpResponse<String> head = client.head(location);
        assertThat(head.headers().firstValue("Upload-Offset")).hasValue("300000");
        assertThat(head.headers().firstValue("Bifrost-Upload-Status")).hasValue("completed");
        assertThat(meters.counter("bifrost.upload.received").count()).isEqualTo(300_000.0);
        assertThat(meters.counter("bifrost.upload.completed").count()).isEqualTo(1.0);
        assertThat(client.patch(location, 300_000, file, 0, 1).statusCode()).isEqualTo(403);
    }

    @Test
    void shouldForgetADiscardedUploadForGood() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(1000, 9);
        final String location = createUpload(file.length);
        assertThat(client.patch(location, 0, file, 0, file.length).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.completed.size() == 1);
        final String videoId = listener.completed.keySet().iterator().next();

        assertThat(server.uploads().discard(videoId)).isTrue();

        assertThat(client.head(location).statusCode()).isEqualTo(404);
        assertThat(server.uploads().discard(videoId)).isFalse();
        try (var files = Files.list(dataDir.resolve("uploads")))
        {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void shouldRefuseOffsetMismatchWithConflictAndTheCurrentOffset() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(2000, 2);
        final String location = createUpload(file.length);
        assertThat(client.patch(location, 0, file, 0, 1000).statusCode()).isEqualTo(204);

        final HttpResponse<String> stale = client.patch(location, 0, file, 0, 1000);

        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.headers().firstValue("Upload-Offset")).hasValue("1000");
        assertThat(stale.body()).contains("\"success\":false", "tus.offset_mismatch");
        assertThat(client.head(location).headers().firstValue("Upload-Offset")).hasValue("1000");
    }

    @ParameterizedTest
    @CsvSource({"sha1,SHA-1", "md5,MD5", "sha256,SHA-256"})
    void shouldDiscardChunkWhenChecksumDoesNotMatch(final String tusName, final String jcaName) throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(4000, 3);
        final String location = createUpload(file.length);
        final String wrong = TestPayloads.digestBase64(jcaName, file, 1, 2001);

        final HttpResponse<String> mismatch = client.patch(location, 0, file, 0, 2000,
            "Upload-Checksum", tusName + " " + wrong);

        assertThat(mismatch.statusCode()).isEqualTo(460);
        assertThat(mismatch.body()).contains("tus.checksum_mismatch");
        assertThat(client.head(location).headers().firstValue("Upload-Offset")).hasValue("0");
        assertThat(meters.counter("bifrost.upload.checksum.failures").count()).isEqualTo(1.0);
        final HttpResponse<String> retried = client.patch(location, 0, file, 0, 2000,
            "Upload-Checksum", tusName + " " + TestPayloads.digestBase64(jcaName, file, 0, 2000));
        assertThat(retried.statusCode()).isEqualTo(204);
        assertThat(retried.headers().firstValue("Upload-Offset")).hasValue("2000");
    }

    @Test
    void shouldRefuseUnknownChecksumAlgorithm() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(100, 4);
        final String location = createUpload(file.length);

        final HttpResponse<String> response = client.patch(location, 0, file, 0, 100, "Upload-Checksum", "crc32 AAAAAA==");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("tus.bad_checksum");
    }

    @Test
    void shouldRefuseUnsupportedProtocolVersionWithTusVersion() throws Exception
    {
        final HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.url(UPLOADS)))
            .header("Tus-Resumable", "0.2.2").header("Upload-Length", "10").POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(response.headers().firstValue("Tus-Version")).hasValue("1.0.0");
    }

    @Test
    void shouldRefuseEmptyAndOversizedUploads() throws Exception
    {
        final HttpResponse<String> empty = client.create(server.url(UPLOADS), 0, Map.of());
        final HttpResponse<String> huge = client.create(server.url(UPLOADS), (10 << 20) + 1, Map.of());

        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("upload.empty");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.body()).contains("upload.too_large");
    }

    @Test
    void shouldRefuseBodiesRunningPastUploadLength() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(2000, 5);
        final String location = createUpload(1000);

        assertThat(client.patch(location, 0, file, 0, 2000).statusCode()).isEqualTo(413);
        assertThat(client.head(location).headers().firstValue("Upload-Offset")).hasValue("0");
    }

    @Test
    void shouldRefuseMalformedMetadata() throws Exception
    {
        final HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.url(UPLOADS)))
            .header("Tus-Resumable", "1.0.0").header("Upload-Length", "10")
            .header("Upload-Metadata", "filename not*base64").POST(HttpRequest.BodyPublishers.noBody()));
        final HttpResponse<String> visibility = client.create(server.url(UPLOADS), 10, Map.of("visibility", "secret"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("tus.bad_metadata");
        assertThat(visibility.statusCode()).isEqualTo(400);
        assertThat(visibility.body()).contains("visibility must be one of");
    }

    @Test
    void shouldRefusePatchWithoutOffsetContentType() throws Exception
    {
        final String location = createUpload(100);

        final HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(location))
            .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0").header("Content-Type", "text/plain")
            .method("PATCH", HttpRequest.BodyPublishers.ofString("x")));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("tus.bad_content_type");
    }

    @Test
    void shouldTerminateUploadOnDeleteAndAnswerGoneAfterwards() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(2000, 6);
        final String location = createUpload(file.length);
        assertThat(client.patch(location, 0, file, 0, 1000).statusCode()).isEqualTo(204);

        assertThat(client.delete(location).statusCode()).isEqualTo(204);

        assertThat(client.head(location).statusCode()).isEqualTo(410);
        assertThat(client.patch(location, 1000, file, 1000, 2000).statusCode()).isEqualTo(410);
        assertThat(client.head(server.url(UPLOADS + "AAAAAAAAAAAAAAAAAAAAAA")).statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.events.stream().anyMatch(e -> e.startsWith("terminated")));
        try (var files = Files.list(dataDir.resolve("uploads")))
        {
            assertThat(files.filter(p -> p.toString().endsWith(".bin"))).isEmpty();
        }
    }

    @Test
    void shouldHonourMethodOverrideForClientsThatCannotSendPatch() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(1000, 7);
        final String location = createUpload(file.length);

        final HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(location))
            .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
            .header("Content-Type", "application/offset+octet-stream").header("X-HTTP-Method-Override", "PATCH")
            .POST(HttpRequest.BodyPublishers.ofByteArray(file)));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Upload-Offset")).hasValue("1000");
    }

    @Test
    void shouldRejectTextFileAfterItsFirstBytesAndExplainWhy() throws Exception
    {
        final byte[] text = TestPayloads.text(100_000);
        final String location = createUpload(text.length);

        final HttpResponse<String> refused = client.patch(location, 0, text, 0, 50_000);

        assertThat(refused.statusCode()).isEqualTo(415);
        assertThat(refused.body()).contains("upload.not_video", "looks like text");
        final HttpResponse<String> head = client.head(location);
        assertThat(head.statusCode()).isEqualTo(410);
        assertThat(head.headers().firstValue("Bifrost-Rejection-Code")).hasValue("upload.not_video");
        final String status = client.get(location).body();
        assertThat(status).contains("\"status\":\"rejected\"", "\"code\":\"upload.not_video\"");
        await().atMost(Duration.ofSeconds(5))
            .until(() -> listener.events.stream().anyMatch(e -> e.startsWith("rejected") && e.endsWith("upload.not_video")));
        assertThat(meters.counter("bifrost.upload.rejected", "reason", "upload.not_video").count()).isEqualTo(1.0);
    }

    @Test
    void shouldPassOtherRequestsAndTheirBodiesDownThePipeline() throws Exception
    {
        final HttpResponse<String> get = client.get(server.url("/vod/v_abc/master.m3u8"));
        final HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/videos/x/metadata")))
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[70_000])));
        final HttpResponse<String> again = client.get(server.url("/api/v1/uploadsX"));

        assertThat(get.body()).isEqualTo("passthrough GET /vod/v_abc/master.m3u8 0");
        assertThat(post.body()).isEqualTo("passthrough POST /api/v1/videos/x/metadata 70000");
        assertThat(again.body()).isEqualTo("passthrough GET /api/v1/uploadsX 0");
    }

    @Test
    void shouldCreateUploadThroughUploadUrlApiInTheSeedEnvelope() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(5000, 8);
        final String json = "{\"filename\":\"my_video.mp4\",\"file_size\":5000,\"content_type\":\"video/mp4\"," +
            "\"duration\":300,\"title\":\"Amazing\",\"tags\":[\"nature\",\"4k\"],\"visibility\":\"public\"}";

        final HttpResponse<String> response = client.send(HttpRequest.newBuilder(
            URI.create(server.url("/api/v1/videos/upload-url"))).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));

        assertThat(response.statusCode()).isEqualTo(201);
        final var data = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        assertThat(data.get("success").asBoolean()).isTrue();
        assertThat(data.at("/data/upload_id").asText()).matches("[A-Za-z0-9_-]{22}");
        assertThat(data.at("/data/video_id").asText()).matches("v_[A-Za-z0-9_-]{22}");
        assertThat(data.at("/data/chunk_size").asInt()).isEqualTo(5 << 20);
        assertThat(data.at("/data/expires_at").asText()).endsWith("Z");
        final String uploadUrl = data.at("/data/upload_url").asText();
        assertThat(uploadUrl).endsWith("/api/v1/uploads/" + data.at("/data/upload_id").asText());
        assertThat(client.patch(uploadUrl, 0, file, 0, file.length).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.completed.containsKey(data.at("/data/video_id").asText()));
        assertThat(listener.created.get(data.at("/data/video_id").asText()).tags()).containsExactly("nature", "4k");
    }

    @Test
    void shouldRefuseBadUploadUrlRequestsInTheSeedEnvelope() throws Exception
    {
        final HttpResponse<String> notJson = client.send(HttpRequest.newBuilder(
            URI.create(server.url("/api/v1/videos/upload-url"))).POST(HttpRequest.BodyPublishers.ofString("{nope")));
        final HttpResponse<String> pdf = client.send(HttpRequest.newBuilder(
            URI.create(server.url("/api/v1/videos/upload-url"))).POST(HttpRequest.BodyPublishers.ofString(
            "{\"filename\":\"a.pdf\",\"file_size\":10,\"content_type\":\"application/pdf\"}")));
        final HttpResponse<String> tooBig = client.send(HttpRequest.newBuilder(
            URI.create(server.url("/api/v1/videos/upload-url"))).POST(HttpRequest.BodyPublishers.ofString(
            "{\"filename\":\"a.mp4\",\"file_size\":99999999999}")));

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).startsWith("{\"success\":false,\"error\":{\"code\":\"request.invalid\"");
        assertThat(pdf.statusCode()).isEqualTo(415);
        assertThat(pdf.body()).contains("upload.not_video");
        assertThat(tooBig.statusCode()).isEqualTo(413);
    }
}
