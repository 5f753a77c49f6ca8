package io.bifrost.ingest.srt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One ffmpeg child process listening for one SRT caller: MPEG-TS in over SRT, remuxed without re-encoding to FLV
 * on its stdout. Its stderr is drained by a thread of its own (so ffmpeg never blocks on it), watched for the
 * caller's stream id, and its last lines are kept for error messages.
 *
 * <p>Owned by the {@link SrtBridge} thread; {@link #close()} may be called from any thread.
 */
final class FfmpegSrtListener implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(FfmpegSrtListener.class);
    /** ffmpeg stderr lines kept for the error message when it fails. */
    private static final int TAIL_LINES = 12;
    /** Longest stderr line kept whole; ffmpeg lines are short, a longer one is cut. */
    private static final int MAX_LINE_CHARS = 2048;

    private final Process process;
    private final CompletableFuture<String> streamId = new CompletableFuture<>();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final Thread stderrDrain;

    private FfmpegSrtListener(final Process process, final String name)
    {
        this.process = process;
        this.stderrDrain = new Thread(this::drainStderr, name + "-stderr");
        this.stderrDrain.setDaemon(true);
        this.stderrDrain.start();
    }

    /**
     * @param ffmpeg    the ffmpeg executable.
     * @param listenUrl the SRT listener URL ({@code srt://host:port?mode=listener&...}).
     * @param name      thread name prefix.
     * @return the started process.
     * @throws IOException when ffmpeg cannot be started.
     */
    static FfmpegSrtListener start(final String ffmpeg, final String listenUrl, final String name) throws IOException
    {
        final List<String> command = List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "verbose",
            "-f", "mpegts", "-i", listenUrl,
            "-map", "0:v:0?", "-map", "0:a:0?", "-c", "copy",
            "-f", "flv", "-flvflags", "no_duration_filesize", "pipe:1");
        final Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close(); // -nostdin: ffmpeg never reads it
        return new FfmpegSrtListener(process, name);
    }

    /**
     * @return completes with the caller's stream id once ffmpeg accepted a caller; exceptionally when the line
     * announcing it is malformed or ffmpeg exits first.
     */
    CompletableFuture<String> streamId()
    {
        return streamId;
    }

    /**
     * @return the FLV bytes ffmpeg writes.
     */
    InputStream flv()
    {
        return process.getInputStream();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * @return ffmpeg's last stderr lines, for an error message.
     */
    String tail()
    {
        synchronized (tail)
        {
            return String.join(" | ", tail);
        }
    }

    /**
     * @param timeoutMs how long to wait.
     * @return the exit code, or -1 when it is still running.
     */
    int awaitExit(final long timeoutMs) throws InterruptedException
    {
        return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    private void drainStderr()
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                final String kept = line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) : line;
                synchronized (tail)
                {
                    if (tail.size() == TAIL_LINES)
                    {
                        tail.removeFirst();
                    }
                    tail.addLast(kept);
                }
                if (!streamId.isDone())
                {
                    try
                    {
                        final String id = SrtStreamId.fromLogLine(kept);
                        if (null != id)
                        {
                            streamId.complete(id);
                        }
                    }
                    catch (final SrtStreamIdException ex)
                    {
                        streamId.completeExceptionally(ex);
                    }
                }
                LOG.trace("srt ffmpeg: {}", kept);
            }
        }
        catch (final IOException ex)
        {
            LOG.debug("srt ffmpeg stderr closed: {}", ex.toString());
        }
        streamId.completeExceptionally(new IOException("ffmpeg exited before an SRT caller connected: " + tail()));
    }

    /**
     * Ask ffmpeg to stop (SIGTERM) without waiting: it drops its SRT caller and closes the FLV pipe, so the bridge's
     * read ends. Any thread; {@link #close()} still reaps the process.
     */
    public void stop()
    {
        process.destroy();
    }

    /**
     * Stop ffmpeg: SIGTERM, then SIGKILL after a second.
     */
    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroy();
            try
            {
                if (!process.waitFor(1, TimeUnit.SECONDS))
                {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
