package io.bifrost.origin;

import io.bifrost.origin.catalog.VideoMetadata;
import io.bifrost.origin.catalog.VideoStatus;
import io.bifrost.protocol.naming.ContentKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restart safety of the job wiring: a transcode cut short (the origin stopped while ffmpeg ran, and a crash's
 * half-written {@code .partial} folder left behind) is redone on the next start, and the title is published once,
 * with exactly the segments its playlist lists.
 */
class OriginRestartTest
{
    @TempDir
    Path temp;

    private RunningOrigin origin;

    @AfterEach
    void stop()
    {
        if (origin != null)
        {
            origin.close();
        }
    }

    private RunningOrigin launch(final Path ffmpeg)
    {
        origin = OriginNode.launch(new OriginNode.Context()
            .bindAddress("127.0.0.1")
            .port(0)
            .dataDir(temp.resolve("data"))
            .ioThreads(1)
            .blockingThreads(2)
            .ffmpeg(ffmpeg)
            .x264Preset("ultrafast")
            .segmentSeconds(2));
        return origin;
    }

    @Test
    void shouldRedoATranscodeCutShortByAStopOrCrashOnTheNextStart() throws Exception
    {
        final Path hangingFfmpeg = temp.resolve("ffmpeg-that-hangs");
        Files.writeString(hangingFfmpeg, "#!/bin/sh\nexec sleep 300\n");
        Files.setPosixFilePermissions(hangingFfmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
        launch(hangingFfmpeg);
        final Path source = TestClips.clip(temp.resolve("upload.mp4"), 3);
        origin.submit("resume1", source, VideoMetadata.EMPTY);
        final Path partial = temp.resolve("data/titles/resume1.partial");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(partial));
        origin.close();
        assertThat(temp.resolve("data/titles/resume1.failed")).as("a stop is not a failure").doesNotExist();

        // what a kill -9 in the middle of the encode leaves: a half-written work folder
        Files.createDirectories(partial.resolve("240p"));
        Files.write(partial.resolve("240p/0.m4s"), new byte[] {1, 2, 3});

        launch(TestClips.FFMPEG);
        assertThat(origin.catalog().find("resume1").status()).isEqualTo(VideoStatus.PROCESSING);
        await().atMost(Duration.ofMinutes(3)).until(() -> origin.catalog().find("resume1").status() != VideoStatus.PROCESSING);
        assertThat(origin.catalog().find("resume1").status()).isEqualTo(VideoStatus.PUBLISHED);
        await("title folders are deleted once imported").atMost(Duration.ofSeconds(30))
            .until(() -> isEmpty(temp.resolve("data/titles")));

        final HttpClient http = HttpClient.newHttpClient();
        final String playlist = http.send(HttpRequest.newBuilder(uri("/vod/resume1/240p/index.m3u8")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        final long listed = playlist.lines().filter(line -> line.endsWith(".m4s")).count();
        assertThat(listed).isPositive();
        for (long n = 0; n <= listed; n++)
        {
            final int status = http.send(HttpRequest.newBuilder(uri(ContentKey.vodSegment("resume1", "240p", n).path()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
            assertThat(status).as("segment " + n).isEqualTo(n < listed ? 200 : 404);
        }
        final TestClips.Result decoded = TestClips.tryRun(List.of(TestClips.FFMPEG.toString(), "-nostdin", "-v",
            "error", "-i", uri("/vod/resume1/master.m3u8").toString(), "-f", "null", "-"));
        assertThat(decoded.exitCode()).as(decoded.output()).isZero();
    }

    private URI uri(final String path)
    {
        return URI.create("http://127.0.0.1:" + origin.port() + path);
    }

    private static boolean isEmpty(final Path dir) throws java.io.IOException
    {
        try (Stream<Path> left = Files.list(dir))
        {
            return left.findAny().isEmpty();
        }
    }
}
