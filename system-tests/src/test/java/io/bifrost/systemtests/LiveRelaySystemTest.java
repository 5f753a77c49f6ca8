package io.bifrost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingest and origin as two {@code bifrost} processes, as on two hosts: the publisher sends RTMP to a standalone
 * {@code bifrost ingest}, which relays the stream to the origin of a {@code bifrost all} over its relay port
 * ({@code ingest.origin-url}, {@code origin.relay-secret}); viewers play it from that process's edge. The program
 * date time is the capture at the ingest, so it lies between the publisher's start and the moment it is read.
 */
class LiveRelaySystemTest
{
    private static final Pattern STARTED = Pattern.compile("role (edge|ingest) started");
    private static final Pattern STREAM_INF = Pattern.compile("(?m)^#EXT-X-STREAM-INF:.*\\R([^#\\s][^\\r\\n]*)");
    private static final Pattern PART = Pattern.compile("#EXT-X-PART:DURATION=[0-9.]+,URI=\"([^\"]+)\"");
    private static final Pattern PDT = Pattern.compile("#EXT-X-PROGRAM-DATE-TIME:(\\S+)");
    private static final String SECRET = "relay-secret-for-the-system-test";

    @TempDir
    Path dataDir;

    @Test
    void shouldPlayAStreamPublishedToAnIngestInAnotherProcessFromTheOriginsEdge() throws Exception
    {
        ExternalTools.requireFfmpeg();
        final int controlPort = ExternalTools.freePort();
        final int relayPort = ExternalTools.freePort();
        final int edgePort = ExternalTools.freePort();
        final int remoteRtmpPort = ExternalTools.freePort();
        final String control = "http://127.0.0.1:" + controlPort;
        try (BifrostProcess origin = BifrostProcess.start("all", "--ops-port", "0", "--bind", "127.0.0.1",
            "--data-dir", dataDir.resolve("origin-host").toString(), "--control.port", Integer.toString(controlPort),
            "--ingest.control-url", control, "--ingest.rtmp-port", Integer.toString(ExternalTools.freePort()),
            "--ingest.srt-enabled", "false", "--origin.port", Integer.toString(ExternalTools.freePort()),
            "--origin.relay-port", Integer.toString(relayPort), "--origin.relay-secret", SECRET,
            "--edge.port", Integer.toString(edgePort), "--edge.ram-bytes", "64m", "--edge.ssd-bytes", "0",
            "--origin.live-mode", "passthrough");
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build())
        {
            origin.awaitLine(Pattern.compile("role edge started"), Duration.ofSeconds(90));
            try (BifrostProcess ingest = BifrostProcess.start("ingest", "--ops-port", "0", "--bind", "127.0.0.1",
                "--data-dir", dataDir.resolve("ingest-host").toString(), "--ingest.control-url", control,
                "--ingest.rtmp-port", Integer.toString(remoteRtmpPort), "--ingest.srt-enabled", "false",
                "--ingest.origin-url", "http://127.0.0.1:" + relayPort, "--ingest.relay-secret", SECRET))
            {
                ingest.awaitLine(STARTED, Duration.ofSeconds(60));
                final JsonNode stream = LiveHttp.createStream(http, control, "Relayed");
                final String edge = "http://127.0.0.1:" + edgePort + "/live/" + stream.get("stream_id").asText() + "/";

                final Instant publishStart = Instant.now();
                final Process publisher = publish(remoteRtmpPort, stream.get("stream_key").asText());
                try
                {
                    final String master = LiveHttp.awaitOk(http, edge + "master.m3u8", Duration.ofSeconds(30),
                        () -> "\n--- ingest ---\n" + ingest.output() + "\n--- origin ---\n" + origin.output()).body();
                    final Matcher variant = STREAM_INF.matcher(master);
                    assertThat(variant.find()).as(master).isTrue();
                    final String media = edge + variant.group(1).strip();
                    final String base = media.substring(0, media.lastIndexOf('/') + 1);

                    final String playlist = awaitPlaylistWithParts(http, media);
                    final Matcher pdt = PDT.matcher(playlist);
                    assertThat(pdt.find()).as(playlist).isTrue();
                    final Instant firstPdt = Instant.parse(pdt.group(1));
                    assertThat(firstPdt).as("PDT is the capture at the ingest")
                        .isAfterOrEqualTo(publishStart.minusMillis(50)).isBeforeOrEqualTo(Instant.now());
                    final Matcher part = PART.matcher(playlist);
                    assertThat(part.find()).as(playlist).isTrue();
                    final HttpResponse<byte[]> body = http.send(HttpRequest.newBuilder(URI.create(base +
                        part.group(1))).build(), HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(body.statusCode()).isEqualTo(200);
                    assertThat(body.body()).isNotEmpty();

                    final ExternalTools.Result decoded = ExternalTools.run(Duration.ofSeconds(60), List.of(
                        ExternalTools.FFMPEG.toString(), "-v", "error", "-live_start_index", "-3", "-i", media,
                        "-t", "2", "-f", "null", "-"));
                    assertThat(decoded.exitCode()).as(decoded.output()).isZero();
                }
                finally
                {
                    publisher.destroy();
                    publisher.waitFor();
                }
                assertThat(ingest.terminate(Duration.ofSeconds(30))).isEqualTo(143);
            }
            assertThat(origin.terminate(Duration.ofSeconds(30))).isEqualTo(143);
        }
    }

    private static Process publish(final int rtmpPort, final String key) throws java.io.IOException
    {
        return new ProcessBuilder(ExternalTools.FFMPEG.toString(), "-v", "error", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "40", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-c:a", "aac",
            "-f", "flv", "rtmp://127.0.0.1:" + rtmpPort + "/live/" + key)
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String awaitPlaylistWithParts(final HttpClient http, final String url) throws Exception
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        String last = "";
        while (System.nanoTime() < deadline)
        {
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
            last = response.statusCode() + " " + response.body();
            // two complete segments, so ffmpeg's live start (three segments back) has media to decode
            if (response.statusCode() == 200 && PART.matcher(response.body()).find() &&
                PDT.matcher(response.body()).find() && response.body().split("#EXTINF:", -1).length > 2)
            {
                return response.body();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(url + " never listed a part; last " + last);
    }
}
