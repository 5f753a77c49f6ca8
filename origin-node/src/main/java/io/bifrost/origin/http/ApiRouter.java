package io.bifrost.origin.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small router for the management API: routes are a method plus a pattern of literal segments and
 * {@code {name}} captures ({@code /api/v1/videos/{id}/captions/{lang}}); a request path is split on '/' and matched
 * segment by segment, in registration order. A path that no pattern matches is "not found", one that a pattern
 * matches under another method is "method not allowed" with the allowed methods.
 *
 * <p>Input is bounded: paths over {@value #MAX_PATH_LENGTH} characters or {@value #MAX_SEGMENTS} segments match
 * nothing; captured values are 1..{@value #MAX_CAPTURE} characters of {@code [A-Za-z0-9._~-]} (never '/', '%' or
 * anything a file name could abuse), so handlers get clean values. Routes are added before the server starts;
 * matching is then thread-safe.
 */
public final class ApiRouter
{
    /** Longest path matched. */
    public static final int MAX_PATH_LENGTH = 1024;
    /** Most path segments matched. */
    public static final int MAX_SEGMENTS = 16;
    /** Longest captured value. */
    public static final int MAX_CAPTURE = 128;

    /** Handles one matched request; may block (it runs off the event loop); returns, never throws. */
    @FunctionalInterface
    public interface Handler
    {
        /**
         * @param request the request.
         * @return the response.
         */
        ApiResponse handle(ApiRequest request);
    }

    /** The outcome of {@link #match}. */
    public sealed interface Match permits Found, NotFound, MethodNotAllowed
    {
    }

    /**
     * A route matched.
     *
     * @param handler    its handler.
     * @param parameters captured values by name.
     */
    public record Found(Handler handler, Map<String, String> parameters) implements Match
    {
    }

    /** No route has this path. */
    public record NotFound() implements Match
    {
    }

    /**
     * Routes have this path, but not for this method.
     *
     * @param allowed the methods they have, for the {@code Allow} header.
     */
    public record MethodNotAllowed(Set<String> allowed) implements Match
    {
    }

    private record Route(String method, String[] segments, Handler handler)
    {
    }

    private static final NotFound NOT_FOUND = new NotFound();
    private final List<Route> routes = new ArrayList<>();

    /**
     * @param method  HTTP method, upper case.
     * @param pattern e.g. {@code /api/v1/videos/{id}}.
     * @param handler the handler.
     * @return this.
     * @throws IllegalArgumentException when the pattern is not absolute or has an empty segment.
     */
    public ApiRouter add(final String method, final String pattern, final Handler handler)
    {
        if (!pattern.startsWith("/") || pattern.contains("//") || (pattern.length() > 1 && pattern.endsWith("/")))
        {
            throw new IllegalArgumentException("route pattern must be absolute without empty segments: " + pattern);
        }
        routes.add(new Route(method, pattern.substring(1).split("/"), handler));
        return this;
    }

    /**
     * @param method HTTP method of the request.
     * @param path   request path without query.
     * @return what matched.
     */
    public Match match(final String method, final String path)
    {
        final String[] segments = split(path);
        if (segments == null)
        {
            return NOT_FOUND;
        }
        Set<String> allowed = null;
        for (final Route route : routes)
        {
            final Map<String, String> captures = captures(route.segments(), segments);
            if (captures == null)
            {
                continue;
            }
            if (route.method().equals(method))
            {
                return new Found(route.handler(), captures);
            }
            if (allowed == null)
            {
                allowed = new LinkedHashSet<>();
            }
            allowed.add(route.method());
        }
        return allowed == null ? NOT_FOUND : new MethodNotAllowed(Set.copyOf(allowed));
    }

    private static String[] split(final String path)
    {
        if (path == null || path.length() > MAX_PATH_LENGTH || !path.startsWith("/"))
        {
            return null;
        }
        final List<String> segments = new ArrayList<>();
        int start = 1;
        while (start <= path.length())
        {
            int end = path.indexOf('/', start);
            end = end < 0 ? path.length() : end;
            if (segments.size() == MAX_SEGMENTS)
            {
                return null;
            }
            segments.add(path.substring(start, end));
            start = end + 1;
        }
        return segments.toArray(new String[0]);
    }

    private static Map<String, String> captures(final String[] pattern, final String[] segments)
    {
        if (pattern.length != segments.length)
        {
            return null;
        }
        Map<String, String> captures = Map.of();
        for (int i = 0; i < pattern.length; i++)
        {
            final String expected = pattern[i];
            if (expected.length() > 2 && expected.charAt(0) == '{' && expected.charAt(expected.length() - 1) == '}')
            {
                if (!isCaptureValue(segments[i]))
                {
                    return null;
                }
                if (captures.isEmpty())
                {
                    captures = new LinkedHashMap<>();
                }
                captures.put(expected.substring(1, expected.length() - 1), segments[i]);
            }
            else if (!expected.equals(segments[i]))
            {
                return null;
            }
        }
        return captures;
    }

    private static boolean isCaptureValue(final String value)
    {
        if (value.isEmpty() || value.length() > MAX_CAPTURE || ".".equals(value) || "..".equals(value))
        {
            return false;
        }
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                c == '.' || c == '~'))
            {
                return false;
            }
        }
        return true;
    }
}
