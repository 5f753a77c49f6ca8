package io.bifrost.perf.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@link HeldViewers} process as seen from the harness: started with this JVM's classpath and module flags
 * (optionally under {@code taskset -c CPUS}), driven by lines on its stdin; its stdout lines are read by one thread
 * and handed over through a queue, so that every wait is bounded. Lines starting with "#" are echoed to the log.
 */
final class ViewerProcess implements AutoCloseable
{
    private static final java.util.regex.Pattern LOG_LINE =
        java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}");
    private static final long LINE_TIMEOUT_S = 300;
    private static final String EOF = "\u0000eof";

    private final Process process;
    private final PrintStream commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ViewerProcess(final Process process)
    {
        this.process = process;
        this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII)))
            {
                String line;
                while ((line = out.readLine()) != null)
                {
                    if (line.startsWith("#"))
                    {
                        System.out.println("viewers " + line);
                    }
                    else
                    {
                        lines.add(line);
                    }
                }
            }
            catch (final IOException closed)
            {
                // the process went away: await() reports it
            }
            lines.add(EOF);
        }, "held-viewers-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Start the viewers and wait until every connection is open (they print "# connected").
     *
     * @param cpus    {@code taskset -c} list for the process, empty for no pinning.
     * @param threads the client's event loops.
     */
    static ViewerProcess start(
        final String cpus,
        final String host,
        final int port,
        final int viewers,
        final int threads,
        final int rounds) throws IOException
    {
        final List<String> command = new ArrayList<>();
        if (!cpus.isEmpty())
        {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (final String flag : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            // module and Netty flags (the launcher's options file); not heap, GC or recording flags
            if (flag.startsWith("--") || flag.startsWith("-Dio.netty"))
            {
                command.add(flag);
            }
        }
        command.addAll(List.of("-Xms256m", "-Xmx1g", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
            HeldViewers.class.getName(), "--host", host, "--port", String.valueOf(port), "--viewers",
            String.valueOf(viewers), "--io-threads", String.valueOf(threads), "--rounds", String.valueOf(rounds)));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new ViewerProcess(process);
    }

    void send(final String command)
    {
        commands.println(command);
    }

    /**
     * @return the next line from the viewers, which must start with {@code prefix}.
     */
    String await(final String prefix) throws InterruptedException
    {
        String line = lines.poll(LINE_TIMEOUT_S, TimeUnit.SECONDS);
        while (line != null && !line.startsWith(prefix) && LOG_LINE.matcher(line).lookingAt())
        {
            System.err.println("viewers: " + line); // the client's own log (e.g. a Netty warning), not the protocol
            line = lines.poll(LINE_TIMEOUT_S, TimeUnit.SECONDS);
        }
        if (line == null || EOF.equals(line))
        {
            throw new IllegalStateException("the viewers' process " + (line == null ? "said nothing for " +
                LINE_TIMEOUT_S + " s" : "ended") + " while the harness waited for '" + prefix + "'");
        }
        if (!line.startsWith(prefix))
        {
            throw new IllegalStateException("the viewers said '" + line + "' where '" + prefix + "' was expected");
        }
        return line;
    }

    @Override
    public void close() throws InterruptedException
    {
        commands.close();
        if (!process.waitFor(10, TimeUnit.SECONDS))
        {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
