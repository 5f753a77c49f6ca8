package io.bifrost.transcoder.ffmpeg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One ffmpeg/ffprobe child process, isolated from the node (DESIGN.md section 5): stdin is closed (or, with
 * {@link #startWithStdin}, fed by the caller), stdout is handed
 * to a {@link StdoutDrain} on its own thread, stderr is always drained into a {@link StderrTail}, the exit code or
 * signal becomes a {@link TranscodeException} that quotes stderr, a run that outlives its deadline is killed, and
 * {@link #close()} kills the process (and anything it spawned) if it is still running. Not thread-safe: one owner
 * starts, waits and closes.
 */
public final class ChildProcess implements AutoCloseable
{
    /** Reads a child's stdout until end of stream. */
    @FunctionalInterface
    public interface StdoutDrain
    {
        /**
         * @param stdout the child's stdout; read it to the end.
         * @throws IOException when reading fails.
         */
        void drain(InputStream stdout) throws IOException;
    }

    private static final int STDERR_LINES = 12;

    private final String tool;
    private final Process process;
    private final StderrTail stderrTail = new StderrTail(STDERR_LINES);
    private final Thread stdoutThread;
    private final Thread stderrThread;
    private volatile IOException stdoutFailure;

    private ChildProcess(final String tool, final Process process, final StdoutDrain stdoutDrain)
    {
        this.tool = tool;
        this.process = process;
        this.stderrThread = Thread.ofPlatform().daemon().name(tool + "-stderr-" + process.pid()).start(() ->
        {
            try (InputStream err = process.getErrorStream())
            {
                BoundedLines.forEach(err, StderrTail.MAX_LINE_CHARS * 4, stderrTail::append);
            }
            catch (final IOException ignore)
            {
                // the process was killed; what we have is all there is
            }
        });
        this.stdoutThread = Thread.ofPlatform().daemon().name(tool + "-stdout-" + process.pid()).start(() ->
        {
            try (InputStream in = process.getInputStream())
            {
                try
                {
                    stdoutDrain.drain(in);
                }
                catch (final IOException | RuntimeException ex)
                {
                    stdoutFailure = ex instanceof IOException io ? io : new IOException(ex.toString(), ex);
                }
                // whatever the drain did, keep reading so the child never blocks on a full pipe
                in.transferTo(OutputStream.nullOutputStream());
            }
            catch (final IOException ex)
            {
                if (stdoutFailure == null)
                {
                    stdoutFailure = ex;
                }
            }
        });
    }

    /**
     * @param command     the executable and its arguments (no shell is involved).
     * @param workDir     working directory, or {@code null} for the current one.
     * @param stdoutDrain what to do with stdout.
     * @return the running process.
     * @throws TranscodeException when the executable cannot be started.
     */
    public static ChildProcess start(final List<String> command, final Path workDir, final StdoutDrain stdoutDrain)
        throws TranscodeException
    {
        return start(command, workDir, stdoutDrain, false);
    }

    /**
     * Like {@link #start(List, Path, StdoutDrain)}, but stdin stays open for the caller to feed (raw frames for an
     * encoder): write to {@link #stdin()} and close it to signal the end of input.
     *
     * @param command     the executable and its arguments.
     * @param workDir     working directory, or {@code null}.
     * @param stdoutDrain what to do with stdout.
     * @return the running process.
     * @throws TranscodeException when the executable cannot be started.
     */
    public static ChildProcess startWithStdin(final List<String> command, final Path workDir,
        final StdoutDrain stdoutDrain) throws TranscodeException
    {
        return start(command, workDir, stdoutDrain, true);
    }

    private static ChildProcess start(final List<String> command, final Path workDir, final StdoutDrain stdoutDrain,
        final boolean keepStdin) throws TranscodeException
    {
        final String tool = Path.of(command.get(0)).getFileName().toString();
        final ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        if (workDir != null)
        {
            builder.directory(workDir.toFile());
        }
        try
        {
            final Process process = builder.start();
            if (!keepStdin)
            {
                process.getOutputStream().close();
            }
            return new ChildProcess(tool, process, stdoutDrain);
        }
        catch (final IOException ex)
        {
            throw new TranscodeException(tool + " could not be started (" + command.get(0) + "): " + ex.getMessage() +
                "; is ffmpeg installed?", ex);
        }
    }

    /**
     * Wait for the process to exit and both streams to be drained.
     *
     * @param timeout the longest wait; past it the process is killed.
     * @return the exit code, always 0 (any other outcome throws).
     * @throws TranscodeException on a non-zero exit, a signal, a timeout, a stdout read failure or interruption.
     */
    public int awaitSuccess(final Duration timeout) throws TranscodeException
    {
        final int exitCode = awaitExit(timeout);
        if (exitCode != 0)
        {
            throw new TranscodeException(tool + " failed: " + describeExit(exitCode) + ": " + stderrTail.summary());
        }
        if (stdoutFailure != null)
        {
            throw new TranscodeException(tool + " output could not be read: " + stdoutFailure.getMessage(),
                stdoutFailure);
        }
        return exitCode;
    }

    /**
     * Wait for the process to exit and both streams to be drained.
     *
     * @param timeout the longest wait; past it the process is killed.
     * @return the exit code.
     * @throws TranscodeException on timeout or interruption (the process is killed in both cases).
     */
    public int awaitExit(final Duration timeout) throws TranscodeException
    {
        try
        {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                kill();
                throw new TranscodeException(tool + " ran longer than " + timeout.toSeconds() + " s and was killed: " +
                    stderrTail.summary());
            }
            stdoutThread.join(Duration.ofSeconds(5));
            stderrThread.join(Duration.ofSeconds(5));
            return process.exitValue();
        }
        catch (final InterruptedException ex)
        {
            kill();
            Thread.currentThread().interrupt();
            throw new TranscodeException(tool + " was interrupted and killed", ex);
        }
    }

    /**
     * @return the last meaningful stderr lines so far.
     */
    public StderrTail stderr()
    {
        return stderrTail;
    }

    /**
     * @return the child's stdin: open only when started with {@link #startWithStdin}; the caller owns closing it.
     */
    public OutputStream stdin()
    {
        return process.getOutputStream();
    }

    /**
     * @return the OS process id.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * Kill the process and its descendants if they still run.
     */
    @Override
    public void close()
    {
        kill();
    }

    private void kill()
    {
        if (process.isAlive())
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try
            {
                process.waitFor(5, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** POSIX shells and Java report death by signal N as exit code 128 + N. */
    static String describeExit(final int exitCode)
    {
        if (exitCode > 128 && exitCode < 160)
        {
            final int signal = exitCode - 128;
            return "killed by signal " + signal + (signal == 9 ? " (SIGKILL, e.g. out of memory)" :
                signal == 11 ? " (SIGSEGV: the decoder crashed)" : "") + " (exit code " + exitCode + ")";
        }
        return "exit code " + exitCode;
    }
}
