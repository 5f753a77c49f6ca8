package io.bifrost.origin.upload;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real tus-js-client 4.x (what browsers, Uppy and Node apps use) against the upload handler: a chunked upload
 * from scratch, and a resume of an upload another client started. The client is installed with npm into
 * {@code target/node-tus} from {@code src/test/node/package.json}; the test is skipped, with the reason, where node or
 * npm are missing or the npm registry cannot be reached.
 */
class TusJsClientTest
{
    private static final Path NODE_SOURCES = Path.of("src/test/node");
    private static final Path INSTALL = Path.of("target/node-tus");

    @TempDir
    Path dataDir;

    private final RecordingListener listener = new RecordingListener();

    @BeforeAll
    static void installClient() throws Exception
    {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed; tus-js-client test skipped");
        Files.createDirectories(INSTALL);
        Files.copy(NODE_SOURCES.resolve("package.json"), INSTALL.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(NODE_SOURCES.resolve("upload.cjs"), INSTALL.resolve("upload.cjs"), StandardCopyOption.REPLACE_EXISTING);
        if (!Files.isDirectory(INSTALL.resolve("node_modules/tus-js-client")))
        {
            final Result install = run(Duration.ofMinutes(5), "npm", "install", "--prefix", INSTALL.toString(),
                "--no-audit", "--no-fund", "--loglevel=error");
            assumeTrue(install.exitCode() == 0, "npm install of tus-js-client failed (registry unreachable?): " +
                install.output());
        }
    }

    private static boolean onPath(final String tool)
    {
        final String path = System.getenv().getOrDefault("PATH", "");
        for (final String dir : path.split(":"))
        {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)))
            {
                return true;
            }
        }
        return false;
    }

    private record Result(int exitCode, String output)
    {
    }

    private static Result run(final Duration timeout, final String... command) throws IOException, InterruptedException
    {
        final Path log = Files.createTempFile("tus-js-", ".log");
        try
        {
            final Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                return new Result(-1, "timed out after " + timeout + ": " + Files.readString(log));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        }
        finally
        {
            Files.deleteIfExists(log);
        }
    }

    private UploadTestServer server() throws IOException
    {
        return UploadTestServer.start(new UploadContext().dataDir(dataDir).validator(UploadValidator.ACCEPT_ALL)
            .listener(listener).meterRegistry(new SimpleMeterRegistry()));
    }

    @Test
    void shouldUploadInChunksWithTheRealTusJsClient() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(1_500_000, 41);
        final Path source = dataDir.resolve("source.mp4");
        Files.write(source, file);
        try (UploadTestServer server = server())
        {
            final Result result = run(Duration.ofMinutes(2), "node", INSTALL.resolve("upload.cjs").toString(),
                server.url("/api/v1/uploads/"), source.toString(), Integer.toString(256 * 1024));

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).containsPattern("UPLOADED http://127\\.0\\.0\\.1:\\d+/api/v1/uploads/");
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.completed.size() == 1);
            final String videoId = listener.completed.keySet().iterator().next();
            assertThat(TestPayloads.sha256Hex(Files.readAllBytes(listener.completed.get(videoId))))
                .isEqualTo(TestPayloads.sha256Hex(file));
            assertThat(listener.created.get(videoId).title()).isEqualTo("From tus-js-client");
            assertThat(listener.created.get(videoId).tags()).containsExactly("tus", "node");
        }
    }

    @Test
    void shouldLetTheRealTusJsClientResumeAnUploadFromTheServersOffset() throws Exception
    {
        final byte[] file = TestPayloads.mp4Like(700_000, 42);
        final Path source = dataDir.resolve("source.mp4");
        Files.write(source, file);
        final TusClient java = new TusClient();
        try (UploadTestServer server = server())
        {
            final String location = java.create(server.url("/api/v1/uploads/"), file.length, Map.of("filename", "a.mp4"))
                .headers().firstValue("Location").orElseThrow();
            assertThat(java.patch(location, 0, file, 0, 300_000).statusCode()).isEqualTo(204);

            final Result result = run(Duration.ofMinutes(2), "node", INSTALL.resolve("upload.cjs").toString(),
                server.url("/api/v1/uploads/"), source.toString(), Integer.toString(128 * 1024), location);

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("UPLOADED " + location);
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.completed.size() == 1);
            assertThat(TestPayloads.sha256Hex(Files.readAllBytes(listener.completed.values().iterator().next())))
                .isEqualTo(TestPayloads.sha256Hex(file));
        }
    }
}
