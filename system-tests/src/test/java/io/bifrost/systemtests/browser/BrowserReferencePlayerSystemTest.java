package io.bifrost.systemtests.browser;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edge's own reference player ({@code /player/{id}}: hls.js with the seed ABR, {@code seed-abr.js}) plays a
 * Bifrost VOD title in Debian's headless Chromium, opened as a viewer opens it (play.mjs's {@code "bifrost"} mode):
 * it must start, climb from the lowest rung to the top one on the loopback link, and, once Chromium's network is
 * throttled through CDP to about 1.6x the lowest rung while it loads the top rung, request a lower rung (the seed's
 * "switch down within 1 s": the time from the throttle to that request, and from the first request sent under the
 * throttle to it, are printed, not asserted: the machine is shared) and keep playing with no fatal error. The page
 * opens with {@code #buffer=14}: with its default 30 s forward buffer (the seed's) a short title is buffered whole at
 * the lowest rung before the seed's 5 s upgrade wait is over, leaving nothing to switch, and 14 s still clears the
 * seed's 10 s "healthy" level that gates any upgrade. Live LL-HLS: {@link BrowserReferencePlayerLiveSystemTest}. The
 * screenshot and JSON report land under {@code system-tests/target/}.
 */
class BrowserReferencePlayerSystemTest
{
    /** play.mjs's mode for the edge's reference player page. */
    static final String REFERENCE_PLAYER = "bifrost";
    private static final double CLIP_SECONDS = 40;
    /** The seed ABR's decisions that move down (seed-abr.js reasons). */
    static final Set<String> DOWN_REASONS = Set.of("down", "critical", "falling-abort", "starving-abort",
        "critical-abort", "part-falling");

    @TempDir
    static Path temp;

    private static final BrowserHarness HARNESS = BrowserHarness.locate();
    private static BrowserTestNode node;
    private static String videoId;
    private static List<String> codecs;
    private static List<BrowserTestNode.Variant> variants;

    @BeforeAll
    static void publishATitle() throws Exception
    {
        if (!BrowserTestNode.canPlay(HARNESS))
        {
            return; // the test then skips with the reason
        }
        node = BrowserTestNode.start(temp.resolve("data"));
        videoId = node.publishClip(temp, 854, 480, CLIP_SECONDS, "Reference player clip", Duration.ofMinutes(3));
        final BrowserTestNode.Master master = node.master(videoId);
        codecs = master.codecs();
        variants = master.variants();
        assertThat(variants).as("ladder of a 480p source: " + master.text()).hasSizeBetween(2, 4);
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
    void shouldPlayVodClimbAndSwitchDownWhenThrottled() throws Exception
    {
        final long lowest = variants.stream().mapToLong(BrowserTestNode.Variant::bandwidth).min().orElseThrow();
        final String page = node.edge() + "/player/" + videoId + "#buffer=14";
        final PlaybackReport report = HARNESS.play(PlaybackRequest.vod("bifrost-vod", page, REFERENCE_PLAYER, codecs)
            .withThrottle(new PlaybackRequest.Throttle(1.5, (int)(lowest * 1.6 / 1000), 20))
            .withTimeout(Duration.ofSeconds(75)));
        final JsonNode throttle = report.throttle();
        System.out.println("[browser] " + report.summary() + "; reference player: startup " + report.startupMs() +
            " ms (page " + report.json().path("pageStartupMs") + " ms from navigation), " + switchSummary(throttle) +
            "; decisions " + decisions(report));
        System.out.println("[browser] reference player VOD " + report.startupTimeline());

        assertThat(report.failure()).as(report.summary()).isNull();
        assertThat(report.fatalErrors()).as(report.summary()).isEmpty();
        assertThat(report.maxCurrentTime()).as("currentTime advanced; " + report.summary()).isGreaterThanOrEqualTo(6);
        assertThat(report.advancingSamples()).as("playback kept advancing; " + report.summary())
            .isGreaterThanOrEqualTo(3);
        assertThat(report.startupMs()).as("the video started").isPositive();
        assertThat(report.playerVersion()).as("the page's hls.js").isNotBlank();

        final int top = variants.stream().mapToInt(BrowserTestNode.Variant::height).max().orElseThrow();
        assertThat(throttle.path("fromHeight").asInt())
            .as("the seed ABR climbed to the top rung before the throttle; " + report.summary()).isEqualTo(top);
        final long throttledAt = throttle.path("startedAtMs").asLong(-1);
        assertThat(throttle.path("toHeight").asInt()).as("a lower rung requested once throttled; " + report.summary())
            .isLessThan(top).isPositive();
        assertThat(throttle.path("switchMs").asLong(-1)).as("switch time measured").isNotNegative();
        final Set<String> lower = variants.stream().filter(variant -> variant.height() < top)
            .map(variant -> variant.uri().split("/")[0]).collect(Collectors.toSet());
        assertThat(report.segmentRenditionsRequestedFrom(throttledAt))
            .as("segments of a lower rung fetched after the throttle began; " + report.summary())
            .containsAnyElementsOf(lower);
        assertThat(decisions(report)).as("the seed ABR decided to go down; " + report.summary())
            .anyMatch(reason -> DOWN_REASONS.contains(reason.split(" ")[0]));
        assertThat(report.json().path("qoe").path("startupMs").asLong()).as("the page's own QoE startup")
            .isPositive();
        assertStartup(report);

        assertThat(report.screenshot()).as("screenshot").isNotNull();
        assertThat(Files.size(report.screenshot())).as("screenshot " + report.screenshot()).isGreaterThan(1000);
    }

    /**
     * How the page starts, from its startup timeline: it reaches the first frame, joins on an independent part or a
     * whole segment (a dependent part could not be decoded without its segment's earlier parts), and hls.js runs on
     * the page's thread: no transmuxer worker, which would compile a second copy of hls.js before the first fragment
     * could be appended (fMP4 passes through hls.js untransmuxed, so the worker bought nothing).
     */
    static void assertStartup(final PlaybackReport report)
    {
        final String timeline = report.startupTimeline();
        final List<PlaybackReport.StartupStep> steps = report.startupSteps();
        assertThat(steps).as("the startup timeline reaches the first frame; " + timeline)
            .anyMatch(step -> "playing".equals(step.name()));
        final PlaybackReport.StartupStep firstMedia = steps.stream()
            .filter(step -> "fragLoading".equals(step.name()) && "main".equals(step.detail().path("type").asText()) &&
                step.detail().path("sn").isNumber())
            .findFirst().orElseThrow(() -> new AssertionError("no media fragment loaded before playing; " + timeline));
        assertThat(firstMedia.detail().path("part").isNull() || firstMedia.detail().path("independent").asBoolean())
            .as("the first video load is a whole segment or an independent part: " + firstMedia).isTrue();
        assertThat(report.workers()).as("hls.js transmuxes on the page's thread; " + timeline).isEmpty();
    }

    /** The switch-down times play.mjs measured on the page's clock, for the log. */
    static String switchSummary(final JsonNode throttle)
    {
        return "switch down: lower-rung request " + throttle.path("switchMs") + " ms after the throttle (seed " +
            "decision " + throttle.path("decision") + " at " + throttle.path("decisionMs") + " ms), " +
            throttle.path("reactionMs") + " ms after the first request under it, lower rung played at " +
            throttle.path("playedSwitchMs") + " ms; segment requests under it (ms) " + throttle.path("requestsUnder");
    }

    /** The seed ABR's switching decisions as "reason -> level" (the page keeps the last 100). */
    static List<String> decisions(final PlaybackReport report)
    {
        final List<String> reasons = new ArrayList<>();
        report.json().path("abrDecisions").forEach(decision -> reasons.add(decision.path("reason").asText() + " -> " +
            decision.path("level").asInt()));
        return reasons;
    }
}
