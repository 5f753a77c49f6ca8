package io.bifrost.protocol.node;

/**
 * Checks shared by every role's {@code Context.conclude()}, so a bad setting fails at start-up with the key's name
 * and what to do, never later on a hot path.
 */
public final class ContextValidation
{
    private ContextValidation()
    {
    }

    /**
     * @param key  the configuration key, e.g. {@code edge.port}.
     * @param port the configured port; 0 asks the OS for an ephemeral port (tests).
     * @return the port.
     * @throws IllegalArgumentException when outside 0..65535.
     */
    public static int requirePort(final String key, final int port)
    {
        if (port < 0 || port > 65_535)
        {
            throw new IllegalArgumentException(key + " must be a TCP/UDP port between 0 and 65535 (0 = any free port), got " +
                port);
        }
        return port;
    }

    /**
     * @param key   the configuration key.
     * @param value the configured value.
     * @return the value.
     * @throws IllegalArgumentException when null or blank.
     */
    public static String requireNonBlank(final String key, final String value)
    {
        if (value == null || value.isBlank())
        {
            throw new IllegalArgumentException(key + " must not be empty");
        }
        return value;
    }
}
