package io.bifrost.origin.upload;

import io.bifrost.transcoder.probe.SourceLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Completed uploads validated by the real ffprobe ({@link ProbeUploadValidator}): a tiny generated clip is accepted
 * and handed off; a file that only looks like MP4, an audio-only file, a clip with dimensions beyond the limits and
 * a clip that decodes to more pixels than allowed are rejected, and the uploader sees why (HEAD and the status JSON).
 * Needs ffmpeg and ffprobe in /usr/bin (CI installs them).
 */
class UploadValidationTest
{
    private static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    private static final Path FFPROBE = Path.of("/usr/bin/ffprobe");

    @TempDir
    static Path media;

    @TempDir
    Path dataDir;

    private static byte[] clip;
    private static byte[] audioOnly;

    private final RecordingListener listener = new RecordingListener();
    private final TusClient client = new TusClient();

    @BeforeAll
    static void generateMedia() throws Exception
    {
        clip = Files.readAllBytes(ffmpeg(media.resolve("clip.mp4"), "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
            "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"));
        audioOnly = Files.readAllBytes(ffmpeg(media.resolve("tone.m4a"), "-f", "lavfi", "-i",
            "sine=frequency=440:sample_rate=48000", "-t", "1", "-c:a", "aac"));
    }

    private static Path ffmpeg(final Path output, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(FFMPEG.toString(), "-nostdin", "-v", "error", "-y"));
        command.addAll(List.of(args));
        command.add(output.toString());
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(media.resolve("ffmpeg.log").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(media.resolve("ffmpeg.log"))).isZero();
        return output;
    }

    private HttpResponse<String> uploadAndAwaitVerdict(final SourceLimits limits, final byte[] file) throws Exception
    {
        try (UploadTestServer server = UploadTestServer.start(new UploadContext().dataDir(dataDir).ffprobe(FFPROBE)
            .sourceLimits(limits).listener(listener).meterRegistry(new SimpleMeterRegistry())))
        {
            final String location = client.create(server.url("/api/v1/uploads/"), file.length,
                Map.of("filename", "upload.mp4")).headers().firstValue("Location").orElseThrow();
            assertThat(client.patch(location, 0, file, 0, file.length).statusCode()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(30)).until(() -> !listener.events.stream()
                .filter(e -> e.startsWith("completed") || e.startsWith("rejected")).toList().isEmpty());
            final HttpResponse<String> head = client.head(location);
            final HttpResponse<String> status = client.get(location);
            assertThat(status.body()).contains(head.headers().firstValue("Bifrost-Upload-Status").orElseThrow());
            return status;
        }
    }

    @Test
    void shouldAcceptARealClipAndHandItOff() throws Exception
    {
        final HttpResponse<String> status = uploadAndAwaitVerdict(SourceLimits.DEFAULTS, clip);

        assertThat(status.body()).contains("\"status\":\"completed\"").doesNotContain("\"error\"");
        assertThat(listener.completed).hasSize(1);
        assertThat(Files.readAllBytes(listener.completed.values().iterator().next())).isEqualTo(clip);
    }

    @Test
    void shouldRejectAFileThatOnlyStartsLikeMp4() throws Exception
    {
        final HttpResponse<String> status = uploadAndAwaitVerdict(SourceLimits.DEFAULTS, TestPayloads.mp4Like(20_000, 31));

        assertThat(status.body()).contains("\"status\":\"rejected\"", "\"code\":\"source.not_media\"");
        assertThat(listener.events).anyMatch(e -> e.startsWith("rejected") && e.endsWith("source.not_media"));
        try (var files = Files.list(dataDir.resolve("uploads")))
        {
            assertThat(files.filter(p -> p.toString().endsWith(".bin"))).isEmpty();
        }
    }

    @Test
    void shouldRejectAudioWithoutVideo() throws Exception
    {
        final HttpResponse<String> status = uploadAndAwaitVerdict(SourceLimits.DEFAULTS, audioOnly);

        assertThat(status.body()).contains("\"code\":\"source.no_video\"", "audio only");
    }

    @Test
    void shouldRejectDimensionsBeyondTheLimits() throws Exception
    {
        final SourceLimits small = new SourceLimits(16, 200, 3600, 60, 1e15, 1e7, 12);

        final HttpResponse<String> status = uploadAndAwaitVerdict(small, clip);

        assertThat(status.body()).contains("\"code\":\"source.bad_dimensions\"", "320x240");
    }

    @Test
    void shouldRejectADecompressionBomb() throws Exception
    {
        final HttpResponse<String> status = uploadAndAwaitVerdict(SourceLimits.DEFAULTS.withMaxDecodedPixels(1e6), clip);

        assertThat(status.body()).contains("\"code\":\"source.decompression_bomb\"");
    }
}
