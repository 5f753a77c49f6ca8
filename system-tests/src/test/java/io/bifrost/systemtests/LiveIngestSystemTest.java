package io.bifrost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live ingest through one real {@code bifrost all} process: an operator creates a stream on the control plane, ffmpeg
 * publishes RTMP with the key it was given, the ingest role checks the key with the control plane, records every
 * frame, and reports the stream live then offline; a wrong key and a revoked key are refused.
 */
class LiveIngestSystemTest
{
    private static final Pattern EDGE_STARTED = Pattern.compile("role edge started");
    private static final int FRAMES = 75;

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldPublishWithAKeyFromTheControlPlaneRecordEveryFrameAndRefuseRevokedKeys() throws Exception
    {
        ExternalTools.requireFfmpeg();
        final int controlPort = ExternalTools.freePort();
        final int rtmpPort = ExternalTools.freePort();
        try (BifrostProcess bifrost = LiveAllInOne.start(dataDir, controlPort, rtmpPort, ExternalTools.freePort());
             HttpClient http = HttpClient.newHttpClient())
        {
            bifrost.awaitLine(EDGE_STARTED, Duration.ofSeconds(90));
            final String control = "http://127.0.0.1:" + controlPort;
            final HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(control +
                "/api/v1/streams/create")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"System test live\",\"privacy\":\"public\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            final JsonNode stream = json.readTree(created.body()).get("data");
            final String streamId = stream.get("stream_id").asText();
            final String key = stream.get("stream_key").asText();
            assertThat(stream.get("status").asText()).isEqualTo("created");

            final ExternalTools.Result published = publish(rtmpPort, key);
            assertThat(published.exitCode()).as(published.output()).isZero();

            final Path recordings = dataDir.resolve("ingest/recordings").resolve(streamId);
            final Path recording;
            try (Stream<Path> files = Files.list(recordings))
            {
                recording = files.filter(file -> file.toString().endsWith(".flv")).findFirst().orElseThrow();
            }
            final ExternalTools.Result counted = ExternalTools.run(Duration.ofSeconds(60), List.of(
                ExternalTools.FFPROBE.toString(), "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", recording.toString()));
            assertThat(counted.output().strip()).as("video frames recorded").isEqualTo(Integer.toString(FRAMES));
            awaitStatus(http, control + "/api/v1/streams/" + streamId, "offline");

            final ExternalTools.Result wrongKey = publish(rtmpPort, "sk_" + "A".repeat(43));
            assertThat(wrongKey.exitCode()).as("a key the control plane never issued is refused").isNotZero();

            final HttpResponse<String> revoked = http.send(HttpRequest.newBuilder(URI.create(control +
                "/api/v1/streams/" + streamId)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
            final ExternalTools.Result afterRevoke = publish(rtmpPort, key);
            assertThat(afterRevoke.exitCode()).as("a revoked key is refused").isNotZero();
            assertThat(bifrost.terminate(Duration.ofSeconds(30))).isEqualTo(143);
        }
    }

    private static ExternalTools.Result publish(final int rtmpPort, final String key) throws Exception
    {
        return ExternalTools.run(Duration.ofSeconds(60), List.of(ExternalTools.FFMPEG.toString(), "-v", "error",
            "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i",
            "sine=frequency=440:sample_rate=44100", "-frames:v", Integer.toString(FRAMES), "-c:v", "libx264",
            "-preset", "ultrafast", "-g", "25", "-c:a", "aac", "-shortest", "-f", "flv",
            "rtmp://127.0.0.1:" + rtmpPort + "/live/" + key));
    }

    private void awaitStatus(final HttpClient http, final String url, final String expected) throws Exception
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = "";
        while (System.nanoTime() < deadline)
        {
            last = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (expected.equals(json.readTree(last).get("data").get("status").asText()))
            {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("stream status never became " + expected + "; last answer " + last);
    }
}
