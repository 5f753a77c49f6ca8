package io.bifrost.origin.live.transcode;

import io.bifrost.transcoder.encode.RawFrameLadderEncoder;
import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.VideoRendition;
import io.bifrost.transcoder.live.LiveScaleBatcher;
import io.bifrost.transcoder.live.LiveScaleStream;
import io.bifrost.transcoder.scale.FrameSize;
import io.bifrost.transcoder.scale.PixelLayout;
import io.bifrost.transcoder.scale.ScaleJobTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The batched scaling path of one live stream (docs/live.md "Batched scaling"): the stream's decoder (an ffmpeg that
 * turns the FLV into raw I420 frames, {@link LiveLadderCommand#decoderArguments}) hands each frame to
 * {@link #readFrames}, which offers it to the origin's shared {@link LiveScaleBatcher}; the batcher scales the frames
 * of every stream with this geometry in one launch (the CUDA kernel on a GPU, its CPU reference elsewhere) and gives
 * this stream all rungs of each frame, which a writer thread feeds to one libx264 ffmpeg per rung
 * ({@link LiveLadderCommand#rungEncoderArguments}) writing the rung's fMP4 into its pipe, as the one-process path does.
 * <p>
 * No frame is dropped: an encoder counts frames to time them, so a lost frame would shift the picture against the
 * sound. Instead the stream holds {@value #OUTPUT_SLOTS} frames at most between the decoder and the encoders (credits
 * taken before a frame is offered and given back once every encoder has it), and waits for room in the batcher; a
 * slow encoder therefore slows the decoder, which stops reading its stdin, which pauses the publisher through the
 * ingest queue, exactly as a slow one-process ffmpeg would. Memory is fixed at start: the slots, one source frame and
 * the batcher's per-stream ring.
 * <p>
 * Failures (an encoder that exits or stops reading, frames out of order) are kept as {@link #failure()}, kill the
 * decoder so the publisher's next write fails, and are quoted with the encoder's last stderr lines.
 * <p>
 * Threads: {@link #readFrames} on the decoder's stdout drain, the sink on the batcher's thread, one writer thread;
 * {@link #finish} and {@link #close} from the stream's thread.
 */
final class RawFrameLadder implements AutoCloseable
{
    /** Frames between the decoder and the encoders, at most: about a third of a second at 25 fps. */
    static final int OUTPUT_SLOTS = 8;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final AtomicLong IDS = new AtomicLong();
    private static final Logger LOG = LoggerFactory.getLogger(RawFrameLadder.class);

    private final String streamId;
    private final List<VideoRendition> renditions;
    private final ScaleJobTable table;
    private final int[] rungOffsets;
    private final int[] rungBytes;
    private final List<ChildProcess> encoders = new ArrayList<>();
    private final Semaphore credits = new Semaphore(OUTPUT_SLOTS);
    private final ArrayBlockingQueue<byte[]> free = new ArrayBlockingQueue<>(OUTPUT_SLOTS);
    private final ArrayBlockingQueue<byte[]> filled = new ArrayBlockingQueue<>(OUTPUT_SLOTS);
    private final Thread writer;
    private LiveScaleStream scale;
    private volatile ChildProcess decoder;
    private volatile String failure;
    private volatile boolean closing;
    private long nextDelivered;
    private volatile long framesRead;
    private volatile long framesWritten;

    private RawFrameLadder(final String streamId, final LadderPlan plan, final FrameSize decoded)
    {
        this.streamId = streamId;
        this.renditions = plan.video();
        final List<FrameSize> sizes = RawFrameLadderEncoder.rungSizes(plan);
        this.table = new ScaleJobTable(decoded, PixelLayout.I420, sizes, PixelLayout.I420);
        this.rungOffsets = new int[renditions.size()];
        this.rungBytes = new int[renditions.size()];
        for (int i = 0; i < renditions.size(); i++)
        {
            final VideoRendition rendition = renditions.get(i);
            final int rung = sizes.indexOf(new FrameSize(rendition.width(), rendition.height()));
            rungOffsets[i] = (int)table.outputOffset(rung);
            rungBytes[i] = (int)((rung + 1 < sizes.size() ? table.outputOffset(rung + 1) : table.outputFrameBytes()) -
                table.outputOffset(rung));
        }
        for (int i = 0; i < OUTPUT_SLOTS; i++)
        {
            free.add(new byte[(int)table.outputFrameBytes()]);
        }
        this.writer = new Thread(this::writeFrames, "live-rungs-" + streamId);
        this.writer.setDaemon(true);
    }

    /**
     * Start one encoder per rung, join the batcher and start the writer; the decoder comes next, with
     * {@link #readFrames} as its stdout drain, and is handed over through {@link #decoder(ChildProcess)}.
     *
     * @param streamId  the stream, for messages.
     * @param command   the stream's ladder command (pipes, encoder settings).
     * @param decoded   the raw frames' size.
     * @param batcher   the origin's batcher.
     * @param directory the stream's pipe directory (the encoders' working directory).
     * @return the running ladder.
     * @throws TranscodeException when an encoder cannot start.
     * @throws IllegalStateException when the batcher refuses the stream (its geometry group is full, or it is closed).
     */
    static RawFrameLadder start(final String streamId, final LiveLadderCommand command, final FrameSize decoded,
        final LiveScaleBatcher batcher, final Path directory) throws TranscodeException
    {
        final RawFrameLadder ladder = new RawFrameLadder(streamId, command.plan(), decoded);
        try
        {
            for (int i = 0; i < ladder.renditions.size(); i++)
            {
                ladder.encoders.add(ChildProcess.startWithStdin(command.rungEncoderArguments(i), directory,
                    stdout -> stdout.transferTo(OutputStream.nullOutputStream())));
            }
            ladder.scale = batcher.register(IDS.incrementAndGet(), ladder.table, ladder::onRungs);
        }
        catch (final TranscodeException | RuntimeException ex)
        {
            ladder.close();
            throw ex;
        }
        ladder.writer.start();
        return ladder;
    }

    /**
     * @param process the decoder, killed when the ladder fails so that the publisher's writes stop.
     */
    void decoder(final ChildProcess process)
    {
        decoder = process;
        if (null != failure)
        {
            process.close();
        }
    }

    /**
     * The decoder's stdout drain: read whole raw frames and offer each to the batcher, waiting for a free slot and
     * for room in the batcher rather than dropping.
     *
     * @param stdout the decoder's raw frames.
     * @throws IOException when reading fails.
     */
    void readFrames(final InputStream stdout) throws IOException
    {
        final int frameBytes = (int)table.sourceFrameBytes();
        final byte[] frame = new byte[frameBytes];
        while (true)
        {
            final int got = stdout.readNBytes(frame, 0, frameBytes);
            if (got < frameBytes)
            {
                if (got > 0)
                {
                    LOG.warn("live {}: the decoder ended with a partial frame ({} of {} bytes), dropped", streamId, got,
                        frameBytes);
                }
                return;
            }
            try
            {
                if (!takeCredit() || !awaitRoom() || !scale.offer(frame, 0, framesRead))
                {
                    stdout.transferTo(OutputStream.nullOutputStream()); // failed or closed: let the decoder end
                    return;
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
            framesRead++;
        }
    }

    private boolean takeCredit() throws InterruptedException
    {
        while (!credits.tryAcquire(POLL_NANOS, TimeUnit.NANOSECONDS))
        {
            if (stopped())
            {
                return false;
            }
        }
        return !stopped();
    }

    private boolean awaitRoom() throws InterruptedException
    {
        while (!scale.awaitRoom(POLL_NANOS))
        {
            if (stopped())
            {
                return false;
            }
        }
        return true;
    }

    private boolean stopped()
    {
        return closing || null != failure;
    }

    /** The batcher's sink: copy every rung of the frame into a free slot for the writer (never blocks). */
    private void onRungs(final long pts, final ByteBuffer rungs)
    {
        if (pts != nextDelivered)
        {
            fail("frame " + pts + " came back from the scaler where frame " + nextDelivered + " was due");
            return;
        }
        nextDelivered++;
        final byte[] slot = free.poll();
        if (null == slot)
        {
            fail("no free output slot for frame " + pts + " (more than " + OUTPUT_SLOTS + " frames in flight)");
            return;
        }
        rungs.get(rungs.position(), slot, 0, slot.length);
        filled.add(slot);
    }

    private void writeFrames()
    {
        try
        {
            while (!closing && null == failure)
            {
                final byte[] slot = filled.poll(POLL_NANOS, TimeUnit.NANOSECONDS);
                if (null == slot)
                {
                    continue;
                }
                for (int i = 0; i < encoders.size(); i++)
                {
                    if (!write(i, slot))
                    {
                        return;
                    }
                }
                free.add(slot);
                framesWritten++;
                credits.release();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private boolean write(final int rendition, final byte[] slot)
    {
        final OutputStream stdin = encoders.get(rendition).stdin();
        try
        {
            stdin.write(slot, rungOffsets[rendition], rungBytes[rendition]);
            stdin.flush();
            return true;
        }
        catch (final IOException ex)
        {
            if (closing)
            {
                return false; // killed by close()
            }
            fail("rendition " + renditions.get(rendition).name() + "'s encoder stopped reading: " +
                exitDescription(encoders.get(rendition)));
            return false;
        }
    }

    private static String exitDescription(final ChildProcess process)
    {
        try
        {
            return "exit code " + process.awaitExit(Duration.ofSeconds(2)) + ": " + process.stderr().summary();
        }
        catch (final TranscodeException ex)
        {
            return ex.getMessage();
        }
    }

    private void fail(final String reason)
    {
        if (null == failure)
        {
            failure = reason;
            LOG.warn("live {}: batched ladder failed: {}", streamId, reason);
        }
        final ChildProcess running = decoder;
        if (null != running)
        {
            running.close();
        }
    }

    /**
     * @return why the ladder failed, or null.
     */
    String failure()
    {
        return failure;
    }

    /**
     * After the decoder exited (every frame is offered): wait until the encoders have every frame, close their input
     * and wait for them to write their last fragments.
     *
     * @param timeout the longest wait for each step.
     * @return why it failed, or null.
     */
    String finish(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        if (null == failure && !allFramesEncoded(deadline))
        {
            fail((OUTPUT_SLOTS - credits.availablePermits()) + " frames were still being scaled or encoded after " +
                timeout);
        }
        closing = true;
        joinWriter();
        scale.close();
        for (int i = 0; i < encoders.size(); i++)
        {
            final ChildProcess encoder = encoders.get(i);
            try
            {
                encoder.stdin().close();
                final int exit = encoder.awaitExit(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (0 != exit && null == failure)
                {
                    failure = "rendition " + renditions.get(i).name() + "'s encoder exited with code " + exit + ": " +
                        encoder.stderr().summary();
                }
            }
            catch (final IOException | TranscodeException ex)
            {
                if (null == failure)
                {
                    failure = "rendition " + renditions.get(i).name() + "'s encoder: " + ex.getMessage();
                }
            }
        }
        return failure;
    }

    /** Every credit back (each frame offered has reached every encoder), waiting until a failure or the deadline. */
    private boolean allFramesEncoded(final long deadline)
    {
        try
        {
            while (null == failure && System.nanoTime() < deadline)
            {
                if (credits.tryAcquire(OUTPUT_SLOTS, Math.min(POLL_NANOS, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS))
                {
                    credits.release(OUTPUT_SLOTS);
                    return true;
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void joinWriter()
    {
        if (Thread.currentThread() == writer || !writer.isAlive())
        {
            return;
        }
        try
        {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return frames handed to the batcher, and frames every encoder has.
     */
    String describe()
    {
        return framesRead + " frames scaled in batches, " + framesWritten + " encoded";
    }

    /** Stop at once: leave the batcher, stop the writer and kill the encoders. Idempotent. */
    @Override
    public void close()
    {
        closing = true;
        if (null != scale)
        {
            scale.close();
        }
        for (final ChildProcess encoder : encoders)
        {
            encoder.close();
        }
        joinWriter();
    }
}
