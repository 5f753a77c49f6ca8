package io.bifrost.systemtests.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bifrost.systemtests.BifrostProcess;
import io.bifrost.systemtests.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protected VOD titles play in real players in Debian's headless Chromium: one {@code bifrost all} publishes an
 * {@code aes-128} title (HLS, whole segments AES-128-CBC) and a {@code clearkey} title (DASH, CENC), each chosen per
 * title with the tus upload metadata {@code protection}. hls.js plays the AES-128 title (it fetches the
 * {@code EXT-X-KEY} URI from the origin); dash.js and Shaka play the ClearKey title through EME
 * ({@code org.w3.clearkey}), getting the key from the origin's W3C ClearKey licence endpoint. Each must advance
 * {@code currentTime}, raise no fatal error and leave a screenshot. Without the key nothing decodes (the
 * gpu-transcoder tests prove that with ffmpeg); here the key answers must be {@code Cache-Control: private, no-store}.
 * The key URLs are on the origin ({@code origin.public-base-url} makes them absolute), not the edge: the edge serves
 * only content paths. Needs a launcher whose origin wires {@code io.bifrost.origin.keys} (KeyEndpoints in the
 * request handler, TitleProtections in the transcode workers, {@code protection} from tus metadata).
 */
class BrowserProtectedPlaybackSystemTest
{
    private static final Pattern EDGE_STARTED = Pattern.compile("role edge started");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BrowserHarness HARNESS = BrowserHarness.locate();

    @TempDir
    static Path temp;
    private static BifrostProcess process;
    private static String origin;
    private static String edge;
    private static String aesId;
    private static String clearKeyId;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void publishProtectedTitles() throws Exception
    {
        if (HARNESS.missing().isPresent() || !BrowserTestNode.hasFfmpeg())
        {
            return; // each test then skips with the reason
        }
        final Path clip = temp.resolve("clip-480p.mp4");
        BrowserTestNode.makeClip(clip, 854, 480, 10);
        final int originPort = freePort();
        final int edgePort = freePort();
        final int controlPort = freePort();
        origin = "http://127.0.0.1:" + originPort;
        edge = "http://127.0.0.1:" + edgePort;
        process = BifrostProcess.start("all", "--ops-port", "0", "--bind", "127.0.0.1",
            "--data-dir", temp.resolve("data").toString(), "--origin.port", Integer.toString(originPort),
            "--origin.x264-preset", "ultrafast", "--origin.segment-seconds", "2",
            "--origin.public-base-url", origin,
            "--edge.port", Integer.toString(edgePort), "--edge.ram-bytes", "64m", "--edge.ssd-bytes", "0",
            "--edge.origin", origin, "--control.port", Integer.toString(controlPort),
            "--ingest.control-url", "http://127.0.0.1:" + controlPort,
            "--ingest.rtmp-port", Integer.toString(freePort()), "--ingest.srt-enabled", "false");
        process.awaitLine(EDGE_STARTED, Duration.ofSeconds(90));
        aesId = upload(clip, "aes-128");
        clearKeyId = upload(clip, "clearkey");
        awaitPublished(aesId, Duration.ofMinutes(3));
        awaitPublished(clearKeyId, Duration.ofMinutes(3));
    }

    @BeforeEach
    void skipWithTheReasonWhenToolsAreMissing()
    {
        HARNESS.assumeReady();
        BrowserTestNode.assumeFfmpeg();
    }

    @AfterAll
    static void stop() throws Exception
    {
        if (process != null)
        {
            process.terminate(Duration.ofSeconds(30));
            process.close();
        }
    }

    @Test
    void hlsJsShouldPlayTheAes128TitleWithTheKeyFromTheOrigin() throws Exception
    {
        final String master = text(edge + "/vod/" + aesId + "/master.m3u8");
        final String firstRendition = master.lines().filter(line -> line.endsWith("index.m3u8")).findFirst()
            .orElseThrow();
        final String media = text(edge + "/vod/" + aesId + "/" + firstRendition);
        assertThat(media).contains("#EXT-X-KEY:METHOD=AES-128,URI=\"" + origin + "/api/v1/videos/" + aesId +
            "/hls-key\"");
        final HttpResponse<byte[]> key = HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/api/v1/videos/" +
            aesId + "/hls-key")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(key.statusCode()).isEqualTo(200);
        assertThat(key.body()).hasSize(16);
        assertThat(key.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(edge + "/vod/" + aesId + "/manifest.mpd")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).as("no clear DASH for an aes-128 title")
            .isEqualTo(404);

