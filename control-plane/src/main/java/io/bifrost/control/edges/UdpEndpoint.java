package io.bifrost.control.edges;

/**
 * A {@code host:port} setting ({@code [v6]:port} for IPv6 literals), parsed once when the context concludes.
 *
 * @param host the host, without brackets.
 * @param port the port, 1-65535.
 */
public record UdpEndpoint(String host, int port)
{
    /**
     * @param key   the config key, for the error message.
     * @param value e.g. {@code 0.0.0.0:40458} or {@code [::]:40458}.
     * @return the endpoint.
     * @throws IllegalArgumentException naming the key when the value is not host:port.
     */
    public static UdpEndpoint parse(final String key, final String value)
    {
        final int colon = value == null ? -1 : value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1)
        {
            throw new IllegalArgumentException(key + " must be host:port (e.g. 0.0.0.0:40458), got '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        final int port;
        try
        {
            port = Integer.parseInt(value.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + ": '" + value + "' has no valid port", ex);
        }
        if (port < 1 || port > 65_535 || host.isEmpty())
        {
            throw new IllegalArgumentException(key + ": '" + value + "' needs a host and a port from 1 to 65535");
        }
        return new UdpEndpoint(host, port);
    }
}
