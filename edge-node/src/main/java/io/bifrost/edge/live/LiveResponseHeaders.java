package io.bifrost.edge.live;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * The headers of a 200 answer from the live window, the same as a RAM hit gets from the edge's HTTP path
 * ({@code Cache-Status: bifrost; hit}, Content-Type, Cache-Control, {@code Age: 0}, {@code Accept-Ranges}, CORS,
 * Content-Length), built once per shared answer with every value as an {@link AsciiString} so that encoding them for
 * each viewer is a copy.
 */
final class LiveResponseHeaders
{
    /** RFC 9211 header saying how the edge's cache handled the request. */
    static final AsciiString CACHE_STATUS = AsciiString.cached("Cache-Status");
    static final AsciiString HIT = AsciiString.cached("bifrost; hit");
    static final AsciiString AGE_ZERO = AsciiString.cached("0");
    static final AsciiString ANY_ORIGIN = AsciiString.cached("*");
    /** The headers players may read cross-origin (the edge's CORS rule). */
    static final AsciiString EXPOSED_HEADERS = AsciiString.cached("Content-Length, Content-Range, ETag, Last-Modified, Age");

    private LiveResponseHeaders()
    {
    }

    /**
     * @return new headers, not to be modified once shared.
     */
    static HttpHeaders of(final String contentType, final String cacheControl, final int contentLength)
    {
        return DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders()
            .add(CACHE_STATUS, HIT)
            .add(HttpHeaderNames.CONTENT_TYPE, new AsciiString(contentType))
            .add(HttpHeaderNames.CACHE_CONTROL, new AsciiString(cacheControl))
            .add(HttpHeaderNames.AGE, AGE_ZERO)
            .add(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, ANY_ORIGIN)
            .add(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS)
            .add(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES)
            .add(HttpHeaderNames.CONTENT_LENGTH, AsciiString.of(Integer.toString(contentLength)));
    }
}
