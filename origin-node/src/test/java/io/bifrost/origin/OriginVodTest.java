package io.bifrost.origin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bifrost.origin.catalog.VideoMetadata;
import io.bifrost.origin.catalog.VideoStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The VOD origin end to end with real ffmpeg, RocksDB and Netty on loopback: a source submitted directly (as the
 * upload service will) is transcoded, imported and served over HTTP, plays in ffmpeg, survives a restart, and is
 * gone everywhere after a delete.
 */
class OriginVodTest
{
    private static final Duration TRANSCODE_DEADLINE = Duration.ofMinutes(3);

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private RunningOrigin origin;

    @AfterEach
    void stop()
    {
        if (origin != null)
        {
            origin.close();
        }
    }

    private RunningOrigin launch()
    {
        origin = OriginNode.launch(new OriginNode.Context()
            .bindAddress("127.0.0.1")
            .port(0)
            .dataDir(temp.resolve("data"))
            .ioThreads(1)
            .blockingThreads(2)
            .x264Preset("ultrafast")
            .segmentSeconds(2));
        return origin;
    }

    private String publish(final String videoId) throws IOException
    {
        final Path source = TestClips.clip(temp.resolve(videoId + "-upload.mp4"), 3);
        assertThat(origin.submit(videoId, source, new VideoMetadata("Test pattern", "three seconds", List.of("test"),
            "public", "en")).status()).isEqualTo(VideoStatus.PROCESSING);
        await().atMost(TRANSCODE_DEADLINE).until(() -> origin.catalog().find(videoId).status() != VideoStatus.PROCESSING);
        assertThat(origin.catalog().find(videoId).status()).isEqualTo(VideoStatus.PUBLISHED);
        return videoId;
    }

    @Test
    void shouldPublishSubmittedSourceAndServeItOverHttpToFfmpeg() throws Exception
    {
        launch();
        final String id = publish("clip1");

        final HttpResponse<String> master = get("/vod/" + id + "/master.m3u8");
        assertThat(master.statusCode()).isEqualTo(200);
        assertThat(master.headers().firstValue("content-type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(master.body()).contains("#EXT-X-STREAM-INF:", "240p/index.m3u8");
        final HttpResponse<String> media = get("/vod/" + id + "/240p/index.m3u8");
        assertThat(media.statusCode()).isEqualTo(200);
        assertThat(media.body()).contains("#EXTINF", "0.m4s", "#EXT-X-ENDLIST");
        assertThat(getBytes("/vod/" + id + "/240p/init.mp4").statusCode()).isEqualTo(200);
        final HttpResponse<byte[]> segment = getBytes("/vod/" + id + "/240p/0.m4s");
        assertThat(segment.statusCode()).isEqualTo(200);
        assertThat(segment.headers().firstValue("content-type")).hasValue("video/iso.segment");
        assertThat(segment.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
        assertThat(segment.headers().firstValue("etag")).isPresent();
        assertThat(segment.headers().firstValue("last-modified")).isPresent();
        assertThat(segment.headers().firstValue("access-control-allow-origin")).hasValue("*");
        final HttpResponse<String> mpd = get("/vod/" + id + "/manifest.mpd");
        assertThat(mpd.headers().firstValue("content-type")).hasValue("application/dash+xml");
        assertThat(mpd.body()).contains("<MPD", "SegmentTemplate");
        assertThat(getBytes("/vod/" + id + "/thumbnails/poster.jpg").headers().firstValue("content-type"))
            .hasValue("image/jpeg");
        assertThat(getBytes("/vod/" + id + "/audio/0.m4s").statusCode()).isEqualTo(200);

        final String url = "http://127.0.0.1:" + origin.port() + "/vod/" + id + "/master.m3u8";
        final TestClips.Result decoded = TestClips.tryRun(List.of(TestClips.FFMPEG.toString(), "-nostdin", "-v",
            "error", "-i", url, "-f", "null", "-"));
        assertThat(decoded.exitCode()).as(decoded.output()).isZero();
        final String streams = TestClips.run(List.of(TestClips.FFPROBE.toString(), "-v", "error", "-show_entries",
            "stream=codec_type", "-of", "csv=p=0", url));
        assertThat(streams).contains("video", "audio");
        final TestClips.Result dash = TestClips.tryRun(List.of(TestClips.FFMPEG.toString(), "-nostdin", "-v",
            "error", "-i", "http://127.0.0.1:" + origin.port() + "/vod/" + id + "/manifest.mpd", "-f", "null", "-"));
        assertThat(dash.exitCode()).as(dash.output()).isZero();

        final JsonNode video = api("GET", "/api/v1/videos/" + id);
        assertThat(video.get("success").asBoolean()).isTrue();
        final JsonNode data = video.get("data");
        assertThat(data.get("status").asText()).isEqualTo("published");
        assertThat(data.get("title").asText()).isEqualTo("Test pattern");
        assertThat(data.get("duration").asDouble()).isBetween(2.5, 3.5);
        assertThat(data.get("formats").get(0).get("quality").asText()).isEqualTo("240p");
        assertThat(data.get("formats").get(0).get("bitrate").asLong()).isPositive();
        assertThat(data.get("thumbnails").get(0).get("url").asText()).isEqualTo("/vod/" + id + "/thumbnails/poster.jpg");
        assertThat(data.get("thumbnails").get(0).get("width").asInt()).isEqualTo(320);
        assertThat(data.get("thumbnails").get(0).get("height").asInt()).isEqualTo(240);
        assertThat(data.get("thumbnails").get(1).get("kind").asText()).isEqualTo("sprite");
        assertThat(data.get("manifests").get("hls").asText()).isEqualTo("/vod/" + id + "/master.m3u8");
        assertThat(api("GET", "/api/v1/videos").get("data").get("count").asInt()).isEqualTo(1);
        await("title folders are deleted once imported").atMost(Duration.ofSeconds(30))
            .until(() -> isEmpty(temp.resolve("data/titles")));
        assertThat(temp.resolve("data/originals/" + id)).exists();
    }

    @Test
    void shouldAnswerRangesConditionalsAndHeadForSegments() throws Exception
    {
        launch();
        final String id = publish("clip2");
        final String path = "/vod/" + id + "/240p/init.mp4";
        final HttpResponse<byte[]> whole = getBytes(path);
        final byte[] body = whole.body();
        final String etag = whole.headers().firstValue("etag").orElseThrow();

        final HttpResponse<byte[]> range = send(HttpRequest.newBuilder(uri(path)).header("Range", "bytes=4-11").build());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("content-range")).hasValue("bytes 4-11/" + body.length);
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 4, 12));

        final HttpResponse<byte[]> beyond = send(HttpRequest.newBuilder(uri(path))
            .header("Range", "bytes=" + body.length + "-").build());
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("content-range")).hasValue("bytes */" + body.length);

