package io.bifrost.systemtests.browser;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.bifrost.systemtests.browser.BrowserReferencePlayerSystemTest.DOWN_REASONS;
import static io.bifrost.systemtests.browser.BrowserReferencePlayerSystemTest.REFERENCE_PLAYER;
import static io.bifrost.systemtests.browser.BrowserReferencePlayerSystemTest.decisions;
import static io.bifrost.systemtests.browser.BrowserReferencePlayerSystemTest.switchSummary;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edge's own reference player ({@code /player/live/{id}}: hls.js in low-latency mode with the seed ABR) plays a
 * live LL-HLS stream in Debian's headless Chromium, opened as a viewer opens it (play.mjs's {@code "bifrost"} mode):
 * ffmpeg publishes RTMP to one real {@code bifrost all} process, the origin transcodes a 240p + 360p ladder and the
 * edge serves 0.33 s parts. The player must join, climb to the top rung (the live page scales the seed's buffer
 * thresholds to hls.js's latency target), request a lower rung once Chromium's network is throttled through CDP to
 * about 1.6x the lowest rung (the seed's part rule or its in-flight rule decides; the times are printed, not
 * asserted: the machine is shared), keep playing with no fatal error, and leave a screenshot.
 */
class BrowserReferencePlayerLiveSystemTest
{
    @TempDir
    Path temp;

    @Test
    void shouldPlayLiveLowLatencyClimbAndSwitchDownWhenThrottled() throws Exception
    {
        final BrowserHarness harness = BrowserHarness.locate();
        harness.assumeReady();
        BrowserTestNode.assumeFfmpeg();
        try (BrowserTestNode node = BrowserTestNode.start(temp.resolve("data")))
        {
            final BrowserTestNode.LiveStream stream = node.createStream("Reference player live");
            final Process publisher = node.startPublisher(stream, 150);
            try
            {
                final String master = awaitLadder(node, "/live/" + stream.id() + "/master.m3u8",
                    Duration.ofSeconds(60));
                final List<BrowserTestNode.Variant> ladder = BrowserTestNode.variantsOf(master);
                assertThat(ladder).as("a live ladder to switch in: " + master).hasSizeGreaterThanOrEqualTo(2);
                final long lowest = ladder.stream().mapToLong(BrowserTestNode.Variant::bandwidth).min()
                    .orElseThrow();
                final String page = node.edge() + "/player/live/" + stream.id();
                final PlaybackReport report = harness.play(PlaybackRequest.live("bifrost-live", page, REFERENCE_PLAYER,
                    BrowserTestNode.codecsOf(master), 6)
                    .withThrottle(new PlaybackRequest.Throttle(1, (int)(lowest * 1.6 / 1000), 20))
                    .withTimeout(Duration.ofSeconds(75)));
                final JsonNode throttle = report.throttle();
                System.out.println("[browser] " + report.summary() + "; " +
                    BrowserLiveDashSystemTest.liveSummary(report) + "; reference player on LL-HLS: startup " +
                    report.startupMs() + " ms, " + switchSummary(throttle) + "; latency " + report.latencySamples() +
                    "; decisions " + decisions(report));

                assertThat(report.failure()).as(report.summary()).isNull();
                assertThat(report.fatalErrors()).as(report.summary()).isEmpty();
                assertThat(BrowserLiveDashSystemTest.livePlayedSeconds(report)).as("live playback advanced; " +
                    BrowserLiveDashSystemTest.liveSummary(report) + "; " + report.summary()).isGreaterThanOrEqualTo(6);
                final int top = ladder.stream().mapToInt(BrowserTestNode.Variant::height).max().orElseThrow();
                assertThat(throttle.path("fromHeight").asInt())
                    .as("the seed ABR climbed to the top rung on LL-HLS; " + report.summary()).isEqualTo(top);
                assertThat(throttle.path("toHeight").asInt()).as("a lower rung requested once throttled; " +
                    report.summary()).isLessThan(top).isPositive();
                assertThat(decisions(report)).as("the seed ABR decided to go down; " + report.summary())
                    .anyMatch(reason -> DOWN_REASONS.contains(reason.split(" ")[0]));
                assertThat(report.screenshot()).as("screenshot").isNotNull();
                assertThat(Files.size(report.screenshot())).as("screenshot " + report.screenshot())
                    .isGreaterThan(1000);
            }
            finally
            {
                publisher.destroy();
            }
            assertThat(node.terminate()).isEqualTo(143);
        }
    }

    /**
     * The live master once it lists at least two video rungs: the packager publishes it again as each rendition's
     * header arrives, so the first master an edge serves may list only the rung whose header came first (a loaded
     * machine showed one with 240p alone).
     */
    private static String awaitLadder(final BrowserTestNode node, final String path, final Duration timeout)
        throws Exception
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String master = node.awaitLive(path, timeout);
        while (BrowserTestNode.variantsOf(master).size() < 2 && System.nanoTime() < deadline)
        {
            Thread.sleep(250);
            master = node.awaitLive(path, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        return master;
    }
}
