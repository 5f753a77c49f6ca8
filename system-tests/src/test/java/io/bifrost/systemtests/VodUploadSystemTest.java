package io.bifrost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VOD flow of DESIGN.md section 2 through one real {@code bifrost all} process: a generated 1080p clip is uploaded
 * over the tus 1.0 protocol in chunks, the origin transcodes it to the ladder, and ffmpeg/ffprobe play the HLS master
 * and the DASH MPD through the edge, which fills from the origin. Every rendition decodes, its duration matches the
 * source within one frame interval per segment, and every segment starts on a keyframe.
 */
class VodUploadSystemTest
{
    private static final Pattern EDGE_STARTED = Pattern.compile("role edge started");
    private static final double SOURCE_SECONDS = 4.0;
    private static final double FPS = 25.0;
    private static final int CHUNK_BYTES = 256 * 1024;

    @TempDir
    Path dataDir;

    @TempDir
    Path media;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldPublishAResumableUploadAndPlayEveryRenditionThroughTheEdge() throws Exception
    {
        ExternalTools.requireFfmpeg();
        final Path source = media.resolve("clip-1080p.mp4");
        final ExternalTools.Result made = ExternalTools.run(Duration.ofSeconds(120), List.of(ExternalTools.FFMPEG.toString(),
            "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25", "-f", "lavfi", "-i",
            "sine=frequency=440:sample_rate=48000", "-t", Double.toString(SOURCE_SECONDS), "-c:v", "libx264", "-preset",
            "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", source.toString()));
        assertThat(made.exitCode()).as(made.output()).isZero();

        final int originPort = ExternalTools.freePort();
        final int edgePort = ExternalTools.freePort();
        try (BifrostProcess bifrost = BifrostProcess.start("all", "--ops-port", "0", "--bind", "127.0.0.1",
            "--data-dir", dataDir.toString(), "--origin.port", Integer.toString(originPort),
            "--origin.x264-preset", "ultrafast", "--edge.port", Integer.toString(edgePort), "--edge.ram-bytes", "64m",
            "--edge.ssd-bytes", "64m", "--edge.origin", "http://127.0.0.1:" + originPort,
            "--control.port", Integer.toString(ExternalTools.freePort()),
            "--ingest.rtmp-port", Integer.toString(ExternalTools.freePort()), "--ingest.srt-enabled", "false");
             HttpClient http = HttpClient.newHttpClient())
        {
            bifrost.awaitLine(EDGE_STARTED, Duration.ofSeconds(90));
            final String origin = "http://127.0.0.1:" + originPort;
            final String edge = "http://127.0.0.1:" + edgePort;

            final String videoId = uploadWithTus(http, origin, Files.readAllBytes(source));
            final JsonNode video = awaitPublished(http, origin + "/api/v1/videos/" + videoId, bifrost);
            assertThat(video.get("formats").size()).as("ladder rungs for a 1080p source").isGreaterThanOrEqualTo(5);

            final String master = get(http, edge + "/vod/" + videoId + "/master.m3u8");
            assertThat(master).startsWith("#EXTM3U").contains("#EXT-X-VERSION:7", "CODECS=", "RESOLUTION=1920x1080");
            final List<String> mediaPlaylists = Arrays.stream(master.split("\n"))
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
            final List<String> audioAndSubtitles = new ArrayList<>();
            for (final String line : master.split("\n"))
            {
                final int uri = line.indexOf("URI=\"");
                if (line.startsWith("#EXT-X-MEDIA") && uri >= 0)
                {
                    audioAndSubtitles.add(line.substring(uri + 5, line.indexOf('"', uri + 5)));
                }
            }
            assertThat(mediaPlaylists).hasSizeGreaterThanOrEqualTo(5);

            for (final String playlist : mediaPlaylists)
            {
                assertRenditionPlays(http, edge + "/vod/" + videoId + "/" + playlist, true);
            }
            for (final String playlist : audioAndSubtitles)
            {
                assertRenditionPlays(http, edge + "/vod/" + videoId + "/" + playlist, false);
            }

            final ExternalTools.Result dash = ExternalTools.run(Duration.ofSeconds(120), List.of(
                ExternalTools.FFMPEG.toString(), "-v", "error", "-i", edge + "/vod/" + videoId + "/manifest.mpd",
                "-map", "0:v:0", "-map", "0:a:0", "-f", "null", "-"));
            assertThat(dash.exitCode()).as("ffmpeg decodes the DASH MPD through the edge: " + dash.output()).isZero();
            assertThat(bifrost.terminate(Duration.ofSeconds(30))).isEqualTo(143);
        }
    }

