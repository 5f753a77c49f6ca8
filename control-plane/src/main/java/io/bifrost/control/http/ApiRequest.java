package io.bifrost.control.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * One API request as a route handler sees it: method, path, the path template's captures, the query, the headers,
 * the whole body (at most the server's body limit) and the caller's address. Immutable once built; owns copies of
 * everything, so it outlives the Netty message it came from.
 */
public final class ApiRequest
{
    private final HttpMethod method;
    private final String path;
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> query;
    private final HttpHeaders headers;
    private final byte[] body;
    private final InetAddress remoteAddress;

    /**
     * @param method        the HTTP method.
     * @param path          the raw path, without the query string.
     * @param pathParams    captures of the matched template, e.g. {@code id -> st_...}.
     * @param query         decoded query parameters.
     * @param headers       the request headers (a copy the caller no longer changes).
     * @param body          the request body; empty when none.
     * @param remoteAddress the peer's address, or null when unknown (it then counts as not loopback).
     */
    public ApiRequest(
        final HttpMethod method,
        final String path,
        final Map<String, String> pathParams,
        final Map<String, List<String>> query,
        final HttpHeaders headers,
        final byte[] body,
        final InetAddress remoteAddress)
    {
        this.method = method;
        this.path = path;
        this.pathParams = Map.copyOf(pathParams);
        this.query = query;
        this.headers = headers;
        this.body = body;
        this.remoteAddress = remoteAddress;
    }

    public HttpMethod method()
    {
        return method;
    }

    public String path()
    {
        return path;
    }

    /**
     * @param name a capture name of the matched template, e.g. {@code id}.
     * @return the captured path segment (not percent-decoded; captures only ever hold URL-unreserved characters).
     * @throws IllegalArgumentException when the template has no such capture (a programming error).
     */
    public String pathParam(final String name)
    {
        final String value = pathParams.get(name);
        if (value == null)
        {
            throw new IllegalArgumentException("route has no capture named " + name);
        }
        return value;
    }

    /**
     * @param name a query parameter name.
     * @return its first value, or null when absent.
     */
    public String queryParam(final String name)
    {
        final List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * A whole-number query parameter within bounds, the rule every list route shares.
     *
     * @param name     a query parameter name.
     * @param fallback its value when absent.
     * @param min      smallest value accepted.
     * @param max      largest value accepted.
     * @return the parameter's first value, or {@code fallback} when absent.
     * @throws ApiException 400 {@code <name>.invalid} when present and not a whole number from {@code min} to
     *                      {@code max}.
     */
    public int intQueryParam(final String name, final int fallback, final int min, final int max)
    {
        final String text = queryParam(name);
        if (text == null)
        {
            return fallback;
        }
        try
        {
            final int value = Integer.parseInt(text);
            if (value >= min && value <= max)
            {
                return value;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // answered below
        }
        throw ApiException.badRequest(name + ".invalid", "'" + name + "' must be a whole number from " + min + " to " + max);
    }

    /**
     * @param name a header name.
     * @return its first value, or null when absent.
     */
    public String header(final CharSequence name)
    {
        return headers.get(name);
    }

    /**
     * @return the body bytes; the array is this request's own and must not be modified.
     */
    public byte[] body()
    {
        return body;
    }

    /**
     * @return the caller's address, or null when unknown.
     */
    public InetAddress remoteAddress()
    {
        return remoteAddress;
    }
}
