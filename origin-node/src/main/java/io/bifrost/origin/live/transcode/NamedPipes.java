package io.bifrost.origin.live.transcode;

import io.bifrost.origin.live.ingest.LiveStreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The named pipes (FIFOs) a live stream's ffmpeg writes its outputs into: one private directory per stream under the
 * work directory, made with {@code mkfifo -m 600} (Java has no API for FIFOs), removed with everything in it when the
 * stream ends. Stateless.
 */
final class NamedPipes
{
    private static final Logger LOG = LoggerFactory.getLogger(NamedPipes.class);

    private NamedPipes()
    {
    }

    /**
     * @param streamId the stream.
     * @param workDir  the live work directory (made if missing).
     * @return a new private directory for the stream's pipes.
     * @throws LiveStreamException (FFMPEG) when it cannot be made.
     */
    static Path directory(final String streamId, final Path workDir)
    {
        try
        {
            Files.createDirectories(workDir);
            return Files.createTempDirectory(workDir, streamId + "-");
        }
        catch (final IOException ex)
        {
            throw new LiveStreamException(LiveStreamException.Reason.FFMPEG, "stream " + streamId +
                ": cannot make a directory for its named pipes in " + workDir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @param streamId  the stream.
     * @param directory its pipe directory.
     * @param pipes     the FIFOs to make there, readable and writable by this user only.
     * @throws LiveStreamException (FFMPEG) when mkfifo fails.
     */
    static void make(final String streamId, final Path directory, final List<Path> pipes)
    {
        final List<String> command = new ArrayList<>(List.of("mkfifo", "-m", "600"));
        pipes.forEach(pipe -> command.add(pipe.toString()));
        try
        {
            final Process mkfifo = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(mkfifo.getInputStream().readNBytes(4096));
            if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || 0 != mkfifo.exitValue())
            {
                mkfifo.destroyForcibly();
                throw new LiveStreamException(LiveStreamException.Reason.FFMPEG, "stream " + streamId +
                    ": mkfifo failed in " + directory + ": " + output.strip());
            }
        }
        catch (final IOException ex)
        {
            throw new LiveStreamException(LiveStreamException.Reason.FFMPEG, "stream " + streamId +
                ": cannot make named pipes in " + directory + ": " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new LiveStreamException(LiveStreamException.Reason.FFMPEG, "interrupted while making pipes", ex);
        }
    }

    /**
     * @param streamId  the stream.
     * @param directory the pipe directory to remove with what is in it; failures are logged, not thrown.
     */
    static void delete(final String streamId, final Path directory)
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            LOG.debug("live {}: cannot remove {}: {}", streamId, directory, ex.toString());
        }
    }
}