    private String uploadWithTus(final HttpClient http, final String origin, final byte[] file) throws Exception
    {
        final String metadata = "filename " + b64("clip-1080p.mp4") + ",title " + b64("System test clip") +
            ",visibility " + b64("public");
        final HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/v1/uploads/"))
            .header("Tus-Resumable", "1.0.0").header("Upload-Length", Integer.toString(file.length))
            .header("Upload-Metadata", metadata).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        final URI upload = URI.create(origin).resolve(created.headers().firstValue("Location").orElseThrow());
        final String videoId = created.headers().firstValue("Bifrost-Video-Id").orElseThrow();

        int offset = 0;
        while (offset < file.length)
        {
            final int length = Math.min(CHUNK_BYTES, file.length - offset);
            final HttpResponse<String> patched = http.send(HttpRequest.newBuilder(upload)
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", Integer.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file, offset, length)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
            offset = Integer.parseInt(patched.headers().firstValue("Upload-Offset").orElseThrow());
            if (offset == CHUNK_BYTES)
            {
                // A client that lost its connection asks where to resume: the acknowledged offset, exactly.
                final HttpResponse<Void> head = http.send(HttpRequest.newBuilder(upload).header("Tus-Resumable", "1.0.0")
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                assertThat(head.headers().firstValue("Upload-Offset")).hasValue(Integer.toString(CHUNK_BYTES));
            }
        }
        return videoId;
    }

    private JsonNode awaitPublished(final HttpClient http, final String url, final BifrostProcess bifrost)
        throws Exception
    {
        final long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        String last = "";
        while (System.nanoTime() < deadline)
        {
            final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
            last = answer.body();
            if (answer.statusCode() == 200)
            {
                final JsonNode data = json.readTree(last).get("data");
                final String status = data.get("status").asText();
                if ("published".equals(status))
                {
                    return data;
                }
                assertThat(status).as("video status: " + last).isIn("uploading", "processing");
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not published within 5 minutes; last answer " + last + "\n" + bifrost.output());
    }

    private void assertRenditionPlays(final HttpClient http, final String playlistUrl, final boolean video)
        throws Exception
    {
        final String playlist = get(http, playlistUrl);
        if (!playlist.contains("#EXTINF"))
        {
            return;
        }
        final ExternalTools.Result decoded = ExternalTools.run(Duration.ofSeconds(120), List.of(
            ExternalTools.FFMPEG.toString(), "-v", "error", "-i", playlistUrl, "-f", "null", "-"));
        assertThat(decoded.exitCode()).as("ffmpeg decodes " + playlistUrl + ": " + decoded.output()).isZero();

        final List<Double> durations = new ArrayList<>();
        for (final String line : playlist.split("\n"))
        {
            if (line.startsWith("#EXTINF:"))
            {
                durations.add(Double.parseDouble(line.substring(8, line.indexOf(','))));
            }
        }
        final double total = durations.stream().mapToDouble(Double::doubleValue).sum();
        assertThat(total).as("duration of " + playlistUrl)
            .isCloseTo(SOURCE_SECONDS, org.assertj.core.data.Offset.offset(durations.size() / FPS + 0.05));
        if (!video)
        {
            return;
        }
        final ExternalTools.Result keyframes = ExternalTools.run(Duration.ofSeconds(120), List.of(
            ExternalTools.FFPROBE.toString(), "-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey",
            "-show_entries", "frame=pts_time", "-of", "csv=p=0", playlistUrl));
        assertThat(keyframes.exitCode()).as(keyframes.output()).isZero();
        final List<Double> keyTimes = Arrays.stream(keyframes.output().split("\n")).map(String::strip)
            .filter(line -> !line.isEmpty() && Character.isDigit(line.charAt(0)))
            .map(line -> Double.parseDouble(line.replace(",", ""))).toList();
        final double first = keyTimes.getFirst();
        double boundary = 0;
        for (final double duration : durations)
        {
            final double at = first + boundary;
            assertThat(keyTimes).as("a keyframe starts the segment at %.3f s of %s", boundary, playlistUrl)
                .anyMatch(time -> Math.abs(time - at) < 0.5 / FPS);
            boundary += duration;
        }
    }

    private static String get(final HttpClient http, final String url) throws Exception
    {
        final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("GET " + url + ": " + answer.body()).isEqualTo(200);
        return answer.body();
    }

    private static String b64(final String text)
    {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
