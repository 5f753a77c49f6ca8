package io.bifrost.edge.player;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the seed ABR core's own unit tests ({@code src/test/js/*.test.js}, Node's built-in test runner) so that they
 * are part of {@code ./mvnw verify}. Skipped, saying why, where no Node.js 18+ is installed.
 */
class SeedAbrNodeTest
{
    private static final long TIMEOUT_SECONDS = 60;

    @Test
    void shouldPassTheSeedAbrNodeTests() throws Exception
    {
        final int major = nodeMajorVersion();
        Assumptions.assumeTrue(major >= 18, "node 18+ is not on the PATH (found " +
            (major < 0 ? "none" : "v" + major) + "): the seed ABR's JavaScript tests need `node --test`");
        final Path tests = Path.of("src", "test", "js").toAbsolutePath();
        final Path log = Files.createDirectories(Path.of("target")).resolve("seed-abr-node-test.log");
        final Process node = new ProcessBuilder("node", "--test", tests.resolve("seed-abr.test.js").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        final boolean exited = node.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited)
        {
            node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        final String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(exited).as("node --test finished within " + TIMEOUT_SECONDS + " s").isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("# fail 0").containsPattern("# pass [1-9]");
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
