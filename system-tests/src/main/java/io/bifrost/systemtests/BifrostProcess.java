package io.bifrost.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code bifrost} process started the way production starts it: the launcher jar and its runtime class path from
 * the reactor's {@code launcher/target}, the JVM flags from the jar's {@code bifrost-jvm.options}, on the JDK that runs
 * the tests. Its output goes to a file, so tests can wait for log lines and nothing is lost at exit.
 *
 * <p>Needs the system properties {@code bifrost.launcher.target} and {@code bifrost.launcher.jar}, which this module's
 * surefire configuration sets.
 */
public final class BifrostProcess implements AutoCloseable
{
    private final Process process;
    private final Path log;

    private BifrostProcess(final Process process, final Path log)
    {
        this.process = process;
        this.log = log;
    }

    public static Path launcherTarget()
    {
        return Path.of(System.getProperty("bifrost.launcher.target")).toAbsolutePath().normalize();
    }

    public static Path repositoryRoot()
    {
        return launcherTarget().getParent().getParent();
    }

    public static BifrostProcess start(final String... args) throws IOException
    {
        final Path target = launcherTarget();
        final Path optionsFile = target.resolve("classes/io/bifrost/launcher/bifrost-jvm.options");
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        for (final String line : Files.readAllLines(optionsFile))
        {
            if (!line.isBlank() && !line.strip().startsWith("#"))
            {
                command.addAll(List.of(line.strip().split("\\s+")));
            }
        }
        command.add("-cp");
        command.add(target.resolve(System.getProperty("bifrost.launcher.jar")) + ":" + target.resolve("lib") + "/*");
        command.add("io.bifrost.launcher.Bifrost");
        command.addAll(List.of(args));
        final Path log = Files.createTempFile("bifrost-", ".log");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        return new BifrostProcess(process, log);
    }

    /**
     * Wait for an output line matching a pattern.
     *
     * @return the match, for its groups.
     */
    public Matcher awaitLine(final Pattern pattern, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            final boolean ended = !process.isAlive();
            for (final String line : lines())
            {
                final Matcher matcher = pattern.matcher(line);
                if (matcher.find())
                {
                    return matcher;
                }
            }
            if (ended)
            {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line matching " + pattern + " within " + timeout + "; output:\n" + output());
    }

    private List<String> lines()
    {
        try
        {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public String output()
    {
        return String.join("\n", lines());
    }

    /** Send SIGTERM, as systemd and kill do, and wait for the exit status. */
    public int terminate(final Duration timeout) throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        {
            throw new AssertionError("bifrost did not stop within " + timeout + " of SIGTERM; output:\n" + output() +
                "\nits threads (jcmd Thread.print), to see what the stop waits for:\n" + threadDump());
        }
        return process.exitValue();
    }

    /** The still-running process's threads, from {@code jcmd} next to the java that runs the tests; best effort. */
    private String threadDump()
    {
        final Path jcmd = ProcessHandle.current().info().command().map(Path::of)
            .map(java -> java.resolveSibling("jcmd")).orElse(Path.of("jcmd"));
        try
        {
            final Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                .redirectErrorStream(true).start();
            final byte[] text = dump.getInputStream().readNBytes(2 << 20);
            if (!dump.waitFor(20, TimeUnit.SECONDS))
            {
                dump.destroyForcibly();
            }
            return new String(text, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(no thread dump: " + ex.getMessage() + ")";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    @Override
    public void close()
    {
        process.destroyForcibly();
        try
        {
            Files.deleteIfExists(log);
        }
        catch (final IOException ignored)
        {
            // a temp file left behind is harmless
        }
    }
}
