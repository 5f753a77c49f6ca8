package io.bifrost.origin.upload;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the upload service refuses: the HTTP status to answer with, a stable machine-readable {@link #code()}
 * (the {@code error.code} of the JSON envelope and a metric tag) and a message for the uploader. Cheap to throw: no
 * stack trace, since it describes bad input, not a bug.
 */
public final class UploadException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;
    private final String code;

    /**
     * @param status  the HTTP status to answer with.
     * @param code    stable error code, e.g. {@code tus.offset_mismatch}.
     * @param message what was wrong and what to do.
     */
    public UploadException(final HttpResponseStatus status, final String code, final String message)
    {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /**
     * @return the HTTP status.
     */
    public HttpResponseStatus status()
    {
        return status;
    }

    /**
     * @return the stable error code.
     */
    public String code()
    {
        return code;
    }

    static UploadException badRequest(final String code, final String message)
    {
        return new UploadException(HttpResponseStatus.BAD_REQUEST, code, message);
    }
}
