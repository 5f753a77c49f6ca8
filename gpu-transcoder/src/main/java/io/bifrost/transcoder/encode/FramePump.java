package io.bifrost.transcoder.encode;

import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ladder.VideoRendition;
import io.bifrost.transcoder.scale.FrameSize;
import io.bifrost.transcoder.scale.LadderScaler;
import io.bifrost.transcoder.scale.PixelLayout;
import io.bifrost.transcoder.scale.ScaleJobTable;

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
 * {@link #frames()} and {@link #failure()} may be read from another thread after the decoder ended.
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

    FramePump(final LadderScaler scaler, final List<ChildProcess> encoders, final List<VideoRendition> video,
        final List<FrameSize> sizes)
    {
        this.scaler = scaler;
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
        while (true)
        {
            final int slot = (int)(submitted % scaler.slots());
            final int read = readFrames(in, scaler.input(slot));
            if (read > 0)
            {
                scaler.submit(slot, read);
                inFlight.add(slot);
                submitted++;
            }
            while (!inFlight.isEmpty() && (inFlight.size() == scaler.slots() || read == 0))
            {
                final int done = inFlight.poll();
                write(scaler.output(done), scaler.await(done), outs);
            }
            if (read == 0)
            {
                return;
            }
        }
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
