package io.bifrost.edge.fill;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.List;

/**
 * The origin's status line and the headers an edge forwards to viewers, immutable.
 *
 * @param status        origin status code (200, 404, 410 are passed on; others never reach viewers as-is).
 * @param headers       end-to-end headers kept from the origin response (see {@link #FORWARDED}).
 * @param contentLength body length in bytes, or -1 when the origin streams without a length.
 */
public record FillHead(int status, HttpHeaders headers, long contentLength)
{
    /** Origin headers an edge keeps; hop-by-hop headers and anything else are dropped. */
    public static final List<AsciiString> FORWARDED = List.of(
        HttpHeaderNames.CONTENT_TYPE,
        HttpHeaderNames.CACHE_CONTROL,
        HttpHeaderNames.ETAG,
        HttpHeaderNames.LAST_MODIFIED,
        HttpHeaderNames.EXPIRES,
        HttpHeaderNames.CONTENT_ENCODING);

    /**
     * Keep the forwarded headers of an origin response.
     *
     * @param status        origin status.
     * @param origin        origin headers.
     * @param contentLength the Content-Length, or -1.
     * @return the head.
     */
    public static FillHead from(final int status, final HttpHeaders origin, final long contentLength)
    {
        final HttpHeaders kept = new DefaultHttpHeaders();
        for (final AsciiString name : FORWARDED)
        {
            final String value = origin.get(name);
            if (value != null)
            {
                kept.set(name, value);
            }
        }
        return new FillHead(status, kept, contentLength);
    }
}
