package io.bifrost.edge.ring;

import io.bifrost.edge.cache.ResponseMeta;
import io.bifrost.protocol.naming.ContentKey;
import io.netty.buffer.ByteBuf;

/**
 * A pre-allocated slot of the {@link TierRing}: one lookup, write or placement change. Written by the producer that
 * claimed the slot, read and cleared by the ring's thread.
 */
final class TierTask
{
    enum Kind
    {
        LOOKUP, STALE_LOOKUP, WRITE, REMOVE, PIN, UNPIN
    }

    Kind kind;
    ContentKey key;
    String path;
    boolean ramFirst;
    TierRing.LookupCallback callback;
    ResponseMeta meta;
    ByteBuf body;
    boolean demoted;

    void lookup(final ContentKey key, final boolean ramFirst, final TierRing.LookupCallback callback)
    {
        this.kind = Kind.LOOKUP;
        this.key = key;
        this.ramFirst = ramFirst;
        this.callback = callback;
    }

    void write(final ContentKey key, final String path, final ResponseMeta meta, final ByteBuf body, final boolean demoted)
    {
        this.kind = Kind.WRITE;
        this.key = key;
        this.path = path;
        this.meta = meta;
        this.body = body;
        this.demoted = demoted;
    }

    void staleLookup(final ContentKey key, final TierRing.LookupCallback callback)
    {
        this.kind = Kind.STALE_LOOKUP;
        this.key = key;
        this.callback = callback;
    }

    void placement(final Kind kind, final String path)
    {
        this.kind = kind;
        this.path = path;
    }

    String path()
    {
        return key != null ? key.path() : path;
    }

    void clear()
    {
        kind = null;
        key = null;
        path = null;
        callback = null;
        meta = null;
        body = null;
    }
}
