package io.bifrost.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real clients system tests drive (ffmpeg, ffprobe) and the free loopback ports they give a {@code bifrost}
 * process, so tests never collide with a developer's running node on the default ports.
 */
final class ExternalTools
{
    static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    static final Path FFPROBE = Path.of("/usr/bin/ffprobe");

    /** What a finished child process printed and how it ended. */
    record Result(int exitCode, String output)
    {
    }

    private ExternalTools()
    {
    }

    /** Skip (never silently pass) a test that needs ffmpeg where it is not installed; `.ci/run` installs it. */
    static void requireFfmpeg()
    {
        assumeTrue(Files.isExecutable(FFMPEG) && Files.isExecutable(FFPROBE),
            "ffmpeg/ffprobe not installed (apt-get install ffmpeg); .ci/run installs them");
    }

    /** @return a port for a server in another process: see {@link FreePorts#next()}. */
    static int freePort() throws IOException
    {
        return FreePorts.next();
    }

    /** Run a command to its end (bounded), stdout and stderr together. */
    static Result run(final Duration timeout, final List<String> command) throws IOException, InterruptedException
    {
        final Path log = Files.createTempFile("bifrost-tool-", ".log");
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n" +
                    Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        }
        finally
        {
            Files.deleteIfExists(log);
        }
    }
}
