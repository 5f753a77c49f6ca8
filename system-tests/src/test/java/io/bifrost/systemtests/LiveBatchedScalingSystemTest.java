package io.bifrost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code origin.live-scaling batched} through one real {@code bifrost all}: ffmpeg publishes RTMP, the origin's live
 * transcoder decodes to raw frames, the origin-wide batcher scales them (on this machine with the kernel's CPU
 * reference), one libx264 per rung encodes, and the edge serves every rung at its size; the process reports the mode
 * and the backend it chose in {@code /metrics}, and stops cleanly.
 */
class LiveBatchedScalingSystemTest
{
    private static final Pattern OPS_LISTENING = Pattern.compile("ops endpoint listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern EDGE_STARTED = Pattern.compile("role edge started");
    private static final Pattern STREAM_INF = Pattern.compile("#EXT-X-STREAM-INF:[^\\n]*RESOLUTION=(\\d+)x(\\d+)[^\\n]*\\n" +
        "([^\\n]+)");

    @TempDir
    Path dataDir;

    @Test
    void shouldServeEveryRungOfABatchedLiveLadderAndReportTheScaling() throws Exception
    {
        ExternalTools.requireFfmpeg();
        final int controlPort = ExternalTools.freePort();
        final int rtmpPort = ExternalTools.freePort();
        final int edgePort = ExternalTools.freePort();
        try (BifrostProcess bifrost = LiveAllInOne.start(dataDir, controlPort, rtmpPort, edgePort,
            "--origin.live-scaling", "batched", "--origin.live-x264-preset", "ultrafast");
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build())
        {
            final String ops = "http://127.0.0.1:" + bifrost.awaitLine(OPS_LISTENING, Duration.ofSeconds(90)).group(1);
            bifrost.awaitLine(EDGE_STARTED, Duration.ofSeconds(90));
            final JsonNode stream = LiveHttp.createStream(http, "http://127.0.0.1:" + controlPort, "Batched live");
            final String edge = "http://127.0.0.1:" + edgePort + "/live/" + stream.get("stream_id").asText() + "/";

            final Process publisher = publish(rtmpPort, stream.get("stream_key").asText(), Duration.ofSeconds(60));
            try
            {
                final String master = LiveHttp.awaitOk(http, edge + "master.m3u8", Duration.ofSeconds(30)).body();
                final List<String[]> rungs = new ArrayList<>();
                final Matcher matcher = STREAM_INF.matcher(master);
                while (matcher.find())
                {
                    rungs.add(new String[]{ matcher.group(1), matcher.group(2), matcher.group(3).strip() });
                }
                assertThat(rungs).as(master).extracting(rung -> rung[1]).containsExactlyInAnyOrder("240", "360");
                for (final String[] rung : rungs)
                {
                    awaitSegments(http, edge + rung[2], 3); // ffmpeg's HLS reader plays whole segments, not parts
                    final ExternalTools.Result decoded = ExternalTools.run(Duration.ofSeconds(60), List.of(
                        ExternalTools.FFMPEG.toString(), "-hide_banner", "-v", "info", "-live_start_index", "-3",
                        "-i", edge + rung[2], "-t", "2", "-f", "null", "-"));
                    assertThat(decoded.output()).as(rung[2]).containsPattern(
                        "Stream #0:0[^\\n]*Video: h264[^\\n]*, " + rung[0] + "x" + rung[1]);
                    assertThat(decoded.exitCode()).as(rung[2] + ": " + decoded.output()).isZero();
                }
            }
            finally
            {
                publisher.destroy();
                publisher.waitFor();
            }

            final String metrics = http.send(HttpRequest.newBuilder(URI.create(ops + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("bifrost_live_scaling{mode=\"batched\",scaler=\"cpu\"} 1.0")
                .containsPattern("bifrost_transcode_backend\\{backend=\"cpu\",cuda=\"none\",nvenc=\"false\"} 1\\.0")
                .containsPattern("bifrost_live_scale_frames_per_launch_count [1-9]")
                .containsPattern("bifrost_live_scale_dropped_total 0\\.0");
            assertThat(bifrost.terminate(Duration.ofSeconds(30))).isEqualTo(143);
        }
    }

    private static void awaitSegments(final HttpClient http, final String playlist, final int segments)
        throws Exception
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        String last = "";
        while (System.nanoTime() < deadline)
        {
            last = LiveHttp.awaitOk(http, playlist, Duration.ofSeconds(30)).body();
            if (last.split("#EXTINF:", -1).length - 1 >= segments)
            {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(playlist + " never listed " + segments + " segments; last:\n" + last);
    }

    private static Process publish(final int rtmpPort, final String key, final Duration length) throws IOException
    {
        return new ProcessBuilder(ExternalTools.FFMPEG.toString(), "-v", "error", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", Long.toString(length.toSeconds()), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
            "-g", "30", "-c:a", "aac", "-f", "flv", "rtmp://127.0.0.1:" + rtmpPort + "/live/" + key)
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
