package io.bifrost.launcher.upload;

import io.bifrost.launcher.Bifrost;
import io.bifrost.origin.CatalogUploads;
import io.bifrost.origin.OriginNode;
import io.bifrost.origin.RunningOrigin;
import io.bifrost.origin.catalog.VideoStatus;
import io.bifrost.origin.upload.UploadContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class UploadCommandTest
{
    private static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");

    @TempDir
    Path temp;

    @Test
    void shouldUploadInChunksFollowTheTranscodeAndPrintThePlaybackUrls() throws Exception
    {
        assumeTrue(Files.isExecutable(FFMPEG), "ffmpeg is not installed at /usr/bin/ffmpeg");
        final Path clip = temp.resolve("clip.mp4");
        final Process encode = new ProcessBuilder(FFMPEG.toString(), "-v", "error", "-f", "lavfi", "-i",
            "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440", "-t", "3", "-c:v", "libx264",
            "-preset", "ultrafast", "-c:a", "aac", "-shortest", clip.toString()).inheritIO().start();
        assertThat(encode.waitFor(60, TimeUnit.SECONDS) && encode.exitValue() == 0).isTrue();
        final Path dataDir = temp.resolve("origin");
        try (RunningOrigin origin = OriginNode.launch(new OriginNode.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(dataDir).ioThreads(1).blockingThreads(2).x264Preset("ultrafast").segmentSeconds(2)
            .uploads(CatalogUploads.hook(new UploadContext().dataDir(dataDir).ioThreads(1).validationThreads(1)))))
        {
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final int exit = new Bifrost(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true)).execute(
                "upload", clip.toString(), "--origin", "http://127.0.0.1:" + origin.port(), "--title", "Test clip",
                "--tag", "test", "--tag", "cli", "--chunk-mib", "1", "--timeout", "120");

            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString()).contains("status published").containsPattern("hls http://\\S+/master\\.m3u8")
                .containsPattern("dash http://\\S+/manifest\\.mpd");
            assertThat(err.toString()).contains("upload    [##############################] 100.0%");
            final String videoId = out.toString().lines().filter(line -> line.startsWith("video_id "))
                .findFirst().orElseThrow().substring("video_id ".length());
            assertThat(origin.catalog().find(videoId).status()).isEqualTo(VideoStatus.PUBLISHED);
            assertThat(origin.catalog().find(videoId).metadata().title()).isEqualTo("Test clip");
            assertThat(origin.catalog().find(videoId).metadata().tags()).containsExactly("test", "cli");
        }
    }

    @Test
    void shouldExplainAMissingFileAndAnUnreachableOrigin()
    {
        final StringWriter err = new StringWriter();
        final Bifrost bifrost = new Bifrost(Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));

        assertThat(bifrost.execute("upload", temp.resolve("missing.mp4").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read").contains("give the path of a video file");
        assertThat(bifrost.execute("upload", temp.toString(), "--chunk-mib", "0")).isEqualTo(2);
    }

    @Test
    void shouldDrawPlainLinesAtEveryTenPercentWhenNotOnATerminal()
    {
        final StringWriter sink = new StringWriter();
        final ProgressBar bar = new ProgressBar(new PrintWriter(sink, true), "upload", false);
        for (int percent = 0; percent <= 100; percent += 5)
        {
            bar.update(percent, "");
        }
        bar.finish();

        assertThat(sink.toString().lines()).hasSize(11).first().isEqualTo("upload    [..............................]   0.0%");
        assertThat(ProgressBar.render("transcode", 50, "30 fps 1.20x"))
            .isEqualTo("transcode [###############...............]  50.0% 30 fps 1.20x");
    }
}
