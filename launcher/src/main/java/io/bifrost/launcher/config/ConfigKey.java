package io.bifrost.launcher.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One configuration setting: its name, type, default and help text.
 *
 * <p>Names are dotted and lower case ({@code edge.port}); the part before the first dot names the role the key
 * belongs to, or the key is global ({@code data-dir}). Every key can be set in the config file, as an environment
 * variable ({@link #envName()}) and as a flag: {@code --edge.port} everywhere, and the short {@code --port} on the
 * {@code bifrost edge} command ({@link #shortFlag()}).
 *
 * @param name         dotted key name.
 * @param type         how the value is parsed and validated.
 * @param defaultValue default in the file syntax; empty means "unset".
 * @param description  one line for {@code --help}.
 */
public record ConfigKey(String name, ConfigType type, String defaultValue, String description)
{
    /** Prefix of every environment variable Bifrost reads. */
    public static final String ENV_PREFIX = "BIFROST_";

    public ConfigKey
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*"))
        {
            throw new IllegalArgumentException("bad config key name: " + name);
        }
    }

    /**
     * @return the role this key belongs to ({@code edge} for {@code edge.port}), or null for a global key.
     */
    public String role()
    {
        final int dot = name.indexOf('.');
        return dot < 0 ? null : name.substring(0, dot);
    }

    /**
     * @return the flag on the role's own command: {@code --port} for {@code edge.port}, {@code --data-dir} for a global key.
     */
    public String shortFlag()
    {
        return "--" + name.substring(name.indexOf('.') + 1);
    }

    /**
     * @return the flag accepted on every command: {@code --edge.port}.
     */
    public String longFlag()
    {
        return "--" + name;
    }

    /**
     * @return the environment variable: {@code BIFROST_EDGE_PORT} for {@code edge.port}.
     */
    public String envName()
    {
        return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
