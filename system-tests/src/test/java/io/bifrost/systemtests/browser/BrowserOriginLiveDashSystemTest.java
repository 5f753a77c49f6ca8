package io.bifrost.systemtests.browser;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dash.js plays low-latency DASH straight from the origin (its {@code manifest.mpd} on the origin's port, no edge),
 * the way a player behind a third-party CDN would: one {@code bifrost all} process, one ffmpeg RTMP publisher, dash.js
 * in Debian's headless Chromium. The origin answers a {@code GET} for the segment being written at once and streams it
 * part by part (docs/live.md, "Low-latency DASH at the origin"); dash.js turns its low-latency mode on from the MPD
 * ({@code availabilityTimeComplete="false"}) and asks for that segment as soon as {@code availabilityTimeOffset} lets
 * it, so it can play less than one segment behind the live edge.
 *
 * <p>No {@code streaming.delay.liveDelay} is set (dash.js 5.2 has no {@code lowLatencyEnabled} setting any more): its
 * target is then the MPD's {@code ServiceDescription} (3 parts + 0.5 s, 1.5 s with 333 ms parts), which is what a
 * viewer gets. Asserted: playback, low-latency mode, the origin's {@code bifrost.live.chunked{result="completed"}}
 * rising during the run (nothing else reads this stream: no edge, no other client), and the settled median of
 * {@code player.getCurrentLiveLatency()} below {@link #MAX_REPORTED_LATENCY_SECONDS}. Printed, not asserted: the
 * latency on the server's clock (browser and origin share this machine's clock), which is above dash.js's figure by
 * the error of dash.js's clock sync (it reads the MPD's {@code UTCTiming} some time after the answer arrived: 0.7-1.2 s
 * on an overloaded box), and how long each media segment answer took (a streamed one lasts until the segment ends).
 */
class BrowserOriginLiveDashSystemTest
{
    /** Seconds of live playback the run must advance, jumps excluded: 12, so the settled half is about 6 s. */
    private static final double ADVANCE_SECONDS = 12;
    /**
     * The segment duration (2 s, {@link BrowserTestNode}) plus 0.5 s. Measured (dash.js 5.2.1, Chromium 156, a 2-core
     * box under a load average of 20): dash.js settles at its 1.5 s target once it has caught up from the join; on the
     * overloaded box it joined 3-5 s behind and was still catching up at the end, settled medians 1.5-2.3 s. A player
     * that gets only complete segments holds at least a segment (2 s) plus the fetch.
     */
    private static final double MAX_REPORTED_LATENCY_SECONDS = 2.5;
    private static final Pattern AVAILABILITY_START = Pattern.compile("availabilityStartTime=\"([^\"]+)\"");