        assertPlayed(HARNESS.play(PlaybackRequest.vod("protected-hlsjs-aes128", edge + "/vod/" + aesId +
            "/master.m3u8", PlaybackRequest.HLS_JS, BrowserTestNode.codecsOf(master))));
    }

    @Test
    void dashJsShouldPlayTheClearKeyTitleThroughEme() throws Exception
    {
        assertPlayed(HARNESS.play(clearKeyPlayback("protected-dashjs-clearkey", PlaybackRequest.DASH_JS),
            Map.of("licenseUrl", licenseUrl())));
    }

    @Test
    void shakaShouldPlayTheClearKeyTitleThroughEme() throws Exception
    {
        assertPlayed(HARNESS.play(clearKeyPlayback("protected-shaka-clearkey", PlaybackRequest.SHAKA),
            Map.of("licenseUrl", licenseUrl())));
    }

    private static PlaybackRequest clearKeyPlayback(final String name, final String player) throws Exception
    {
        final String mpd = text(edge + "/vod/" + clearKeyId + "/manifest.mpd");
        assertThat(mpd).contains("urn:mpeg:dash:mp4protection:2011", "cenc:default_KID",
            "urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e", licenseUrl());
        return PlaybackRequest.vod(name, edge + "/vod/" + clearKeyId + "/manifest.mpd", player, List.of())
            .withTimeout(Duration.ofSeconds(75));
    }

    private static String licenseUrl()
    {
        return origin + "/api/v1/videos/" + clearKeyId + "/clearkey";
    }

    private static void assertPlayed(final PlaybackReport report) throws Exception
    {
        System.out.println("[browser] " + report.summary());
        assertThat(report.failure()).as(report.summary()).isNull();
        assertThat(report.fatalErrors()).as(report.summary()).isEmpty();
        assertThat(report.maxCurrentTime()).as("currentTime advanced; " + report.summary()).isGreaterThanOrEqualTo(6);
        assertThat(report.advancingSamples()).as("playback kept advancing; " + report.summary())
            .isGreaterThanOrEqualTo(3);
        assertThat(report.screenshot()).as("screenshot").isNotNull();
        assertThat(Files.size(report.screenshot())).as("screenshot " + report.screenshot()).isGreaterThan(1000);
    }

    private static String upload(final Path file, final String protection) throws Exception
    {
        final byte[] bytes = Files.readAllBytes(file);
        final String metadata = "filename " + b64(file.getFileName().toString()) + ",title " + b64(protection +
            " title") + ",visibility " + b64("public") + ",protection " + b64(protection);
        final HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/api/v1/uploads/"))
            .header("Tus-Resumable", "1.0.0").header("Upload-Length", Integer.toString(bytes.length))
            .header("Upload-Metadata", metadata).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        final URI upload = URI.create(origin).resolve(created.headers().firstValue("Location").orElseThrow());
        final HttpResponse<String> patched = HTTP.send(HttpRequest.newBuilder(upload)
            .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
            .header("Content-Type", "application/offset+octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
        return created.headers().firstValue("Bifrost-Video-Id").orElseThrow();
    }

    private static void awaitPublished(final String videoId, final Duration timeout) throws Exception
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline)
        {
            last = text(origin + "/api/v1/videos/" + videoId);
            final JsonNode data = JSON.readTree(last).path("data");
            if ("published".equals(data.path("status").asText()))
            {
                return;
            }
            assertThat(data.path("status").asText()).as(last).isIn("uploading", "processing");
            Thread.sleep(250);
        }
        throw new AssertionError("not published within " + timeout + ": " + last + "\n" + process.output());
    }

    private static String text(final String url) throws Exception
    {
        final HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("GET " + url + ": " + answer.body()).isEqualTo(200);
        return answer.body();
    }

    private static String b64(final String value)
    {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws Exception
    {
        return FreePorts.next();
    }
}
