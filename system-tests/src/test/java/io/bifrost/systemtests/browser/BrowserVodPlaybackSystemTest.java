package io.bifrost.systemtests.browser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real players play a Bifrost VOD title through the edge in Debian's headless Chromium: hls.js the HLS master,
 * dash.js the DASH MPD, Shaka Player both. One {@code bifrost all} process publishes one 720p 16 s title with English
 * subtitles (a 4-rung ladder, 2 s segments); every player then must start on the top rung, play, switch to a lower rung
 * than the one it was on once Chromium's network is throttled through CDP (Network.emulateNetworkConditions) to about
 * 1.6x the lowest rung, keep playing after the throttle is lifted, load the subtitle cues, and raise no fatal error.
 * Each run leaves a screenshot under {@code system-tests/target/browser-screenshots/} and its JSON report under
 * {@code system-tests/target/browser-reports/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserVodPlaybackSystemTest
{
    private static final double CLIP_SECONDS = 16;
    private static final String SUBTITLES = """
        WEBVTT

        00:00:00.000 --> 00:00:04.000
        Bifrost subtitles one

        00:00:04.000 --> 00:00:08.000
        Bifrost subtitles two

        00:00:08.000 --> 00:00:16.000
        Bifrost subtitles three
        """;

    @TempDir
    static Path temp;

    private static final BrowserHarness HARNESS = BrowserHarness.locate();
    private static BrowserTestNode node;
    private static String videoId;
    private static List<String> codecs;
    private static List<BrowserTestNode.Variant> variants;

    @BeforeAll
    static void publishATitleWithSubtitles() throws Exception
    {
        if (!BrowserTestNode.canPlay(HARNESS))
        {
            return; // each test then skips with the reason (an assumption here would hide it in the surefire report)
        }
        node = BrowserTestNode.start(temp.resolve("data"));
        videoId = node.publishClip(temp, 1280, 720, CLIP_SECONDS, "Browser suite clip", Duration.ofMinutes(4));
        node.addSubtitles(videoId, "en", SUBTITLES);

        final BrowserTestNode.Master master = node.master(videoId);
        codecs = master.codecs();
        variants = master.variants();
        assertThat(variants).as("ladder of a 720p source: " + master.text()).hasSizeBetween(2, 5);
        assertThat(master.text()).contains("TYPE=SUBTITLES", "sub-en/index.m3u8");
        assertThat(node.get(dashUrl())).contains("mimeType=\"text/vtt\" lang=\"en\"");
    }

    @BeforeEach
    void skipWithTheReasonWhenToolsAreMissing()
    {
        BrowserTestNode.assumeCanPlay(HARNESS);
    }

    @AfterAll
    static void stop() throws Exception
    {
        if (node != null)
        {
            assertThat(node.terminate()).isEqualTo(143);
            node.close();
        }
    }

    @Test
    @Order(1)
    void shouldDecodeEveryCodecOfTheLadderInChromiumMse() throws Exception
    {
        final PlaybackReport report = HARNESS.play(PlaybackRequest.mseCheck("mse-support", codecs));

        final Map<String, Boolean> mse = report.mse();
        assertThat(mse).as("MediaSource.isTypeSupported asked for every codec of the master").containsOnlyKeys(codecs);
        assertThat(mse.entrySet().stream().filter(entry -> !entry.getValue()).map(Map.Entry::getKey).toList())
            .as("codecs Chromium " + report.chromiumVersion() + " cannot play through MSE (H.264/AAC must be " +
                "supported for the browser suite; otherwise the ladder needs VP9/AV1 + Opus renditions)")
            .isEmpty();
    }

    @Test
    @Order(2)
    void hlsJsShouldPlayHlsSwitchDownWhenThrottledAndShowSubtitles() throws Exception
    {
        assertAdaptivePlayback(HARNESS.play(throttled("hlsjs-hls", hlsUrl(), PlaybackRequest.HLS_JS)));
    }

    @Test
    @Order(3)
    void dashJsShouldPlayDashSwitchDownWhenThrottledAndShowSubtitles() throws Exception
    {
        assertAdaptivePlayback(HARNESS.play(throttled("dashjs-dash", dashUrl(), PlaybackRequest.DASH_JS)));
    }

    @Test
    @Order(4)
    void shakaShouldPlayDashSwitchDownWhenThrottledAndShowSubtitles() throws Exception
    {
        assertAdaptivePlayback(HARNESS.play(throttled("shaka-dash", dashUrl(), PlaybackRequest.SHAKA)));
    }

    @Test
    @Order(5)
    void shakaShouldPlayHlsSwitchDownWhenThrottledAndShowSubtitles() throws Exception
    {
        assertAdaptivePlayback(HARNESS.play(throttled("shaka-hls", hlsUrl(), PlaybackRequest.SHAKA)));
    }

    private static PlaybackRequest throttled(final String name, final String url, final String player)
    {
        final long lowest = variants.stream().mapToLong(BrowserTestNode.Variant::bandwidth).min().orElseThrow();
        return PlaybackRequest.vod(name, url, player, codecs).withSubtitles()
            .withThrottle(new PlaybackRequest.Throttle(1.5, (int)(lowest * 1.6 / 1000), 20))
            .withTimeout(Duration.ofSeconds(75));
    }

    private static void assertAdaptivePlayback(final PlaybackReport report) throws Exception
    {
        System.out.println("[browser] " + report.summary());
        assertThat(report.failure()).as(report.summary()).isNull();
        assertThat(report.fatalErrors()).as(report.summary()).isEmpty();
        assertThat(report.maxCurrentTime()).as("currentTime advanced; " + report.summary()).isGreaterThanOrEqualTo(6);
        assertThat(report.advancingSamples()).as("playback kept advancing; " + report.summary())
            .isGreaterThanOrEqualTo(3);
        assertThat(report.startupMs()).as("the video started").isPositive();

        final int top = variants.stream().mapToInt(BrowserTestNode.Variant::height).max().orElseThrow();
        final String topRendition = renditionOfHeight(top);
        assertThat(report.levelHeights()).as("the player saw every rung; " + report.summary())
            .containsExactlyElementsOf(variants.stream().map(BrowserTestNode.Variant::height).sorted().toList());
        assertThat(report.renditionsLoaded()).as("the top rung was fetched; " + report.summary())
            .contains(topRendition);

        assertThat(report.levelHistory()).as("started on the top rung; " + report.summary()).first().isEqualTo(top);
        final long throttledAt = report.throttle().path("startedAtMs").asLong(-1);
        final int from = report.throttle().path("fromHeight").asInt();
        assertThat(report.throttle().path("toHeight").asInt()).as("a lower rung once throttled; " + report.summary())
            .isLessThan(from).isPositive();
        final Set<String> lower = variants.stream().filter(variant -> variant.height() < from)
            .map(variant -> renditionOfHeight(variant.height())).collect(Collectors.toSet());
        assertThat(report.segmentRenditionsRequestedFrom(throttledAt))
            .as("segments of a lower rung fetched after the throttle began; " + report.summary())
            .containsAnyElementsOf(lower);

        assertThat(report.subtitleCues()).as("subtitle cues loaded; " + report.summary()).isGreaterThanOrEqualTo(3);
        assertThat(report.subtitleCueTexts()).as("subtitle text").contains("Bifrost subtitles one");
        assertThat(report.screenshot()).as("screenshot").isNotNull();
        assertThat(Files.size(report.screenshot())).as("screenshot " + report.screenshot()).isGreaterThan(1000);
    }

    private static String renditionOfHeight(final int height)
    {
        return variants.stream().filter(variant -> variant.height() == height)
            .min(Comparator.comparingLong(BrowserTestNode.Variant::bandwidth)).orElseThrow().uri().split("/")[0];
    }

    private static String hlsUrl()
    {
        return node.edge() + "/vod/" + videoId + "/master.m3u8";
    }

    private static String dashUrl()
    {
        return node.edge() + "/vod/" + videoId + "/manifest.mpd";
    }
}
