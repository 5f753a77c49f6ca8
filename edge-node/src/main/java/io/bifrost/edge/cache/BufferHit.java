package io.bifrost.edge.cache;

import io.netty.buffer.ByteBuf;

/**
 * A hit whose bytes are one buffer it holds a single reference to (the SSD tier's pooled read buffer, the live store's
 * retained duplicate): {@link #content()} hands out retained duplicates, {@link #release()} gives the hit's own
 * reference back exactly once. Subclasses supply the response metadata.
 *
 * <p>{@link #content()}, {@link #length()} and {@link #release()} are final, so a call through {@link CacheHit} still
 * resolves to one method per receiver class (no extra dispatch). Not thread-safe, like every {@link CacheHit}.
 */
public abstract class BufferHit implements CacheHit
{
    private final ByteBuf body;
    private boolean released;

    /**
     * @param body the bytes; the hit takes over one reference to it (released by {@link #release()}).
     */
    protected BufferHit(final ByteBuf body)
    {
        this.body = body;
    }

    /**
     * @return a retained duplicate of the body: the caller releases it, and it stays valid after the hit's own
     *         {@link #release()}; not to be called after that.
     */
    @Override
    public final ByteBuf content()
    {
        return body.retainedDuplicate();
    }

    @Override
    public final int length()
    {
        return body.readableBytes();
    }

    /**
     * Give the hit's reference to the body back; idempotent.
     */
    @Override
    public final void release()
    {
        if (!released)
        {
            released = true;
            body.release();
        }
    }
}
