package io.bifrost.edge.cache;

import io.bifrost.edge.fill.FillHead;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * What a cache tier keeps of an origin response besides the body: the status and the headers a hit answers with,
 * plus when it was filled and until when it is fresh. Immutable.
 *
 * @param status       origin status (200).
 * @param contentType  Content-Type, or null.
 * @param etag         ETag, or null.
 * @param cacheControl Cache-Control, or null.
 * @param lastModified Last-Modified, or null.
 * @param storedAtMs   when the origin fill completed, epoch milliseconds (Age counts from here in every tier).
 * @param expiresAtMs  end of freshness, epoch milliseconds.
 */
public record ResponseMeta(
    int status,
    String contentType,
    String etag,
    String cacheControl,
    String lastModified,
    long storedAtMs,
    long expiresAtMs)
{
    /**
     * @param head       the origin head.
     * @param storedAtMs fill time.
     * @param ttlMs      freshness from the head's Cache-Control.
     * @return the metadata to keep.
     */
    public static ResponseMeta of(final FillHead head, final long storedAtMs, final long ttlMs)
    {
        final HttpHeaders headers = head.headers();
        return new ResponseMeta(head.status(), headers.get(HttpHeaderNames.CONTENT_TYPE),
            headers.get(HttpHeaderNames.ETAG), headers.get(HttpHeaderNames.CACHE_CONTROL),
            headers.get(HttpHeaderNames.LAST_MODIFIED), storedAtMs, storedAtMs + ttlMs);
    }

    /**
     * @param length body length.
     * @return the head a tier stores the object with, as if it came from the origin.
     */
    public FillHead toHead(final long length)
    {
        final HttpHeaders headers = new DefaultHttpHeaders();
        setIfPresent(headers, HttpHeaderNames.CONTENT_TYPE, contentType);
        setIfPresent(headers, HttpHeaderNames.ETAG, etag);
        setIfPresent(headers, HttpHeaderNames.CACHE_CONTROL, cacheControl);
        setIfPresent(headers, HttpHeaderNames.LAST_MODIFIED, lastModified);
        return new FillHead(status, headers, length);
    }

    /**
     * @param nowMs current time.
     * @return true while the object may be served without asking the origin.
     */
    public boolean isFresh(final long nowMs)
    {
        return nowMs < expiresAtMs;
    }

    private static void setIfPresent(final HttpHeaders headers, final CharSequence name, final String value)
    {
        if (value != null)
        {
            headers.set(name, value);
        }
    }
}
