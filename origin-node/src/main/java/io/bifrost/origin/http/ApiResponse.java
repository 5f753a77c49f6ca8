package io.bifrost.origin.http;

/**
 * What an API handler answers; the server wraps it in the seed's envelope: {@code {"success":true,"data":...}} or
 * {@code {"success":false,"error":{"code":...,"message":...}}}.
 *
 * @param status  HTTP status code.
 * @param data    the payload of a success (serialised with Jackson), or null.
 * @param code    stable error code of a failure, or null.
 * @param message human-readable error message of a failure, or null.
 */
public record ApiResponse(int status, Object data, String code, String message)
{
    /**
     * @param data the payload.
     * @return 200 with the payload.
     */
    public static ApiResponse ok(final Object data)
    {
        return new ApiResponse(200, data, null, null);
    }

    /**
     * @param status  HTTP status, 4xx or 5xx.
     * @param code    stable code.
     * @param message explanation.
     * @return an error response.
     */
    public static ApiResponse error(final int status, final String code, final String message)
    {
        return new ApiResponse(status, null, code, message);
    }

    /**
     * @return true for a success.
     */
    public boolean success()
    {
        return status < 400;
    }
}
