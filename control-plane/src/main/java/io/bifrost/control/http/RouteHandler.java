package io.bifrost.control.http;

/**
 * Answers one matched route. Runs on the API worker pool, never on a Netty event loop, so it may block on the
 * database. Thrown {@link ApiException}s become error envelopes; any other exception becomes a 500 with code
 * {@code server.error} and is logged.
 */
@FunctionalInterface
public interface RouteHandler
{
    /**
     * @param request the request, with its path captures.
     * @return the response.
     * @throws ApiException when the request is refused.
     */
    ApiResponse handle(ApiRequest request);
}
