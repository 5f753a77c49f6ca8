package io.bifrost.control.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a route answers: a status and either JSON data (sent inside the success envelope
 * {@code {"success":true,"data":...}}) or plain text (health and metrics), plus extra headers. Immutable.
 *
 * @param status      the HTTP status.
 * @param data        the value serialised by Jackson as the envelope's {@code data}, or null for a text response.
 * @param text        the plain-text body, or null for a JSON response.
 * @param contentType the text body's Content-Type, or null for JSON.
 * @param headers     extra response headers.
 */
public record ApiResponse(HttpResponseStatus status, Object data, String text, String contentType, Map<String, String> headers)
{
    public ApiResponse
    {
        Objects.requireNonNull(status, "status");
        headers = Map.copyOf(headers);
    }

    /**
     * @param data the envelope's data.
     * @return a 200 with the success envelope.
     */
    public static ApiResponse ok(final Object data)
    {
        return new ApiResponse(HttpResponseStatus.OK, data, null, null, Map.of());
    }

    /**
     * @param data the envelope's data.
     * @return a 201 Created with the success envelope.
     */
    public static ApiResponse created(final Object data)
    {
        return new ApiResponse(HttpResponseStatus.CREATED, data, null, null, Map.of());
    }

    /**
     * @param status      the status.
     * @param contentType e.g. {@code text/plain; charset=utf-8}.
     * @param text        the body.
     * @return a plain-text response (no envelope).
     */
    public static ApiResponse text(final HttpResponseStatus status, final String contentType, final String text)
    {
        return new ApiResponse(status, null, Objects.requireNonNull(text, "text"), contentType, Map.of());
    }

    /**
     * @param name  a header name.
     * @param value its value.
     * @return a copy with the header added.
     */
    public ApiResponse withHeader(final String name, final String value)
    {
        final Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, data, text, contentType, more);
    }
}
