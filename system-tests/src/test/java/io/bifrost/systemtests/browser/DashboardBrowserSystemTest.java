package io.bifrost.systemtests.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bifrost.systemtests.BifrostProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control plane's web dashboard in Debian's headless Chromium against a real {@code bifrost all}: a tiny VOD title
 * is published and played through the edge (playlists and segments, again and again) until the control plane's
 * traffic history holds samples with requests, while QoE beacons for the title are posted to the edge's
 * {@code /player/qoe} as the reference player sends them; then {@code system-tests/browser/dashboard.mjs} opens
 * {@code /dashboard}, types a token into the login field (loopback needs none; the page must still work with one),
 * waits until the charts have data, chooses the title in the experience selector and reads the DOM: the edge's row
 * with its load meters, SVG line paths with points in every traffic chart and every experience chart (startup,
 * rebuffer ratio, bitrate, first byte p50 with its p99 line), the title among the hot-content bars, no script or
 * Content-Security-Policy error. The
 * screenshot is {@code system-tests/target/browser-screenshots/dashboard.png}, the report
 * {@code system-tests/target/browser-reports/dashboard.json}.
 */
class DashboardBrowserSystemTest
{
    private static final Duration TRAFFIC_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration BROWSER_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path temp;

    private static final BrowserHarness HARNESS = BrowserHarness.locate();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static BrowserTestNode node;
    private static String videoId;

    @BeforeAll
    static void publishATitleAndServeItThroughTheEdge() throws Exception
    {
        if (HARNESS.missing().isPresent() || !BrowserTestNode.hasFfmpeg())
        {
            return; // the test then skips with the reason
        }
        final Path clip = temp.resolve("clip.mp4");
        BrowserTestNode.makeClip(clip, 320, 240, 2);
        node = BrowserTestNode.start(temp.resolve("data"));
        try
        {
            videoId = node.publish(clip, "Dashboard clip", Duration.ofMinutes(3));
            playUntilTheHistoryHasTraffic();
        }
        catch (final IOException ex)
        {
            throw new AssertionError("bifrost all stopped answering (" + ex + "):\n" + node.process().output(), ex);
        }
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
        if (node != null)
        {
            node.terminate();
            node.close();
        }
    }

