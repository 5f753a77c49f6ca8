package io.bifrost.control.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Objects;

/**
 * A request the API refuses: an HTTP status, a stable machine-readable code (e.g. {@code title.invalid}) and a message
 * for people. Thrown by route handlers and request decoders; the server turns it into the error envelope
 * {@code {"success":false,"error":{"code":..,"message":..}}} and counts it. Never carries a stack trace to the client.
 */
public final class ApiException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;
    private final String code;

    /**
     * @param status  the HTTP status to answer with (4xx for the caller's fault, 5xx for ours).
     * @param code    a stable dotted code clients can switch on.
     * @param message a sentence saying what was wrong and how to fix it.
     */
    public ApiException(final HttpResponseStatus status, final String code, final String message)
    {
        super(message, null, false, false);
        this.status = Objects.requireNonNull(status, "status");
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * @param code    the error code.
     * @param message what was wrong.
     * @return a 400 Bad Request.
     */
    public static ApiException badRequest(final String code, final String message)
    {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, code, message);
    }

    /**
     * @param code    the error code.
     * @param message what was not found.
     * @return a 404 Not Found.
     */
    public static ApiException notFound(final String code, final String message)
    {
        return new ApiException(HttpResponseStatus.NOT_FOUND, code, message);
    }

    /**
     * @return the HTTP status.
     */
    public HttpResponseStatus status()
    {
        return status;
    }

    /**
     * @return the machine-readable code.
     */
    public String code()
    {
        return code;
    }
}
