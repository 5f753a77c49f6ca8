package io.bifrost.control.http;

import io.netty.handler.codec.http.HttpMethod;

import java.util.Map;
import java.util.Set;

/**
 * The outcome of looking a request up in the {@link Router}: a route with its captures, no route for the path (404),
 * or routes for the path but not for the method (405 with the methods that are allowed).
 */
public sealed interface RouteMatch
{
    /**
     * @param route  the route to run.
     * @param params its captures.
     */
    record Found(Route route, Map<String, String> params) implements RouteMatch
    {
    }

    /** No route has this path. */
    record NotFound() implements RouteMatch
    {
    }

    /**
     * @param allowed the methods routes for this path accept (for the {@code Allow} header).
     */
    record MethodNotAllowed(Set<HttpMethod> allowed) implements RouteMatch
    {
    }
}
