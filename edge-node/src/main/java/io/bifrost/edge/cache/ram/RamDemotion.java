package io.bifrost.edge.cache.ram;

import io.bifrost.edge.cache.ResponseMeta;
import io.netty.buffer.ByteBuf;

/**
 * Where the RAM tier sends objects it evicts after they were hit (the SSD tier, through its ring). Both calls run under
 * the RAM tier's monitor on whichever thread made the eviction, so they must be quick and must never block.
 */
public interface RamDemotion
{
    /**
     * Cheap pre-check, so bytes are only copied out of the slab when they will be taken.
     *
     * @param path        the evicted object's path.
     * @param length      its body length.
     * @param expiresAtMs end of its freshness.
     * @return true when {@link #demote} would accept the object now.
     */
    boolean wants(String path, int length, long expiresAtMs);

    /**
     * @param path the evicted object's path.
     * @param meta its response metadata.
     * @param body a copy of its bytes (pooled, direct); owned by the receiver, which releases it.
     */
    void demote(String path, ResponseMeta meta, ByteBuf body);
}
