package io.bifrost.origin.upload;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real kill -9 in the middle of a PATCH: the upload server runs in a child JVM ({@link UploadServerMain}, same
 * java, class path and JVM flags as this test), is killed with {@code destroyForcibly()} while a PATCH body is
 * streaming, and restarted over the same data directory. Every acknowledged byte must survive, the client resumes
 * from the offset HEAD reports, and the finished file is bit-identical to the source.
 */
class UploadCrashTest
{
    private static final Pattern PORT = Pattern.compile("UPLOAD-SERVER-PORT (\\d+)");
    private static final int MIB = 1 << 20;

    @TempDir
    Path work;

    private final TusClient client = new TusClient();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers()
    {
        processes.forEach(Process::destroyForcibly);
    }

    private int startServer(final Path dataDir, final Path log) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        for (final String flag : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (flag.startsWith("--add-") || flag.startsWith("--enable-native-access") ||
                flag.startsWith("--sun-misc-unsafe") || flag.startsWith("-Dchronicle"))
            {
                command.add(flag);
            }
        }
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"),
            UploadServerMain.class.getName(), dataDir.toString()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        final int[] port = new int[1];
        await().atMost(Duration.ofSeconds(60)).until(() ->
        {
            final Matcher matcher = PORT.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (matcher.find())
            {
                port[0] = Integer.parseInt(matcher.group(1));
                return true;
            }
            assertThat(process.isAlive()).as("upload server died: %s", Files.readString(log)).isTrue();
            return false;
        });
        return port[0];
    }

    @Test
    void shouldKeepEveryAcknowledgedByteWhenKilledMidPatchAndFinishAfterRestart() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(4 * MIB, 21);
        final Path dataDir = work.resolve("data");
        final int firstPort = startServer(dataDir, work.resolve("first.log"));
        final HttpResponse<String> created = client.create("http://127.0.0.1:" + firstPort + "/api/v1/uploads/",
            file.length, Map.of("filename", "crash.mp4"));
        final String path = URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
        assertThat(client.patch("http://127.0.0.1:" + firstPort + path, 0, file, 0, MIB).statusCode()).isEqualTo(204);

        final Process first = processes.getFirst();
        try (RawPatch patch = RawPatch.start(firstPort, path, MIB, 3L * MIB))
        {
            patch.send(file, MIB, 2 * MIB);
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        final int secondPort = startServer(dataDir, work.resolve("second.log"));
        final String location = "http://127.0.0.1:" + secondPort + path;
        final HttpResponse<String> head = client.head(location);
        final long offset = Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
        final Path data = dataDir.resolve("uploads").resolve(path.substring(path.lastIndexOf('/') + 1) + ".bin");
        assertThat(offset).isBetween((long)MIB, 2L * MIB);
        assertThat(Files.size(data)).isEqualTo(offset);

        assertThat(client.patch(location, offset, file, (int)offset, file.length).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() ->
            "completed".equals(client.head(location).headers().firstValue("Bifrost-Upload-Status").orElse("")));
        assertThat(TestPayloads.sha256Hex(Files.readAllBytes(data))).isEqualTo(TestPayloads.sha256Hex(file));
    }
}
