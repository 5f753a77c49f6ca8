package io.bifrost.origin.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * CORS for browser players and API clients: any origin may read content and call the API; the headers players need
 * for ranges and caching are exposed.
 */
final class Cors
{
    static final String ALLOWED_METHODS = "GET, HEAD, PUT, POST, DELETE, OPTIONS";
    static final String ALLOWED_HEADERS = "Range, If-None-Match, If-Modified-Since, Content-Type, Authorization";
    static final String EXPOSED_HEADERS = "Content-Length, Content-Range, ETag, Last-Modified, Accept-Ranges";
    static final String PREFLIGHT_MAX_AGE_SECONDS = "86400";

    private Cors()
    {
    }

    static void apply(final HttpHeaders headers)
    {
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
            .set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
    }

    static void applyPreflight(final HttpHeaders headers)
    {
        apply(headers);
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
            .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
            .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE_SECONDS);
    }
}
