package io.bifrost.origin;

import io.bifrost.origin.catalog.VideoMetadata;
import io.bifrost.origin.catalog.VideoStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The creator's {@code thumbnail_timestamp} decides the poster frame; it can change until the title is published.
 */
class OriginPosterTimeTest
{
    private static final Pattern SSIM = Pattern.compile("All:([0-9.]+)");

    @TempDir
    Path temp;

    @Test
    void shouldTakeThePosterAtTheCreatorsTimestampAndRefuseAChangeAfterPublishing() throws Exception
    {
        final Path source = TestClips.clip(temp.resolve("source.mp4"), 4);
        try (RunningOrigin origin = OriginNode.launch(new OriginNode.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(temp.resolve("data")).ioThreads(1).blockingThreads(2).x264Preset("ultrafast").segmentSeconds(2));
            HttpClient http = HttpClient.newHttpClient())
        {
            origin.submit("poster-at-3s", Files.copy(source, temp.resolve("upload.mp4")),
                new VideoMetadata("Poster", "", List.of(), "public", "", 3.0));
            await().atMost(Duration.ofSeconds(120)).until(() ->
                origin.catalog().find("poster-at-3s").status() != VideoStatus.PROCESSING);
            assertThat(origin.catalog().find("poster-at-3s").status()).isEqualTo(VideoStatus.PUBLISHED);
            final String base = "http://127.0.0.1:" + origin.port();

            final HttpResponse<byte[]> poster = http.send(HttpRequest.newBuilder(URI.create(base +
                "/vod/poster-at-3s/thumbnails/poster.jpg")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(poster.statusCode()).isEqualTo(200);
            final Path posterFile = Files.write(temp.resolve("poster.jpg"), poster.body());
            final double atThree = ssim(posterFile, source, 3.0);
            final double atDefault = ssim(posterFile, source, 0.4);
            assertThat(atThree).as("poster vs the frame at 3 s").isGreaterThan(0.9);
            assertThat(atThree).as("poster is the 3 s frame, not the default 10%% one").isGreaterThan(atDefault + 0.02);

            final HttpResponse<String> view = http.send(HttpRequest.newBuilder(URI.create(base +
                "/api/v1/videos/poster-at-3s")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(view.body()).contains("\"thumbnail_timestamp\":3.0");
            final HttpResponse<String> late = http.send(HttpRequest.newBuilder(URI.create(base +
                "/api/v1/videos/poster-at-3s/metadata")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"thumbnail_timestamp\": 1}")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(late.statusCode()).isEqualTo(409);
            assertThat(late.body()).contains("video.thumbnail_published");
            final HttpResponse<String> renamed = http.send(HttpRequest.newBuilder(URI.create(base +
                "/api/v1/videos/poster-at-3s/metadata")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"Renamed\", \"thumbnail_timestamp\": 3}")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
            final HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base +
                "/api/v1/videos/poster-at-3s/metadata")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"thumbnail_timestamp\": \"soon\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
        }
    }

    /** SSIM between the poster and the source frame at {@code seconds}, scaled to the poster's size. */
    private static double ssim(final Path poster, final Path source, final double seconds)
        throws IOException, InterruptedException
    {
        final Process ffmpeg = new ProcessBuilder(TestClips.FFMPEG.toString(), "-v", "info", "-nostats",
            "-i", poster.toString(), "-ss", Double.toString(seconds), "-i", source.toString(),
            "-filter_complex", "[1:v][0:v]scale2ref[ref][poster];[poster][ref]ssim", "-frames:v", "1", "-f", "null", "-")
            .redirectErrorStream(true).start();
        final String output = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        final Matcher matcher = SSIM.matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
