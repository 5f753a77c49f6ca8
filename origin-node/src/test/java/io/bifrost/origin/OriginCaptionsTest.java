package io.bifrost.origin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bifrost.origin.catalog.VideoMetadata;
import io.bifrost.origin.catalog.VideoStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subtitles uploaded through the API are served and listed in both manifests of their title, and ffmpeg still plays
 * the master playlist that lists them.
 */
class OriginCaptionsTest
{
    private static final String VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHello\n";

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newHttpClient();
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
    void shouldListUploadedSubtitlesInHlsAndDashAndRefuseBadOnes() throws Exception
    {
        origin = OriginNode.launch(new OriginNode.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(temp.resolve("data")).ioThreads(1).blockingThreads(2).x264Preset("ultrafast").segmentSeconds(2)
            .maxRequestBodyBytes(64 * 1024));
        origin.submit("cap1", TestClips.clip(temp.resolve("upload.mp4"), 3), VideoMetadata.EMPTY);
        await().atMost(Duration.ofMinutes(3)).until(() -> origin.catalog().find("cap1").status() != VideoStatus.PROCESSING);

        final HttpResponse<String> put = put("/api/v1/videos/cap1/captions/pt-BR", VTT);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        final JsonNode captions = new ObjectMapper().readTree(put.body()).get("data").get("captions");
        assertThat(captions.get(0).get("language").asText()).isEqualTo("pt-BR");
        assertThat(captions.get(0).get("url").asText()).isEqualTo("/vod/cap1/sub-pt-BR/subtitles.vtt");

        final String master = get("/vod/cap1/master.m3u8").body();
        assertThat(master).contains("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"pt-BR\",LANGUAGE=\"pt-BR\"",
            "URI=\"sub-pt-BR/index.m3u8\"", ",SUBTITLES=\"subs\"");
        assertThat(get("/vod/cap1/manifest.mpd").body()).contains("mimeType=\"text/vtt\" lang=\"pt-BR\"",
            "<BaseURL>sub-pt-BR/subtitles.vtt</BaseURL>");
        final HttpResponse<String> vtt = get("/vod/cap1/sub-pt-BR/subtitles.vtt");
        assertThat(vtt.headers().firstValue("content-type")).hasValue("text/vtt; charset=utf-8");
        assertThat(vtt.body()).isEqualTo(VTT);
        assertThat(get("/vod/cap1/sub-pt-BR/index.m3u8").body()).contains("subtitles.vtt", "#EXT-X-ENDLIST");
        final TestClips.Result played = TestClips.tryRun(List.of(TestClips.FFMPEG.toString(), "-nostdin", "-v",
            "error", "-i", uri("/vod/cap1/master.m3u8").toString(), "-f", "null", "-"));
        assertThat(played.exitCode()).as(played.output()).isZero();

        assertThat(put("/api/v1/videos/cap1/captions/en", "1\n00:00:00,000 --> 00:00:01,000\nSRT\n").body())
            .contains("\"code\":\"caption.body\"");
        assertThat(put("/api/v1/videos/cap1/captions/english-language", VTT).body())
            .contains("\"code\":\"caption.language\"");
        assertThat(put("/api/v1/videos/cap1/captions/en", "WEBVTT\n" + "x".repeat(70 * 1024)).statusCode())
            .isEqualTo(413);
        assertThat(put("/api/v1/videos/nope/captions/en", VTT).statusCode()).isEqualTo(404);

        final HttpResponse<String> removed = http.send(HttpRequest.newBuilder(uri("/api/v1/videos/cap1/captions/pt-BR"))
            .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(get("/vod/cap1/master.m3u8").body()).doesNotContain("SUBTITLES");
        assertThat(get("/vod/cap1/sub-pt-BR/subtitles.vtt").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> put(final String path, final String body) throws Exception
    {
        return http.send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(final String path) throws Exception
    {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(final String path)
    {
        return URI.create("http://127.0.0.1:" + origin.port() + path);
    }
}
