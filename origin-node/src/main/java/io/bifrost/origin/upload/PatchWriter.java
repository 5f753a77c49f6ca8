package io.bifrost.origin.upload;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams one PATCH body to the upload's data file without holding it in memory. The event loop hands over each
 * chunk ({@link #write}); an I/O thread writes the chunks in order at the upload's offset. When more than
 * {@code maxBufferedBytes} wait for the disk, {@code pause} stops the socket reading; below a quarter of it,
 * {@code resume} starts it again (both run on the event loop).
 *
 * <p>{@link #finish} fsyncs the data, checks {@code Upload-Checksum} (a mismatch truncates the chunk away) and only
 * then records the new offset durably and reports it: nothing is acknowledged before it is on disk. The first
 * {@link ContainerSniffer#WINDOW} bytes of an upload are sniffed as soon as they are written; a non-video upload is
 * rejected there and then. {@link #abort} (connection lost) keeps what arrived when there is no checksum to verify,
 * as tus servers do, else discards it. The caller holds the upload's lock; this writer releases it when done.
 *
 * <p>Thread-safety: {@link #write}, {@link #finish}, {@link #abort} and {@link #cancel} are called on the event loop
 * only; everything else runs serially on the I/O executor; {@link Outcome} is called back on the event loop.
 */
final class PatchWriter
{
    /** How a PATCH ended, reported on the event loop. */
    interface Outcome
    {
        /** @param state the state after the bytes were acknowledged. */
        void committed(UploadState state);

        /** @param refusal why the bytes were not acknowledged. */
        void refused(UploadException refusal);
    }

    private static final Logger LOG = LoggerFactory.getLogger(PatchWriter.class);

    private final TusUploads service;
    private final Upload upload;
    private final long startOffset;
    private final long length;
    private final UploadChecksum checksum;
    private final EventExecutor loop;
    private final Runnable pause;
    private final Runnable resume;
    private final Outcome outcome;
    private final long highWaterBytes;
    private final SerialTasks tasks;
    private final AtomicLong pendingBytes = new AtomicLong();

    private final AtomicBoolean paused = new AtomicBoolean();
    private long received;
    private boolean ended;

    private FileChannel file;
    private MessageDigest digest;
    private long written;
    /** Set once the writer is done (acknowledged, refused or failed): later tasks only release buffers. */
    private volatile boolean failed;

    PatchWriter(
        final TusUploads service,
        final Upload upload,
        final long startOffset,
        final UploadChecksum checksum,
        final EventExecutor loop,
        final Runnable pause,
        final Runnable resume,
        final Outcome outcome)
    {
        this.service = service;
        this.upload = upload;
        this.startOffset = startOffset;
        this.length = upload.state().length();
        this.checksum = checksum;
        this.loop = loop;
        this.pause = pause;
        this.resume = resume;
        this.outcome = outcome;
        this.highWaterBytes = service.context().maxBufferedBytes();
        this.tasks = new SerialTasks(service.io(), ex -> fail(new IOException(ex.toString(), ex)));
        submit(this::open);
    }

    /**
     * @return bytes of this PATCH handed over so far.
     */
    long received()
    {
        return received;
    }

    /**
     * Hand over one chunk of the body; this writer owns (and releases) it.
     *
     * @param chunk the bytes.
     * @return false when the body runs past the upload's length; the chunk was released and the caller should refuse
     *         the request (413) and {@link #cancel()}.
     */
    boolean write(final ByteBuf chunk)
    {
        final int bytes = chunk.readableBytes();
        if (ended || bytes == 0)
        {
            chunk.release();
            return !ended || bytes == 0;
        }
        if (startOffset + received + bytes > length)
        {
            chunk.release();
            return false;
        }
        received += bytes;
        final long pending = pendingBytes.addAndGet(bytes);
        submit(() -> writeChunk(chunk));
        if (pending > highWaterBytes && paused.compareAndSet(false, true))
        {
            pause.run();
            if (pendingBytes.get() < highWaterBytes / 4)
            {
                resumeIfPaused();
            }
        }
        return true;
    }

    /** The body ended: fsync, verify, acknowledge. */
    void finish()
    {
        if (!ended)
        {
            ended = true;
            submit(this::commit);
        }
    }

    /** The connection is gone mid-body: keep what arrived (no checksum) or drop it, and unlock. */
    void abort()
    {
        if (!ended)
        {
            ended = true;
            submit(() -> end(checksum == null));
        }
    }

    /** The request was refused mid-body: drop what arrived and unlock. */
    void cancel()
    {
        if (!ended)
        {
            ended = true;
            submit(() -> end(false));
        }
    }

    private void submit(final Runnable task)
    {
        if (!tasks.submit(task))
        {
            LOG.warn("upload {}: the service is closing; PATCH dropped", upload.state().uploadId());
        }
    }

    private void open()
    {
        try
        {
            file = FileChannel.open(service.store().dataFile(upload.state().uploadId()), StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            if (file.size() > startOffset)
            {
                file.truncate(startOffset);
            }
            file.position(startOffset);
            digest = checksum == null ? null : checksum.algorithm().newDigest();
        }
        catch (final IOException ex)
        {
            fail(ex);
        }
    }

    private void writeChunk(final ByteBuf chunk)
    {
        final int bytes = chunk.readableBytes();
        try
        {
            if (!failed)
            {
                for (final ByteBuffer buffer : chunk.nioBuffers())
                {
                    if (digest != null)
                    {
                        digest.update(buffer.duplicate());
                    }
                    while (buffer.hasRemaining())
                    {
                        file.write(buffer);
                    }
                }
                final long before = startOffset + written;
                written += bytes;
                sniffIfWindowComplete(before);
            }
        }
        catch (final IOException ex)
        {
            fail(ex);
        }
        finally
        {
            chunk.release();
            final long pending = pendingBytes.addAndGet(-bytes);
            if (pending < highWaterBytes / 4 && paused.get())
            {
                loop.execute(this::resumeIfPaused);
            }
        }
    }

    private void resumeIfPaused()
    {
        if (paused.compareAndSet(true, false))
        {
            resume.run();
        }
    }

    private void sniffIfWindowComplete(final long before) throws IOException
    {
        final int window = (int)Math.min(length, ContainerSniffer.WINDOW);
        if (before >= window || startOffset + written < window)
        {
            return;
        }
        final ByteBuffer head = ByteBuffer.allocate(window);
        while (head.hasRemaining() && file.read(head, head.position()) > 0)
        {
            // positional reads until the window is full
        }
        final byte[] bytes = head.array();
        if (ContainerSniffer.detect(bytes, head.position()) == null)
        {
            failed = true;
            closeQuietly();
            final String message = "the upload is not a video file Bifrost accepts (MP4/MOV, Matroska/WebM, FLV, " +
                "MPEG-TS, AVI, MPEG-PS, ASF/WMV, MXF, Ogg, Y4M): " + ContainerSniffer.describe(bytes, head.position());
            try
            {
                service.verdicts().reject(upload, "upload.not_video", message);
            }
            catch (final IOException ex)
            {
                LOG.error("upload {}: cannot record its rejection ({})", upload.state().uploadId(), ex.toString());
            }
            finally
            {
                upload.unlock();
            }
            report(new UploadException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "upload.not_video", message));
        }
    }

    private void commit()
    {
        if (failed)
        {
            return;
        }
        try
        {
            file.force(true);
            if (checksum != null && !checksum.matches(digest.digest()))
            {
                file.truncate(startOffset);
                file.force(true);
                closeQuietly();
                failed = true;
                upload.unlock();
                service.metrics().checksumFailure();
                report(new UploadException(TusProtocol.CHECKSUM_MISMATCH, "tus.checksum_mismatch",
                    "the body's " + checksum.algorithm().tusName() + " digest does not match Upload-Checksum; " +
                    "the chunk was discarded, send it again"));
                return;
            }
            closeQuietly();
            final UploadState state = service.commit(upload, startOffset + written, written);
            failed = true;
            upload.unlock();
            loop.execute(() -> outcome.committed(state));
        }
        catch (final IOException ex)
        {
            fail(ex);
        }
    }

    private void end(final boolean keep)
    {
        if (failed)
        {
            return;
        }
        try
        {
            if (keep && written > 0)
            {
                file.force(true);
                closeQuietly();
                service.commit(upload, startOffset + written, written);
            }
            else
            {
                file.truncate(startOffset);
                closeQuietly();
            }
        }
        catch (final IOException ex)
        {
            LOG.warn("upload {}: could not keep the bytes of an interrupted PATCH ({})", upload.state().uploadId(),
                ex.toString());
        }
        finally
        {
            failed = true;
            upload.unlock();
        }
    }

    private void fail(final IOException ex)
    {
        if (failed)
        {
            return;
        }
        failed = true;
        LOG.error("upload {}: storage failed at offset {} ({})", upload.state().uploadId(), startOffset + written,
            ex.toString());
        try
        {
            if (file != null)
            {
                file.truncate(startOffset);
            }
        }
        catch (final IOException ignored)
        {
            // recovery truncates to the acknowledged offset anyway
        }
        closeQuietly();
        upload.unlock();
        report(new UploadException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "upload.storage_error",
            "the origin could not store the bytes (" + ex.getMessage() + "); resume the upload later"));
    }

    private void report(final UploadException refusal)
    {
        loop.execute(() -> outcome.refused(refusal));
    }

    private void closeQuietly()
    {
        if (file != null)
        {
            try
            {
                file.close();
            }
            catch (final IOException ignored)
            {
                // nothing was acknowledged from an unclosable file
            }
            file = null;
        }
    }
}
