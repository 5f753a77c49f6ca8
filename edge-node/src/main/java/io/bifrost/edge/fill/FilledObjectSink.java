package io.bifrost.edge.fill;

import io.bifrost.protocol.naming.ContentKey;
import io.netty.buffer.ByteBuf;

/**
 * Where a complete origin fill goes before its bytes are released: the cache tiers. Called on the fill's thread,
 * once per successful fill; it must copy what it keeps and must not block for long (a page copy is fine, disk I/O
 * belongs on a ring).
 */
@FunctionalInterface
public interface FilledObjectSink
{
    /** A sink that keeps nothing. */
    FilledObjectSink NONE = (key, head, body) -> { };

    /**
     * @param key  what was filled.
     * @param head the origin's status and forwarded headers.
     * @param body the complete body, borrowed for the call; not consumed.
     */
    void onFilled(ContentKey key, FillHead head, ByteBuf body);
}
