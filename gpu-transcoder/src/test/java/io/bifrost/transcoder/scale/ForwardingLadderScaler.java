package io.bifrost.transcoder.scale;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A {@link LadderScaler} that passes every call to another one; tests extend it and override the one call they
 * change (a device lost mid-job, a close counter).
 */
public class ForwardingLadderScaler implements LadderScaler
{
    private final LadderScaler delegate;

    /**
     * @param delegate the scaler every call goes to.
     */
    public ForwardingLadderScaler(final LadderScaler delegate)
    {
        this.delegate = delegate;
    }

    @Override
    public ScaleJobTable table()
    {
        return delegate.table();
    }

    @Override
    public int maxFrames()
    {
        return delegate.maxFrames();
    }

    @Override
    public int slots()
    {
        return delegate.slots();
    }

    @Override
    public ByteBuffer input(final int slot)
    {
        return delegate.input(slot);
    }

    @Override
    public void submit(final int slot, final int frames)
    {
        delegate.submit(slot, frames);
    }

    @Override
    public int await(final int slot)
    {
        return delegate.await(slot);
    }

    @Override
    public ByteBuffer output(final int slot)
    {
        return delegate.output(slot);
    }

    @Override
    public int addCanvas(final List<ScaleJobTable> pieces, final byte[] background)
    {
        return delegate.addCanvas(pieces, background);
    }

    @Override
    public void draw(final int slot, final int frame, final int canvas, final int piece)
    {
        delegate.draw(slot, frame, canvas, piece);
    }

    @Override
    public byte[] canvas(final int canvas)
    {
        return delegate.canvas(canvas);
    }

    @Override
    public void close()
    {
        delegate.close();
    }
}
