package io.bifrost.ingest.relay;

import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The encoded chunks of one stream since its last video keyframe, bounded in bytes, so a new connection to the origin
 * starts at a keyframe at once instead of waiting for the next one (several seconds with a 2-4 s keyframe interval).
 * Holds references (not copies) to the pooled buffers that were also written. Past the bound the cache is emptied
 * and stays empty until the next keyframe. Not thread-safe: guarded by its stream's monitor.
 */
final class GopCache
{
    /**
     * @param chunk        the encoded HTTP chunk (a retained duplicate owned by the cache).
     * @param timestampMs  the tag's timestamp.
     * @param receivedAtMs when it reached the ingest.
     */
    record CachedTag(ByteBuf chunk, long timestampMs, long receivedAtMs)
    {
    }

    private final int maxBytes;
    private final ArrayDeque<CachedTag> tags = new ArrayDeque<>();
    private long bytes;
    private boolean valid = true;

    /**
     * @param maxBytes the bound; 0 disables the cache.
     */
    GopCache(final int maxBytes)
    {
        this.maxBytes = maxBytes;
    }

    /**
     * @param chunk        the chunk; the cache keeps a retained duplicate, the caller keeps its reference.
     * @param keyframe     whether it starts a new group of pictures.
     * @param timestampMs  the tag's timestamp.
     * @param receivedAtMs when it reached the ingest.
     * @return whether the chunk is kept.
     */
    boolean add(final ByteBuf chunk, final boolean keyframe, final long timestampMs, final long receivedAtMs)
    {
        if (0 == maxBytes)
        {
            return false;
        }
        if (keyframe)
        {
            clear();
            valid = true;
        }
        if (!valid)
        {
            return false;
        }
        tags.addLast(new CachedTag(chunk.retainedDuplicate(), timestampMs, receivedAtMs));
        bytes += chunk.readableBytes();
        if (bytes > maxBytes)
        {
            clear();
            valid = false;
            return false;
        }
        return true;
    }

    /**
     * @return the oldest kept tag, or null when empty.
     */
    CachedTag first()
    {
        return tags.peekFirst();
    }

    /**
     * @param writer gets a new retained duplicate of every kept chunk, oldest first, and owns it.
     */
    /**
     * @return the bytes kept now (what {@link #replay} would write).
     */
    long bytes()
    {
        return bytes;
    }

    void replay(final Consumer<ByteBuf> writer)
    {
        for (final CachedTag tag : tags)
        {
            writer.accept(tag.chunk().retainedDuplicate());
        }
    }

    /**
     * Release every kept chunk.
     */
    void clear()
    {
        CachedTag tag;
        while (null != (tag = tags.pollFirst()))
        {
            tag.chunk().release();
        }
        bytes = 0;
    }
}
