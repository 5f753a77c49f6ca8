package io.bifrost.perf.abr;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the ABR evaluation ({@code perf/abr}, Node) working as the seed ABR it loads from edge-node changes: runs its
 * checks ({@code node --test test/}) and a short evaluation, and reads the table. Skipped, saying why, where no
 * Node.js 18+ is installed. Without {@code npm install} the hls.js model uses the defaults it cites.
 */
class AbrEvaluationNodeTest
{
    private static final long TIMEOUT_SECONDS = 120;
    private static final Path ABR = Path.of("abr").toAbsolutePath();

    @Test
    void shouldPassTheSimulatorChecksAndPrintTheComparisonTable() throws Exception
    {
        final int major = nodeMajorVersion();
        Assumptions.assumeTrue(major >= 18, "node 18+ is not on the PATH (found " +
            (major < 0 ? "none" : "v" + major) + "): perf/abr needs `node --test`");

        final String checks = run("node", "--test", "test/");
        assertThat(checks).contains("# fail 0").containsPattern("# pass [1-9]");

        final String table = run("node", "evaluate.js", "--media-seconds", "60");
        assertThat(table)
            .contains("| VOD | steady 10 Mbit/s | seed |")
            .contains("| VOD | steady 10 Mbit/s | hls.js default |")
            .contains("| live-like | 3G-like");
    }

    private static String run(final String... command) throws IOException, InterruptedException
    {
        final Path log = Files.createTempFile("abr-evaluation", ".log");
        try
        {
            final Process process = new ProcessBuilder(command).directory(ABR.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
            final boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!exited)
            {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            final String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(exited).as(String.join(" ", command) + " finished within " + TIMEOUT_SECONDS + " s").isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            return output;
        }
        finally
        {
            Files.deleteIfExists(log);
        }
    }

    private static int nodeMajorVersion() throws InterruptedException
    {
        try
        {
            final Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            final String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!version.waitFor(10, TimeUnit.SECONDS) || version.exitValue() != 0 || !text.startsWith("v"))
            {
                return -1;
            }
            return Integer.parseInt(text.substring(1, text.indexOf('.')));
        }
        catch (final IOException | NumberFormatException | StringIndexOutOfBoundsException ex)
        {
            return -1;
        }
    }
}