    private static final Pattern CHUNKED_COMPLETED =
        Pattern.compile("(?m)^bifrost_live_chunked_total\\{[^}]*result=\"completed\"[^}]*} (\\S+)$");

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void dashJsShouldPlayTheOriginsLiveDashLessThanASegmentBehindFromChunkedSegments() throws Exception
    {
        final BrowserHarness harness = BrowserHarness.locate();
        BrowserTestNode.assumeCanPlay(harness);
        try (BrowserTestNode node = BrowserTestNode.start(temp.resolve("data")))
        {
            final BrowserTestNode.LiveStream stream = node.createStream("Browser origin live DASH");
            final Process publisher = node.startPublisher(stream, 180);
            try
            {
                final String live = node.origin() + "/live/" + stream.id() + "/";
                final List<String> codecs = BrowserTestNode.codecsOf(awaitOrigin(node, live + "master.m3u8",
                    "#EXT-X-STREAM-INF"));
                final String mpd = awaitOrigin(node, live + "manifest.mpd", "<S ");
                assertThat(mpd).contains("type=\"dynamic\"", "availabilityTimeComplete=\"false\"",
                    "availabilityTimeOffset=\"", "<ServiceDescription", "<ProducerReferenceTime", "<UTCTiming");
                final double completedBefore = chunkedCompleted(node);

                final Matcher ast = AVAILABILITY_START.matcher(mpd);
                assertThat(ast.find()).isTrue();
                final long availabilityStartMs = Instant.parse(ast.group(1)).toEpochMilli();

                final PlaybackReport report = harness.play(PlaybackRequest.live("dashjs-origin-live",
                    live + "manifest.mpd", PlaybackRequest.DASH_JS, codecs, ADVANCE_SECONDS));

                final List<double[]> latency = playingLatency(report, availabilityStartMs);
                final double reported = settledMedian(latency, 0);
                final double wallClock = settledMedian(latency, 1);
                System.out.println("[browser] origin LL-DASH: " + report.summary() + "; " +
                    BrowserLiveDashSystemTest.liveSummary(report) + "; target " +
                    report.json().path("final").path("latency").path("target") + " s; latency while playing, " +
                    "settled (second half) median: player.getCurrentLiveLatency() " + String.format("%.3f", reported) +
                    " s, wall clock " + String.format("%.3f", wallClock) + " s; samples [reported, wall clock]: " +
                    latency.stream().map(pair -> String.format("[%.2f, %.2f]", pair[0], pair[1])).toList() +
                    "; media segment answers (ms, request to last byte): " + segmentAnswerMs(report));
                awaitChunkedCompletedAbove(node, completedBefore, Duration.ofSeconds(10));
                assertThat(report.failure()).as(report.summary()).isNull();
                assertThat(report.fatalErrors()).as(report.summary()).isEmpty();
                assertThat(BrowserLiveDashSystemTest.livePlayedSeconds(report)).as("live playback advanced, jumps " +
                    "excluded; " + BrowserLiveDashSystemTest.liveSummary(report) + "; " + report.summary())
                    .isGreaterThanOrEqualTo(ADVANCE_SECONDS);
                assertThat(report.advancingSamples()).as("kept advancing; " + report.summary())
                    .isGreaterThanOrEqualTo(3);
                assertThat(lowLatencyMode(report)).as("dash.js in low-latency mode; " + report.summary()).isTrue();
                assertThat(latency).as("player.getCurrentLiveLatency() while playing; " + report.summary())
                    .hasSizeGreaterThanOrEqualTo(4);
                assertThat(reported).as("settled median of player.getCurrentLiveLatency(), seconds")
                    .isLessThan(MAX_REPORTED_LATENCY_SECONDS);
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

    /** Poll an origin URL until it answers 200 with a body that contains {@code marker}; the body. */
    private String awaitOrigin(final BrowserTestNode node, final String url, final String marker) throws Exception
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline)
        {
            last = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() == 200 && last.body().contains(marker))
            {
                return last.body();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the origin did not serve " + url + " with " + marker + "; last answer " +
            (last == null ? "none" : last.statusCode() + " " + last.body()) + "\n" + node.process().output());
    }

    /** @return {@code bifrost_live_chunked_total{result="completed"}} on the origin's {@code /metrics}. */
    private double chunkedCompleted(final BrowserTestNode node) throws Exception
    {
        final HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(node.origin() + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        final Matcher matcher = CHUNKED_COMPLETED.matcher(metrics.body());
        assertThat(matcher.find()).as("bifrost_live_chunked_total{result=\"completed\"} on the origin").isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    /**
     * Wait until the origin counted more completed chunked answers than before the playback. The counter is
     * incremented when a streamed segment's terminating chunk is written, so dash.js's last streamed segment may
     * still be in flight when playback stops; the wait is for the count the assertion reads.
     */
    private void awaitChunkedCompletedAbove(final BrowserTestNode node, final double before, final Duration timeout)
        throws Exception
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        double completed = chunkedCompleted(node);
        while (completed <= before && System.nanoTime() < deadline)
        {
            Thread.sleep(250);
            completed = chunkedCompleted(node);
        }
        System.out.println("[browser] origin bifrost_live_chunked_total{result=\"completed\"}: " + before +
            " before dash.js, " + completed + " after");
        assertThat(completed).as("chunked answers the origin completed during the playback").isGreaterThan(before);
    }

    /**
     * @return per sample taken once playback joined the stream: {@code [player.getCurrentLiveLatency(), the latency on
     * the wall clock]}, seconds. The wall-clock one is the sample's time less {@code availabilityStartTime} less
     * {@code currentTime} (media time 0 is the availability start; the browser and the origin share this machine's
     * clock); it includes the driver's sampling delay, so it can only read high.
     */
    private static List<double[]> playingLatency(final PlaybackReport report, final long availabilityStartMs)
    {
        final long joinedAtMs = report.json().path("live").path("joinedAtMs").asLong(Long.MAX_VALUE);
        final long epochMs = report.json().path("epochMs").asLong();
        final List<double[]> latency = new ArrayList<>();
        for (final JsonNode sample : report.json().path("samples"))
        {
            final JsonNode value = sample.path("latency").path("latency");
            final long atMs = sample.path("atMs").asLong();
            if (atMs >= joinedAtMs && value.isNumber() && value.asDouble() > 0)
            {
                latency.add(new double[] {value.asDouble(), (epochMs + atMs - availabilityStartMs) / 1000.0 -
                    sample.path("currentTime").asDouble()});
            }
        }
        return latency;
    }

    /**
     * @return the median of one column over the second half of the samples: dash.js joins a few seconds behind and
     * catches up at up to 1.5x, so the second half is the latency it holds.
     */
    private static double settledMedian(final List<double[]> latency, final int column)
    {
        final List<Double> settled = latency.subList(latency.size() / 2, latency.size()).stream()
            .map(pair -> pair[column]).sorted().toList();
        return settled.isEmpty() ? Double.NaN : settled.get(settled.size() / 2);
    }

    private static boolean lowLatencyMode(final PlaybackReport report)
    {
        for (final JsonNode sample : report.json().path("samples"))
        {
            if (sample.path("latency").path("lowLatency").asBoolean(false))
            {
                return true;
            }
        }
        return false;
    }

    /** @return how long each media segment answer took, request to last byte (a streamed one lasts about a segment). */
    private static List<Long> segmentAnswerMs(final PlaybackReport report)
    {
        final List<Long> ms = new ArrayList<>();
        for (final JsonNode request : report.json().path("requests"))
        {
            if (request.path("path").asText().endsWith(".m4s"))
            {
                ms.add(request.path("ms").asLong());
            }
        }
        return ms;
    }
}