        final HttpResponse<byte[]> notModified = send(HttpRequest.newBuilder(uri(path))
            .header("If-None-Match", etag).build());
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();

        final HttpResponse<byte[]> head = send(HttpRequest.newBuilder(uri(path))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-length")).hasValue(Integer.toString(body.length));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void shouldServeTheSameBytesAfterRestartAndNothingAfterDelete() throws Exception
    {
        launch();
        final String id = publish("clip3");
        final HttpResponse<byte[]> before = getBytes("/vod/" + id + "/240p/0.m4s");
        final String masterBefore = get("/vod/" + id + "/master.m3u8").body();
        origin.close();

        launch();
        final HttpResponse<byte[]> after = getBytes("/vod/" + id + "/240p/0.m4s");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).isEqualTo(before.body());
        assertThat(after.headers().firstValue("etag")).isEqualTo(before.headers().firstValue("etag"));
        assertThat(get("/vod/" + id + "/master.m3u8").body()).isEqualTo(masterBefore);
        assertThat(origin.catalog().find(id).status()).isEqualTo(VideoStatus.PUBLISHED);

        final JsonNode deleted = api("DELETE", "/api/v1/videos/" + id);
        assertThat(deleted.get("data").get("status").asText()).isEqualTo("deleted");
        for (final String path : List.of("/master.m3u8", "/manifest.mpd", "/240p/index.m3u8", "/240p/init.mp4",
            "/240p/0.m4s", "/audio/init.mp4", "/audio/0.m4s", "/thumbnails/poster.jpg", "/thumbnails/sprite.vtt"))
        {
            assertThat(getBytes("/vod/" + id + path).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(send(HttpRequest.newBuilder(uri("/api/v1/videos/" + id)).build()).statusCode()).isEqualTo(410);
        assertThat(temp.resolve("data/originals/" + id)).doesNotExist();
        origin.close();

        launch();
        assertThat(getBytes("/vod/" + id + "/240p/0.m4s").statusCode()).isEqualTo(404);
        assertThat(origin.catalog().find(id).status()).isEqualTo(VideoStatus.DELETED);
    }

    @Test
    void shouldMarkFailedWithTheReasonWhenTheSourceIsNotVideo() throws Exception
    {
        launch();
        final Path text = Files.writeString(temp.resolve("notes.txt"), "this is not a video\n".repeat(100));
        origin.submit("bad1", text, VideoMetadata.EMPTY);
        await().atMost(TRANSCODE_DEADLINE).until(() -> origin.catalog().find("bad1").status() == VideoStatus.FAILED);

        final JsonNode data = api("GET", "/api/v1/videos/bad1").get("data");
        assertThat(data.get("status").asText()).isEqualTo("failed");
        assertThat(data.get("error").get("code").asText()).startsWith("source.");
        assertThat(data.get("error").get("message").asText()).isNotBlank();
        assertThat(getBytes("/vod/bad1/master.m3u8").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldUpdateMetadataAndRefuseInvalidMetadata() throws Exception
    {
        launch();
        origin.catalog().create("meta1", VideoMetadata.EMPTY);
        final HttpResponse<String> updated = post("/api/v1/videos/meta1/metadata",
            "{\"title\":\"Nature\",\"tags\":[\"a\",\"b\"],\"visibility\":\"unlisted\",\"category_id\":15}");
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        final JsonNode data = json.readTree(updated.body()).get("data");
        assertThat(data.get("title").asText()).isEqualTo("Nature");
        assertThat(data.get("status").asText()).isEqualTo("uploading");
        assertThat(data.get("visibility").asText()).isEqualTo("unlisted");
        assertThat(data.get("tags").size()).isEqualTo(2);
        assertThat(data.get("description").asText()).isEmpty();

        assertThat(post("/api/v1/videos/meta1/metadata", "{\"visibility\":\"everyone\"}").body())
            .contains("\"code\":\"video.metadata\"");
        assertThat(post("/api/v1/videos/meta1/metadata", "{not json").body()).contains("\"code\":\"api.json\"");
        assertThat(post("/api/v1/videos/nope/metadata", "{}").statusCode()).isEqualTo(404);
        assertThat(origin.catalog().find("meta1").metadata().title()).isEqualTo("Nature");
    }

    @Test
    void shouldHandTheCatalogToTheUploadServiceAndPutItsHandlerBeforeEverythingElse() throws Exception
    {
        origin = OriginNode.launch(new OriginNode.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(temp.resolve("data")).ioThreads(1).blockingThreads(1)
            .uploads(catalog -> () -> new io.netty.channel.ChannelInboundHandlerAdapter()
            {
                private boolean mine;

                @Override
                public void channelRead(final io.netty.channel.ChannelHandlerContext ctx, final Object msg)
                {
                    if (msg instanceof io.netty.handler.codec.http.HttpRequest request)
                    {
                        mine = request.uri().startsWith("/api/v1/uploads/");
                    }
                    if (!mine)
                    {
                        ctx.fireChannelRead(msg);
                        return;
                    }
                    io.netty.util.ReferenceCountUtil.release(msg);
                    if (msg instanceof io.netty.handler.codec.http.LastHttpContent)
                    {
                        catalog.create("up1", VideoMetadata.fromUploadMetadata(java.util.Map.of("filename", "a.mp4")));
                        final var created = new io.netty.handler.codec.http.DefaultFullHttpResponse(
                            io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                            io.netty.handler.codec.http.HttpResponseStatus.CREATED);
                        created.headers().set("Content-Length", 0);
                        ctx.writeAndFlush(created);
                    }
                }
            }));
        assertThat(post("/api/v1/uploads/", "").statusCode()).isEqualTo(201);
        final JsonNode data = api("GET", "/api/v1/videos/up1").get("data");
        assertThat(data.get("status").asText()).isEqualTo("uploading");
        assertThat(data.get("title").asText()).isEqualTo("a.mp4");
    }

    private HttpResponse<String> post(final String path, final String body) throws IOException, InterruptedException
    {
        return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode api(final String method, final String path) throws IOException, InterruptedException
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path))
            .method(method, HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return json.readTree(response.body());
    }

    private HttpResponse<String> get(final String path) throws IOException, InterruptedException
    {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(final String path) throws IOException, InterruptedException
    {
        return send(HttpRequest.newBuilder(uri(path)).build());
    }

    private HttpResponse<byte[]> send(final HttpRequest request) throws IOException, InterruptedException
    {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(final String path)
    {
        return URI.create("http://127.0.0.1:" + origin.port() + path);
    }

    private static boolean isEmpty(final Path dir) throws java.io.IOException
    {
        try (Stream<Path> left = Files.list(dir))
        {
            return left.findAny().isEmpty();
        }
    }
}
