package io.bifrost.control.http;

import io.netty.handler.codec.http.HttpMethod;

/**
 * One entry of the {@link Router}: method + path template, who may call it, and its handler.
 *
 * @param method   the HTTP method.
 * @param template the path template.
 * @param access   who may call it.
 * @param handler  what answers it.
 */
public record Route(HttpMethod method, PathTemplate template, Access access, RouteHandler handler)
{
}
