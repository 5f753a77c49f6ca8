package io.bifrost.systemtests.browser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * hls.js in low-latency mode plays a live LL-HLS stream from the edge in Debian's headless Chromium: ffmpeg publishes
 * RTMP to one real {@code bifrost all} process, the origin packages the ladder, the edge serves it, and the player must
 * join, advance 8 s of live playback without a fatal error and report {@code hls.latency} (printed, not asserted as a
 * timing: the machine is shared).
 */
class BrowserLiveLatencySystemTest
{
    @TempDir
    Path temp;

    @Test
    void hlsJsShouldPlayALiveLowLatencyStreamFromTheEdgeAndReportItsLatency() throws Exception
    {
        final BrowserHarness harness = BrowserHarness.locate();
        harness.assumeReady();
        BrowserTestNode.assumeFfmpeg();
        try (BrowserTestNode node = BrowserTestNode.start(temp.resolve("data")))
        {
            final BrowserTestNode.LiveStream stream = node.createStream("Browser live");
            final Process publisher = node.startPublisher(stream, 180);
            try
            {
                final String masterPath = "/live/" + stream.id() + "/master.m3u8";
                final String master = node.awaitLive(masterPath, Duration.ofSeconds(60));
                final List<String> codecs = BrowserTestNode.codecsOf(master);

                final PlaybackReport report = harness.play(PlaybackRequest.live("hlsjs-live", node.edge() + masterPath,
                    PlaybackRequest.HLS_JS, codecs, 8));

                final List<Double> latency = report.latencySamples().stream().sorted().toList();
                System.out.println("[browser] " + report.summary() + "; hls.latency while playing: " +
                    (latency.isEmpty() ? "none" : "min " + latency.getFirst() + " s, median " +
                    latency.get(latency.size() / 2) + " s, max " + latency.getLast() + " s, last " +
                    report.latencySamples().getLast() + " s"));
                assertThat(report.failure()).as(report.summary()).isNull();
                assertThat(report.fatalErrors()).as(report.summary()).isEmpty();
                assertThat(BrowserLiveDashSystemTest.livePlayedSeconds(report)).as("live playback advanced, jumps " +
                    "excluded; " + BrowserLiveDashSystemTest.liveSummary(report) + "; " + report.summary())
                    .isGreaterThanOrEqualTo(8);
                assertThat(report.advancingSamples()).as("kept advancing; " + report.summary())
                    .isGreaterThanOrEqualTo(3);
                assertThat(latency).as("hls.latency reported while playing; " + report.summary()).isNotEmpty()
                    .allMatch(seconds -> seconds > 0);
                assertThat(report.screenshot()).isNotNull();
                assertThat(Files.size(report.screenshot())).isGreaterThan(1000);
            }
            finally
            {
                publisher.destroy();
            }
            assertThat(node.terminate()).isEqualTo(143);
        }
    }
}
