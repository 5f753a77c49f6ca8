package io.bifrost.systemtests.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bifrost.systemtests.BifrostProcess;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs real players (hls.js, dash.js, Shaka Player) in Debian's headless Chromium through
 * {@code system-tests/browser/play.mjs} (playwright-core, never a downloaded browser) and reads back what happened.
 *
 * <p>Each {@link #play(PlaybackRequest)} is one Node process and one fresh Chromium profile, so runs share no cache
 * or bandwidth estimate. Screenshots go to {@code system-tests/target/browser-screenshots/}, the JSON reports to
 * {@code system-tests/target/browser-reports/}. {@code .ci/run} installs Chromium and runs {@code npm ci} in
 * {@code system-tests/browser}; where either is missing, {@link #assumeReady()} skips the test with the reason.
 */
public final class BrowserHarness
{
    /** Debian's Chromium; STACK.md: the only browser these tests use. */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final Path browserDir;
    private final Path screenshots;
    private final Path reports;
    private final ObjectMapper json = new ObjectMapper();

    private BrowserHarness(final Path browserDir, final Path target)
    {
        this.browserDir = browserDir;
        this.screenshots = target.resolve("browser-screenshots");
        this.reports = target.resolve("browser-reports");
    }

    /** @return the harness of this checkout ({@code system-tests/browser}), writing to {@code system-tests/target}. */
    public static BrowserHarness locate()
    {
        final Path systemTests = BifrostProcess.repositoryRoot().resolve("system-tests");
        return new BrowserHarness(systemTests.resolve("browser"), systemTests.resolve("target"));
    }

    /** Skip (never silently pass) without Node, Chromium or the npm packages; {@code .ci/run} installs them. */
    public void assumeReady()
    {
        final Optional<String> missing = missing();
        assumeTrue(missing.isEmpty(), missing.orElse(""));
    }

    /** @return why the browser suite cannot run here (Node, Chromium or an npm package missing), or empty. */
    public Optional<String> missing()
    {
        if (node().isEmpty())
        {
            return Optional.of("node not found on PATH; the browser suite needs Node.js 20");
        }
        if (!Files.isExecutable(CHROMIUM))
        {
            return Optional.of(CHROMIUM + " missing: apt-get install -y chromium (.ci/run does)");
        }
        for (final String module : List.of("playwright-core", "hls.js", "dashjs", "shaka-player"))
        {
            if (!Files.isRegularFile(browserDir.resolve("node_modules").resolve(module).resolve("package.json")))
            {
                return Optional.of(module + " not installed: run npm ci --prefix system-tests/browser (.ci/run does)");
            }
        }
        return Optional.empty();
    }

    /**
     * Play one stream to the end of its request (or its deadline) and report.
     *
     * @return the report; the run itself never throws for a playback problem, the caller asserts on the report.
     * @throws AssertionError when the harness process fails or overruns its deadline, with its output.
     */
    public PlaybackReport play(final PlaybackRequest request) throws IOException, InterruptedException
    {
        return play(request, null);
    }

    /**
     * Play one protected stream (H6): like {@link #play(PlaybackRequest)}, with a {@code drm} config for the player
     * ({@code {"licenseUrl": ...}} for ClearKey through EME; see {@code play.mjs}).
     *
     * @param request the playback.
     * @param drm     the {@code drm} object handed to the player, or null for none.
     * @return the report.
     * @throws AssertionError when the harness process fails or overruns its deadline, with its output.
     */
    public PlaybackReport play(final PlaybackRequest request, final Map<String, ?> drm)
        throws IOException, InterruptedException
    {
        Files.createDirectories(screenshots);
        Files.createDirectories(reports);
        final ObjectNode config = json.createObjectNode().put("url", request.url()).put("player", request.player())
            .put("mseOnly", request.mseOnly()).put("minSeconds", request.minSeconds())
            .put("startTop", request.startTop())
            .put("bufferSeconds", request.bufferSeconds()).put("subtitles", request.subtitles())
            .put("live", request.live()).put("timeoutMs", request.timeout().toMillis());
        request.codecs().forEach(config.putArray("codecs")::add);
        if (request.throttle() != null)
        {
            config.putObject("throttle").put("afterSeconds", request.throttle().afterSeconds())
                .put("kbps", request.throttle().kbps()).put("latencyMs", request.throttle().latencyMs());
        }
        config.put("chromium", CHROMIUM.toString());
        if (drm != null)
        {
            config.set("drm", json.valueToTree(drm));
        }
        if (!request.mseOnly())
        {
            config.put("screenshot", screenshots.resolve(request.name() + ".png").toString());
        }
        final Path configFile = reports.resolve(request.name() + ".config.json");
        final Path resultFile = reports.resolve(request.name() + ".json");
        final Path log = reports.resolve(request.name() + ".log");
        Files.deleteIfExists(resultFile);
        json.writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), config);

        final Process process = new ProcessBuilder(node().orElseThrow().toString(), "play.mjs", configFile.toString(),
            resultFile.toString()).directory(browserDir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        final long graceMs = 30_000;
        if (!process.waitFor(request.timeout().toMillis() + graceMs, TimeUnit.MILLISECONDS))
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            throw new AssertionError("play.mjs overran " + request.timeout() + " by " + graceMs + " ms:\n" +
                Files.readString(log, StandardCharsets.UTF_8));
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(resultFile))
        {
            throw new AssertionError("play.mjs exited " + process.exitValue() + " without a report:\n" +
                Files.readString(log, StandardCharsets.UTF_8));
        }
        return new PlaybackReport(json.readTree(resultFile.toFile()), resultFile);
    }

    private static Optional<Path> node()
    {
        final String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin");
        for (final String dir : path.split(File.pathSeparator))
        {
            final Path candidate = Path.of(dir.isEmpty() ? "." : dir, "node");
            if (Files.isExecutable(candidate))
            {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
