package io.bifrost.edge.cache.ssd;

import io.bifrost.edge.cache.BufferHit;
import io.bifrost.edge.cache.CacheTierName;
import io.bifrost.edge.cache.ResponseMeta;
import io.netty.buffer.ByteBuf;

/**
 * An SSD-tier hit: the metadata and the body, read from RocksDB into a pooled direct buffer and checked against its
 * CRC32C. The hit owns the buffer; {@link #release()} frees it.
 */
public final class SsdHit extends BufferHit
{
    private final ResponseMeta meta;

    SsdHit(final ResponseMeta meta, final ByteBuf body)
    {
        super(body);
        this.meta = meta;
    }

    /**
     * @return status, headers, fill time and expiry (to promote the object to the RAM tier).
     */
    public ResponseMeta meta()
    {
        return meta;
    }

    /**
     * @return a new reference to the body (release it when done), e.g. to copy it into the RAM tier.
     */
    public ByteBuf retainedBody()
    {
        return content();
    }

    @Override
    public int status()
    {
        return meta.status();
    }

    @Override
    public String contentType()
    {
        return meta.contentType();
    }

    @Override
    public String etag()
    {
        return meta.etag();
    }

    @Override
    public String cacheControl()
    {
        return meta.cacheControl();
    }

    @Override
    public String lastModified()
    {
        return meta.lastModified();
    }

    @Override
    public long ageSeconds(final long nowMs)
    {
        return Math.max(0, (nowMs - meta.storedAtMs()) / 1000);
    }

    @Override
    public CacheTierName tier()
    {
        return CacheTierName.SSD;
    }
}
