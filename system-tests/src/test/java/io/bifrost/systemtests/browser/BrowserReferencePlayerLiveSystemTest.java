package io.bifrost.systemtests.browser;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.bifrost.systemtests.browser.BrowserReferencePlayerSystemTest.DOWN_REASONS;
import static io.bifrost.systemtests.browser.BrowserReferencePlayerSystemTest.REFERENCE_PLAYER;
import static io.bifrost.systemtests.browser.BrowserReferencePlayerSystemTest.decisions;
import static io.bifrost.systemtests.browser.BrowserReferencePlayerSystemTest.switchSummary;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edge's own reference player ({@code /player/live/{id}}: hls.js in low-latency mode with the seed ABR) plays a
 * live LL-HLS stream in Debian's headless Chromium, opened as a viewer opens it (play.mjs's {@code "bifrost"} mode):
 * ffmpeg publishes RTMP to one real {@code bifrost all} process, the origin transcodes a 240p + 360p ladder and the
 * edge serves 0.33 s parts, in 2 s segments (the default) and in 1 s segments ({@code origin.live-segment-seconds=1},
 * where hls.js, which keeps a segment's parts at the level it began the segment with, can switch every second). The
 * player must join, climb to the top rung (the live page scales the seed's buffer thresholds to hls.js's latency
 * target), request a lower rung once Chromium's network is throttled through CDP to 1.25x the lowest rung's
 * BANDWIDTH (well below the top rung, so the top rung's parts arrive slower than real time and the seed's part rule
 * fires at once), keep playing with no fatal error, and leave a screenshot. The times (startup, latency, throttle ->
 * decision -> lower-rung request -> lower rung shown) are printed, not asserted: the machine is shared.
 */
class BrowserReferencePlayerLiveSystemTest
{
    /** The throttle over the lowest rung's BANDWIDTH: above the seed's 1.2 margin for it, well below the top rung. */
    private static final double THROTTLE_OVER_LOWEST = 1.25;

    @TempDir
    Path temp;

    @Test
    void shouldPlayLiveLowLatencyClimbAndSwitchDownWhenThrottled() throws Exception
    {
        playClimbAndSwitchDown("2 s segments");
    }

    @Test
    void shouldSwitchDownWhenThrottledWithOneSecondLiveSegments() throws Exception
    {
        playClimbAndSwitchDown("1 s segments", "--origin.live-segment-seconds", "1");
    }

    private void playClimbAndSwitchDown(final String label, final String... nodeArgs) throws Exception
    {
        final BrowserHarness harness = BrowserHarness.locate();
        harness.assumeReady();
        BrowserTestNode.assumeFfmpeg();
        // Only this process's edge reports to its control plane (over IPC): no fixed UDP port shared with other nodes.
        // The publisher's key check gets 15 s: a fresh JVM's first check timed out at the default on a loaded machine.
        final String[] args = Stream.concat(Stream.of("--control.edge-endpoint", "none",
            "--ingest.control-timeout-ms", "15000"), Stream.of(nodeArgs)).toArray(String[]::new);
        try (BrowserTestNode node = BrowserTestNode.start(temp.resolve("data"), args))
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
                    .withThrottle(new PlaybackRequest.Throttle(1, (int)(lowest * THROTTLE_OVER_LOWEST / 1000), 20))
                    .withTimeout(Duration.ofSeconds(120)));
                final JsonNode throttle = report.throttle();
                System.out.println("[browser] " + report.summary() + "; " +
                    BrowserLiveDashSystemTest.liveSummary(report) + "; reference player on LL-HLS, " + label +
                    ": startup " + report.startupMs() + " ms (page " + report.json().path("pageStartupMs") +
                    " ms from navigation), latency " + latencySummary(report.latencySamples()) + ", throttle " +
                    throttle.path("kbps") + " kbit/s, " + switchSummary(throttle) + "; decisions " + decisions(report));
        System.out.println("[browser] reference player " + label + " " + report.startupTimeline());

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
                BrowserReferencePlayerSystemTest.assertStartup(report);
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

    /** Min, median, max and last of hls.latency while playing, in seconds. */
    static String latencySummary(final List<Double> samples)
    {
        if (samples.isEmpty())
        {
            return "none";
        }
        final List<Double> sorted = samples.stream().sorted().toList();
        return "min " + sorted.getFirst() + " s, median " + sorted.get(sorted.size() / 2) + " s, max " +
            sorted.getLast() + " s, last " + samples.getLast() + " s";
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
