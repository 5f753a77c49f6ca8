package io.bifrost.origin;

import io.bifrost.origin.catalog.VideoMetadata;
import io.bifrost.origin.catalog.VideoStatus;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentScope;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The job wiring around the transcoder: a video deleted while it transcodes is never published nor transcoded again
 * after a restart, and several workers publish different titles.
 */
class OriginJobWiringTest
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

    private void launch(final Path ffmpeg, final int workers)
    {
        origin = OriginNode.launch(new OriginNode.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(temp.resolve("data")).ioThreads(1).blockingThreads(2).ffmpeg(ffmpeg).x264Preset("ultrafast")
            .segmentSeconds(2).transcodeWorkers(workers));
    }

    @Test
    void shouldNotBringBackAVideoDeletedWhileItTranscodes() throws Exception
    {
        final Path hangingFfmpeg = temp.resolve("ffmpeg-that-hangs");
        Files.writeString(hangingFfmpeg, "#!/bin/sh\nexec sleep 300\n");
        Files.setPosixFilePermissions(hangingFfmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
        launch(hangingFfmpeg, 1);
        origin.submit("gone1", TestClips.clip(temp.resolve("a.mp4"), 2), VideoMetadata.EMPTY);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(temp.resolve("data/titles/gone1.partial")));
        assertThat(origin.catalog().delete("gone1")).isTrue();
        origin.close();

        launch(TestClips.FFMPEG, 1);
        origin.submit("after1", TestClips.clip(temp.resolve("b.mp4"), 2), VideoMetadata.EMPTY);
        // jobs run in log order on one worker: once the later job is done, the deleted one has been passed over
        await().atMost(Duration.ofMinutes(3)).until(() -> origin.catalog().find("after1").status() == VideoStatus.PUBLISHED);
        assertThat(origin.catalog().find("gone1").status()).isEqualTo(VideoStatus.DELETED);
        assertThat(status(ContentKey.masterPlaylist(ContentScope.VOD, "gone1").path())).isEqualTo(404);
        assertThat(temp.resolve("data/titles/gone1")).doesNotExist();
        assertThat(temp.resolve("data/titles/gone1.partial")).doesNotExist();
        assertThat(temp.resolve("data/originals/gone1")).doesNotExist();
    }

    @Test
    void shouldPublishDifferentTitlesOnSeveralWorkers() throws Exception
    {
        launch(TestClips.FFMPEG, 2);
        for (final String id : new String[] {"w1", "w2", "w3"})
        {
            origin.submit(id, TestClips.clip(temp.resolve(id + ".mp4"), 2), VideoMetadata.EMPTY);
        }
        await().atMost(Duration.ofMinutes(3)).until(() ->
            origin.catalog().find("w1").status() == VideoStatus.PUBLISHED &&
            origin.catalog().find("w2").status() == VideoStatus.PUBLISHED &&
            origin.catalog().find("w3").status() == VideoStatus.PUBLISHED);
        for (final String id : new String[] {"w1", "w2", "w3"})
        {
            assertThat(status(ContentKey.vodSegment(id, "240p", 0).path())).isEqualTo(200);
        }
    }

    private int status(final String path) throws Exception
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + origin.port() +
            path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
