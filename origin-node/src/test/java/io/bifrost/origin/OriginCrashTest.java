package io.bifrost.origin;

import io.bifrost.origin.catalog.VideoStatus;
import io.bifrost.protocol.naming.ContentKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real kill -9: an origin in a child JVM is killed (with its ffmpeg, as a service manager kills a crashed unit's
 * process group) while it transcodes; an origin started on the same data directory redoes the job and publishes the
 * title once, with exactly the segments its playlists list.
 */
class OriginCrashTest
{
    @TempDir
    Path temp;

    private Process child;
    private RunningOrigin origin;

    @AfterEach
    void stop()
    {
        if (child != null)
        {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
        }
        if (origin != null)
        {
            origin.close();
        }
    }

    @Test
    void shouldRedoTheTranscodeAfterTheOriginIsKilledDuringIt() throws Exception
    {
        final Path source = TestClips.clip(temp.resolve("upload.mp4"), 4);
        final Path dataDir = temp.resolve("data");
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(arg -> !arg.startsWith("-javaagent") && !arg.startsWith("-agentlib")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OriginChildProcess.class.getName(),
            dataDir.toString(), source.toString(), "crash1", "slow"));
        child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null && !line.equals("SUBMITTED"))
        {
            assertThat(child.isAlive()).as(line).isTrue();
        }
        final Path partial = dataDir.resolve("titles/crash1.partial/240p");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> Files.isDirectory(partial));

        final List<ProcessHandle> tree = new ArrayList<>(child.descendants().toList());
        child.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (final ProcessHandle process : tree)
        {
            process.onExit().get(30, TimeUnit.SECONDS);
        }
        assertThat(dataDir.resolve("titles/crash1")).as("killed before publication").doesNotExist();

        origin = OriginNode.launch(new OriginNode.Context().bindAddress("127.0.0.1").port(0).dataDir(dataDir)
            .ioThreads(1).blockingThreads(2).x264Preset("ultrafast").segmentSeconds(2));
        await().atMost(Duration.ofMinutes(3)).until(() -> origin.catalog().find("crash1").status() != VideoStatus.PROCESSING);
        assertThat(origin.catalog().find("crash1").status()).isEqualTo(VideoStatus.PUBLISHED);
        await("title folders are deleted once imported").atMost(Duration.ofSeconds(30))
            .until(() -> isEmpty(dataDir.resolve("titles")));
        final HttpClient http = HttpClient.newHttpClient();
        for (final String rendition : List.of("240p", "audio"))
        {
            final String playlist = http.send(HttpRequest.newBuilder(uri(ContentKey.mediaPlaylist(
                io.bifrost.protocol.naming.ContentScope.VOD, "crash1", rendition).path())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            final long listed = playlist.lines().filter(l -> l.endsWith(".m4s")).count();
            assertThat(listed).as(rendition).isGreaterThanOrEqualTo(2);
            for (long n = 0; n <= listed; n++)
            {
                assertThat(http.send(HttpRequest.newBuilder(uri(ContentKey.vodSegment("crash1", rendition, n).path()))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).as(rendition + " segment " + n).isEqualTo(n < listed ? 200 : 404);
            }
        }
        final TestClips.Result played = TestClips.tryRun(List.of(TestClips.FFMPEG.toString(), "-nostdin", "-v",
            "error", "-i", uri("/vod/crash1/master.m3u8").toString(), "-f", "null", "-"));
        assertThat(played.exitCode()).as(played.output()).isZero();
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
