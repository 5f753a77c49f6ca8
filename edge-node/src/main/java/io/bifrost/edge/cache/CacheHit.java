package io.bifrost.edge.cache;

import io.netty.buffer.ByteBuf;

/**
 * An object found in a cache tier, with the response metadata the origin sent when it was filled, so a hit from any
 * tier answers exactly as the original fill did (same status, Content-Type, ETag, Last-Modified, Cache-Control).
 *
 * <p>Ownership: the hit holds whatever keeps its bytes valid (a page reference in the RAM tier, a pooled buffer for the
 * SSD tier); the one who got it calls {@link #release()} once after the last write of {@link #content()} completed.
 * Not thread-safe: one owner at a time, handed from thread to thread with a happens-before edge (a ring or an executor).
 */
public interface CacheHit
{
    /**
     * @return the whole body; the returned buffer's own release does not free the hit (see {@link #release()}).
     */
    ByteBuf content();

    /**
     * @return body length in bytes.
     */
    int length();

    /**
     * @return the origin status that was stored (200).
     */
    int status();

    /**
     * @return Content-Type from the origin, or null.
     */
    String contentType();

    /**
     * @return ETag from the origin, or null.
     */
    String etag();

    /**
     * @return Cache-Control from the origin, or null.
     */
    String cacheControl();

    /**
     * @return Last-Modified from the origin, or null.
     */
    String lastModified();

    /**
     * @param nowMs current time, epoch milliseconds.
     * @return seconds since the object was filled from the origin, for the Age header.
     */
    long ageSeconds(long nowMs);

    /**
     * @return the tier that answered.
     */
    CacheTierName tier();

    /**
     * Give the bytes back; idempotent.
     */
    void release();
}
