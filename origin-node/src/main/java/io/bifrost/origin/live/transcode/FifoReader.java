package io.bifrost.origin.live.transcode;

import io.bifrost.origin.live.CmafTrackSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads one ffmpeg output from its named pipe on its own thread and hands the bytes, as they come, to the rendition's
 * {@link CmafTrackSink}; at end of file it ends the track. The reader opens the pipe before ffmpeg does (opening a
 * FIFO blocks until both ends are open, and ffmpeg opens its outputs one after another), and keeps draining even
 * after the packager refused the track, so one bad rendition never stalls ffmpeg and with it the others.
 *
 * <p>If ffmpeg exits without ever opening the pipe, {@link #release()} opens it itself (read-write, which never
 * blocks) so the reader's blocked open returns and it sees end of file.
 */
final class FifoReader
{
    private static final Logger LOG = LoggerFactory.getLogger(FifoReader.class);
    private static final int CHUNK_BYTES = 64 * 1024;

    private final String streamId;
    private final String rendition;
    private final Path fifo;
    private final CmafTrackSink sink;
    private final Thread thread;
    private volatile boolean opened;
    private volatile String refusal;
    private volatile long bytes;

    FifoReader(final String streamId, final String rendition, final Path fifo, final CmafTrackSink sink)
    {
        this.streamId = streamId;
        this.rendition = rendition;
        this.fifo = fifo;
        this.sink = sink;
        this.thread = Thread.ofPlatform().daemon().name("live-" + streamId + "-" + rendition).unstarted(this::run);
    }

    void start()
    {
        thread.start();
    }

    private void run()
    {
        final byte[] buffer = new byte[CHUNK_BYTES];
        final ByteBuffer view = ByteBuffer.wrap(buffer);
        try (InputStream in = new FileInputStream(fifo.toFile()))
        {
            opened = true;
            int read;
            while ((read = in.read(buffer)) >= 0)
            {
                if (0 == read || null != refusal)
                {
                    continue;
                }
                bytes += read;
                try
                {
                    view.clear().limit(read);
                    sink.accept(view);
                }
                catch (final RuntimeException ex)
                {
                    refusal = ex instanceof IllegalArgumentException ? ex.getMessage() : ex.toString();
                    LOG.warn("live {}: the packager refused rendition {}: {}", streamId, rendition, ex.getMessage());
                    endQuietly();
                }
            }
        }
        catch (final IOException ex)
        {
            LOG.warn("live {}: reading rendition {} from ffmpeg failed: {}", streamId, rendition, ex.toString());
        }
        finally
        {
            opened = true;
            if (null == refusal)
            {
                endQuietly();
            }
        }
    }

    private void endQuietly()
    {
        try
        {
            sink.end();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("live {}: ending rendition {} failed: {}", streamId, rendition, ex.toString());
        }
    }

    /**
     * After ffmpeg exited: unblock a reader still waiting for ffmpeg to open the pipe.
     */
    void release()
    {
        if (!opened && thread.isAlive())
        {
            // read-write never blocks on Linux, counts as a writer (the reader's open returns) and closes at once
            try (RandomAccessFile ignored = new RandomAccessFile(fifo.toFile(), "rw"))
            {
                LOG.debug("live {}: released rendition {}'s pipe that ffmpeg never opened", streamId, rendition);
            }
            catch (final IOException ex)
            {
                LOG.warn("live {}: cannot release the pipe of rendition {}: {}", streamId, rendition, ex.toString());
            }
        }
    }

    /**
     * @param timeout the longest wait.
     * @return whether the reader finished (and ended its track).
     * @throws InterruptedException when interrupted.
     */
    boolean join(final Duration timeout) throws InterruptedException
    {
        return thread.join(timeout);
    }

    /**
     * @return why the packager refused this rendition, or null.
     */
    String refusal()
    {
        return refusal;
    }

    /**
     * @return bytes read so far.
     */
    long bytes()
    {
        return bytes;
    }

    /**
     * @return the rendition's name.
     */
    String rendition()
    {
        return rendition;
    }
}
