package io.bifrost.launcher.config;

/**
 * A configuration problem, with a message that names the source (file and line, variable or flag) and says what
 * would be accepted. The launcher prints it and exits with status 2.
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and how to fix it.
     */
    public ConfigException(final String message)
    {
        super(message);
    }
}