    @Test
    void shouldDrawEdgesTrafficChartsAndHotContentFromALiveControlPlane() throws Exception
    {
        final JsonNode edges = control("/api/v1/edges").path("edges");
        assertThat(edges).as("the edge of bifrost all registered").isNotEmpty();
        final String edgeId = edges.get(0).path("edge_id").asText();

        final JsonNode report = runDashboard();

        assertThat(report.path("error").isNull()).as("dashboard.mjs: " + report.path("error").asText()).isTrue();
        assertThat(report.path("ok").asBoolean()).isTrue();
        assertThat(report.path("pageErrors")).as("script and CSP errors").isEmpty();
        final JsonNode page = report.path("snapshot");
        assertThat(page.path("status").asText()).as("no API error shown").isEmpty();
        assertThat(page.path("storedToken").asBoolean()).as("the login field keeps the token").isTrue();
        assertThat(report.path("requests").findValuesAsText("authorization")).as("API calls carry the bearer token")
            .contains("bearer");

        final List<String> edgeIds = page.path("edges").findValuesAsText("id");
        assertThat(edgeIds).contains(edgeId);
        final JsonNode edgeRow = page.path("edges").get(edgeIds.indexOf(edgeId));
        assertThat(edgeRow.path("status").asText()).isEqualTo("up");
        assertThat(edgeRow.path("meters").asInt()).as("load and RAM meters").isGreaterThanOrEqualTo(2);

        for (final String chart : List.of("requests", "hitRatio", "bandwidth", "viewers"))
        {
            final JsonNode drawn = page.path("charts").path(chart);
            assertThat(drawn.path("points").asInt()).as(chart + " samples").isGreaterThanOrEqualTo(2);
            assertThat(drawn.path("pathPoints").asInt()).as(chart + " path points").isEqualTo(drawn.path("points").asInt());
            assertThat(drawn.path("empty").isNull()).as(chart + " not empty").isTrue();
        }
        assertThat(page.path("charts").path("requests").path("distinctY").asInt())
            .as("the requests line rises from zero to the traffic").isGreaterThanOrEqualTo(2);

        final List<String> choices = new ArrayList<>();
        page.path("experienceChoices").forEach(choice -> choices.add(choice.asText()));
        assertThat(choices).as("the selector offers every content and the hot title").contains("", "vod/" + videoId);
        assertThat(page.path("experienceContent").asText()).as("the charts show the chosen title").isEqualTo("vod/" + videoId);
        for (final String chart : List.of("startup", "rebuffer", "bitrate", "firstByte"))
        {
            final JsonNode drawn = page.path("charts").path(chart);
            assertThat(drawn.path("points").asInt()).as(chart + " minutes").isGreaterThanOrEqualTo(1);
            assertThat(drawn.path("pathPoints").asInt()).as(chart + " path points").isEqualTo(drawn.path("points").asInt());
            assertThat(drawn.path("empty").isNull()).as(chart + " not empty").isTrue();
        }
        assertThat(page.path("charts").path("firstByte").path("secondaryPoints").asInt()).as("the p99 line")
            .isEqualTo(page.path("charts").path("firstByte").path("points").asInt());

        final List<String> hot = page.path("hotContent").findValuesAsText("key");
        assertThat(hot).contains("vod/" + videoId);
        assertThat(page.path("hotContent").get(hot.indexOf("vod/" + videoId)).path("width").asDouble()).isPositive();
        assertThat(page.path("liveEmpty").asText()).contains("no live stream");

        final Path screenshot = Path.of(report.path("screenshot").asText());
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).as("a real rendering, not a blank page").isGreaterThan(10_000);
    }

    /**
     * Fetch the title's playlists and segments through the edge, each round followed by a QoE beacon of a new player
     * session, until a history sample shows the requests and the experience endpoint a minute with beacons.
     */
    private static void playUntilTheHistoryHasTraffic() throws Exception
    {
        final String master = node.get("/vod/" + videoId + "/master.m3u8");
        final List<String> media = new ArrayList<>();
        for (final BrowserTestNode.Variant variant : BrowserTestNode.variantsOf(master))
        {
            final String playlistPath = "/vod/" + videoId + "/" + variant.uri();
            media.add(playlistPath);
            final String base = playlistPath.substring(0, playlistPath.lastIndexOf('/') + 1);
            for (final String line : node.get(playlistPath).split("\n"))
            {
                final String entry = line.strip();
                if (!entry.isEmpty() && !entry.startsWith("#"))
                {
                    media.add(base + entry);
                }
                else if (entry.startsWith("#EXT-X-MAP:URI=\""))
                {
                    media.add(base + entry.substring("#EXT-X-MAP:URI=\"".length(), entry.indexOf('"', 16)));
                }
            }
        }
        assertThat(media).as("playlists and segments of " + master).hasSizeGreaterThan(2);
        final long deadline = System.nanoTime() + TRAFFIC_TIMEOUT.toNanos();
        int beacons = 0;
        while (System.nanoTime() < deadline)
        {
            for (final String path : media)
            {
                node.get(path);
            }
            sendBeacon(beacons++);
            final JsonNode samples = control("/api/v1/dashboard/traffic").path("samples");
            final JsonNode experience = control("/api/v1/dashboard/experience?content=vod/" + videoId).path("samples");
            if (samples.size() >= 2 && samples.get(samples.size() - 1).path("requests_per_second").asDouble() > 0 &&
                !experience.isEmpty() && experience.get(experience.size() - 1).path("qoe_beacons").asLong() > 0)
            {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the control plane's traffic history shows no requests after " + TRAFFIC_TIMEOUT +
            ": " + control("/api/v1/dashboard/traffic") + "\n" + node.process().output());
    }

    /** One beacon of the reference player's shape (docs/player.md): a new session that started, played and stalled once. */
    private static void sendBeacon(final int session) throws Exception
    {
        final String body = JSON.createObjectNode().put("v", 1).put("id", videoId).put("kind", "vod")
            .put("session", "da5b%08x".formatted(session)).put("seq", 0).put("startupMs", 420 + session % 7 * 30)
            .put("rebuffers", 1).put("rebufferMs", 300).put("switchesUp", 1).put("switchesDown", 0)
            .put("playedMs", 9_700).put("bitrateBps", 1_200_000).toString();
        // HTTP/1.1 as browsers send it: the JDK client's default h2c upgrade offer on a POST is refused by the edge
        final HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(node.edge() + "/player/qoe"))
            .version(HttpClient.Version.HTTP_1_1).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("POST /player/qoe: " + answer.body()).isEqualTo(204);
    }

    private static JsonNode control(final String path) throws Exception
    {
        final HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(node.control() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("GET " + path + ": " + answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("data");
    }

    private static JsonNode runDashboard() throws Exception
    {
        final Path target = BifrostProcess.repositoryRoot().resolve("system-tests").resolve("target");
        final Path reports = Files.createDirectories(target.resolve("browser-reports"));
        final Path screenshot = target.resolve("browser-screenshots").resolve("dashboard.png");
        Files.deleteIfExists(screenshot);
        final ObjectNode config = JSON.createObjectNode().put("url", node.control() + "/dashboard")
            .put("token", "dashboard-test-token-0123456789").put("minPoints", 2).put("hotContent", "vod/" + videoId)
            .put("experienceContent", "vod/" + videoId)
            .put("screenshot", screenshot.toString()).put("timeoutMs", BROWSER_TIMEOUT.toMillis())
            .put("chromium", BrowserHarness.CHROMIUM.toString());
        final Path configFile = reports.resolve("dashboard.config.json");
        final Path resultFile = reports.resolve("dashboard.json");
        final Path log = reports.resolve("dashboard.log");
        Files.deleteIfExists(resultFile);
        JSON.writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), config);
        final Process process = new ProcessBuilder("node", "dashboard.mjs", configFile.toString(), resultFile.toString())
            .directory(BifrostProcess.repositoryRoot().resolve("system-tests").resolve("browser").toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(BROWSER_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS))
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            throw new AssertionError("dashboard.mjs overran " + BROWSER_TIMEOUT + ":\n" +
                Files.readString(log, StandardCharsets.UTF_8));
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(resultFile))
        {
            throw new AssertionError("dashboard.mjs exited " + process.exitValue() + " without a report:\n" +
                Files.readString(log, StandardCharsets.UTF_8));
        }
        return JSON.readTree(resultFile.toFile());
    }
}
