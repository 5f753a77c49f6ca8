package io.bifrost.control.http;

import io.netty.handler.codec.http.HttpMethod;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The control plane's route table: method + {@link PathTemplate} to {@link Route}. Routes are added while the server
 * is assembled; after that it is only read, so lookups are thread-safe once the server has started (the server
 * publishes it to its threads when it binds).
 *
 * <p>Lookup is a linear scan: the control plane has tens of routes and answers operator traffic, not viewers. When
 * several templates match a path, the most specific wins (a literal segment beats a capture at the first position
 * where they differ), so {@code POST /api/v1/streams/create} and {@code GET /api/v1/streams/{id}} coexist.
 */
public final class Router
{
    /** Longest path looked up; longer ones are 404 without being split. */
    public static final int MAX_PATH_LENGTH = 2048;

    private final List<Route> routes = new ArrayList<>();

    /**
     * Add a route.
     *
     * @param method   the HTTP method.
     * @param template the path template, e.g. {@code /api/v1/streams/{id}}.
     * @param access   who may call it.
     * @param handler  what answers it.
     * @return this.
     * @throws IllegalArgumentException when the template is malformed or the same method already has a route of the
     *                                  same shape.
     */
    public Router add(final HttpMethod method, final String template, final Access access, final RouteHandler handler)
    {
        final PathTemplate parsed = PathTemplate.parse(template);
        for (final Route route : routes)
        {
            if (route.method().equals(method) && route.template().sameShape(parsed))
            {
                throw new IllegalArgumentException(method + " " + template + " clashes with " + route.template());
            }
        }
        routes.add(new Route(method, parsed, access, handler));
        return this;
    }

    /**
     * @return the routes in the order they were added.
     */
    public List<Route> routes()
    {
        return List.copyOf(routes);
    }

    /**
     * Look a request up.
     *
     * @param method the request method.
     * @param path   the raw request path (no query string).
     * @return what to do with it; never null, never throws for any input.
     */
    public RouteMatch match(final HttpMethod method, final String path)
    {
        if (path == null || path.isEmpty() || path.charAt(0) != '/' || path.length() > MAX_PATH_LENGTH)
        {
            return new RouteMatch.NotFound();
        }
        final List<String> segments = PathTemplate.segments(path);
        Route best = null;
        Map<String, String> bestParams = null;
        Set<HttpMethod> allowed = null;
        for (final Route route : routes)
        {
            final Map<String, String> params = route.template().match(segments);
            if (params == null)
            {
                continue;
            }
            if (route.method().equals(method))
            {
                if (best == null || route.template().compareSpecificity(best.template()) < 0)
                {
                    best = route;
                    bestParams = params;
                }
            }
            else
            {
                if (allowed == null)
                {
                    allowed = new LinkedHashSet<>();
                }
                allowed.add(route.method());
            }
        }
        if (best != null)
        {
            return new RouteMatch.Found(best, bestParams);
        }
        return allowed == null ? new RouteMatch.NotFound() : new RouteMatch.MethodNotAllowed(Set.copyOf(allowed));
    }
}
