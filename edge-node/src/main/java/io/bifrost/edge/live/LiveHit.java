package io.bifrost.edge.live;

import io.bifrost.edge.cache.BufferHit;
import io.bifrost.edge.cache.CacheTierName;
import io.netty.buffer.ByteBuf;

/**
 * A body from the live store (a part, a segment, a playlist or an MPD) served like a RAM hit: this hit holds one
 * reference to the store's buffer, so the bytes stay valid while Netty writes them even if the store evicts the part
 * meanwhile. No copy: viewers share the one buffer the part was received into.
 */
final class LiveHit extends BufferHit
{
    /** Cache-Control of playlists and manifests: they change with every part. */
    static final String PLAYLIST_CACHE_CONTROL = "public, max-age=1";
    /** Cache-Control of parts and segments before a playlist gave the window's length: names never repeat. */
    static final String MEDIA_CACHE_CONTROL = "public, max-age=20, immutable";

    private final String contentType;
    private final String cacheControl;

    /**
     * @param body         a retained duplicate this hit owns.
     * @param contentType  Content-Type.
     * @param cacheControl Cache-Control.
     */
    LiveHit(final ByteBuf body, final String contentType, final String cacheControl)
    {
        super(body);
        this.contentType = contentType;
        this.cacheControl = cacheControl;
    }

    @Override
    public int status()
    {
        return 200;
    }

    @Override
    public String contentType()
    {
        return contentType;
    }

    @Override
    public String etag()
    {
        return null;
    }

    @Override
    public String cacheControl()
    {
        return cacheControl;
    }

    @Override
    public String lastModified()
    {
        return null;
    }

    @Override
    public long ageSeconds(final long nowMs)
    {
        return 0;
    }

    @Override
    public CacheTierName tier()
    {
        return CacheTierName.RAM;
    }
}
