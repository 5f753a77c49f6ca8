package io.bifrost.origin.http;

import java.util.Map;

/**
 * One API request as a handler sees it: path parameters captured by the route, the query parameters (first value
 * of each) and the body (bounded by the server's API body limit).
 *
 * @param method     HTTP method, upper case.
 * @param path       the request path, without query.
 * @param parameters path parameters by name, e.g. {@code id}.
 * @param query      query parameters.
 * @param body       the request body (empty when none); owned by the handler.
 */
public record ApiRequest(String method, String path, Map<String, String> parameters, Map<String, String> query,
    byte[] body)
{
    /**
     * @param name a parameter name from the route pattern.
     * @return its value.
     */
    public String parameter(final String name)
    {
        return parameters.get(name);
    }
}
