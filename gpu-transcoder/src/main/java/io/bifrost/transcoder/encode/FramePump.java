package io.bifrost.transcoder.encode;

import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ladder.VideoRendition;
import io.bifrost.transcoder.scale.FrameSize;
import io.bifrost.transcoder.scale.LadderScaler;
import io.bifrost.transcoder.scale.PixelLayout;
import io.bifrost.transcoder.scale.ScaleJobTable;
import io.bifrost.transcoder.thumbnail.FrameStills;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves frames from the decoder's stdout through a {@link LadderScaler} into the encoders' stdins, on the decoder's
 * stdout drain thread, for {@link RawFrameLadderEncoder}: read a batch into the next slot, submit it, and once every
 * slot is busy (or at end of stream) write the oldest finished slot, so reading overlaps with scaling. On a failure
 * it remembers the cause and kills the decoder, so a failed job does not decode the rest of the source for nothing.
 * With {@link FrameStills}, each sprite tile and the poster is drawn by the scaler from its frame right after that
 * frame's batch is submitted (a frame past the end: the last one), and both canvases are read back at the end.
 * {@link #frames()}, {@link #failure()} and the canvases may be read from another thread after the decoder ended.
 */
final class FramePump
{
    private final LadderScaler scaler;
    private final List<ChildProcess> encoders;
    private final int[] sizeOfRendition;
    private final long[] renditionBytes;
    private volatile long frames;
    private volatile Throwable failure;
    private volatile ChildProcess decoder;
    private final FrameStills stills;
    private final int[] canvasIds = new int[2];
    private volatile byte[] spriteCanvas;
    private volatile byte[] posterCanvas;

    FramePump(final LadderScaler scaler, final List<ChildProcess> encoders, final List<VideoRendition> video,
        final List<FrameSize> sizes, final FrameStills stills)
    {
        this.scaler = scaler;
        this.stills = stills;
        if (stills != null)
        {
            canvasIds[FrameStills.SPRITE] = scaler.addCanvas(stills.tilePieces(), stills.spriteBackground());
            canvasIds[FrameStills.POSTER] = scaler.addCanvas(stills.posterPieces(), stills.posterBackground());
        }
        this.encoders = encoders;
        this.sizeOfRendition = new int[video.size()];
        this.renditionBytes = new long[video.size()];
        for (int i = 0; i < video.size(); i++)
        {
            final FrameSize size = new FrameSize(video.get(i).width(), video.get(i).height());
            sizeOfRendition[i] = sizes.indexOf(size);
            renditionBytes[i] = PixelLayout.I420.frameBytes(size.width(), size.height());
        }
    }

    long frames()
    {
        return frames;
    }

    Throwable failure()
    {
        return failure;
    }

    /**
     * @return the finished sprite sheet (I420), or null without stills or before the end of stream.
     */
    byte[] spriteCanvas()
    {
        return spriteCanvas;
    }

    /**
     * @return the finished poster (I420), or null without stills or before the end of stream.
     */
    byte[] posterCanvas()
    {
        return posterCanvas;
    }

    void onFailureKill(final ChildProcess decoder)
    {
        this.decoder = decoder;
        if (failure != null)
        {
            decoder.close();
        }
    }

    /**
     * Pump until the decoder's end of stream; on any failure remember it and kill the decoder, so that a failed
     * job does not decode the rest of the source for nothing.
     */
    void run(final InputStream decoded) throws IOException
    {
        try
        {
            pump(decoded);
        }
        catch (final IOException | RuntimeException ex)
        {
            failure = ex;
            final ChildProcess process = decoder;
            if (process != null)
            {
                process.close();
            }
            throw ex;
        }
    }

    private void pump(final InputStream decoded) throws IOException
    {
        final ReadableByteChannel in = Channels.newChannel(decoded);
        final List<WritableByteChannel> outs = new ArrayList<>();
        for (final ChildProcess encoder : encoders)
        {
            outs.add(Channels.newChannel(encoder.stdin()));
        }
        final ArrayDeque<Integer> inFlight = new ArrayDeque<>();
        long submitted = 0;
        long base = 0;
        int nextDraw = 0;
        int lastSlot = -1;
        int lastCount = 0;
        while (true)
        {
            final int slot = (int)(submitted % scaler.slots());
            final int read = readFrames(in, scaler.input(slot));
            if (read > 0)
            {
                scaler.submit(slot, read);
                nextDraw = drawStills(slot, base, read, nextDraw, false);
                inFlight.add(slot);
                submitted++;
                base += read;
                lastSlot = slot;
                lastCount = read;
            }
            while (!inFlight.isEmpty() && (inFlight.size() == scaler.slots() || read == 0))
            {
                final int done = inFlight.poll();
                write(scaler.output(done), scaler.await(done), outs);
            }
            if (read == 0)
            {
                if (stills != null && lastSlot >= 0)
                {
                    // stills after the last frame (a source shorter than planned) take the last frame
                    drawStills(lastSlot, base - lastCount, lastCount, nextDraw, true);
                    spriteCanvas = scaler.canvas(canvasIds[FrameStills.SPRITE]);
                    posterCanvas = scaler.canvas(canvasIds[FrameStills.POSTER]);
                }
                return;
            }
        }
    }

    private int drawStills(final int slot, final long base, final int count, final int firstDraw,
        final boolean rest)
    {
        if (stills == null)
        {
            return firstDraw;
        }
        int next = firstDraw;
        while (next < stills.drawCount())
        {
            final long[] draw = stills.draw(next);
            if (!rest && draw[0] >= base + count)
            {
                break;
            }
            final int frame = (int)Math.min(count - 1, draw[0] - base);
            scaler.draw(slot, frame, canvasIds[(int)draw[1]], (int)draw[2]);
            next++;
        }
        return next;
    }

    private int readFrames(final ReadableByteChannel in, final ByteBuffer buffer) throws IOException
    {
        final long frameBytes = scaler.table().sourceFrameBytes();
        buffer.limit((int)(scaler.maxFrames() * frameBytes));
        while (buffer.hasRemaining())
        {
            if (in.read(buffer) < 0)
            {
                break;
            }
        }
        if (buffer.position() % frameBytes != 0)
        {
            throw new IOException("the decoder's raw output ended inside a frame (" + buffer.position() % frameBytes +
                " of " + frameBytes + " bytes)");
        }
        return (int)(buffer.position() / frameBytes);
    }

    private void write(final ByteBuffer output, final int count, final List<WritableByteChannel> outs)
        throws IOException
    {
        final ScaleJobTable table = scaler.table();
        for (int f = 0; f < count; f++)
        {
            for (int r = 0; r < outs.size(); r++)
            {
                final long start = f * table.outputFrameBytes() + table.outputOffset(sizeOfRendition[r]);
                final ByteBuffer frame = output.duplicate();
                frame.limit((int)(start + renditionBytes[r])).position((int)start);
                while (frame.hasRemaining())
                {
                    outs.get(r).write(frame);
                }
            }
        }
        frames += count;
    }
}
