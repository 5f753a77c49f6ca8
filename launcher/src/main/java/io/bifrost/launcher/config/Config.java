package io.bifrost.launcher.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The effective configuration of one process: every {@link ConfigKey} resolved from, in increasing precedence,
 * its default, the config file, {@code BIFROST_*} environment variables and command-line flags, and validated.
 * Immutable once loaded.
 */
public final class Config
{
    /** Environment variables with the Bifrost prefix that are not config keys but are read by the scripts. */
    private static final List<String> SCRIPT_VARIABLES = List.of("BIFROST_JAVA_OPTS", "BIFROST_JAVA_HOME");

    /**
     * A resolved setting.
     *
     * @param key    the key.
     * @param raw    the value as written ("" when unset).
     * @param value  the parsed value (null when unset).
     * @param source where it came from.
     */
    public record Setting(ConfigKey key, String raw, Object value, ConfigSource source)
    {
    }

    private final Map<String, Setting> settings;
    private final List<String> warnings;

    private Config(final Map<String, Setting> settings, final List<String> warnings)
    {
        this.settings = settings;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Resolve the configuration.
     *
     * @param env   the process environment (only {@code BIFROST_*} entries are read).
     * @param flags flag values by key name; a list key may carry several values, others one.
     * @return the validated configuration.
     * @throws ConfigException naming the first bad value and its source.
     */
    public static Config load(final Map<String, String> env, final Map<String, List<String>> flags)
    {
        final Map<String, String> raw = new LinkedHashMap<>();
        final Map<String, ConfigSource> sources = new LinkedHashMap<>();
        final Map<String, String> origins = new LinkedHashMap<>();
        final List<String> warnings = new ArrayList<>();
        for (final ConfigKey key : ConfigKeys.ALL)
        {
            put(raw, sources, origins, key.name(), key.defaultValue(), ConfigSource.DEFAULT, "default");
        }

        final Map<String, String> envValues = new LinkedHashMap<>();
        env.forEach((name, value) ->
        {
            if (!name.startsWith(ConfigKey.ENV_PREFIX) || SCRIPT_VARIABLES.contains(name))
            {
                return;
            }
            final ConfigKey key = ConfigKeys.byEnvName(name);
            if (key == null)
            {
                warnings.add("ignoring environment variable " + name + ": no such setting (see bifrost --help)");
            }
            else
            {
                envValues.put(key.name(), value);
            }
        });

        final String configFile = flags.containsKey(ConfigKeys.CONFIG.name()) ?
            flags.get(ConfigKeys.CONFIG.name()).get(0) : envValues.get(ConfigKeys.CONFIG.name());
        if (configFile != null && !configFile.isBlank())
        {
            final Path file = Path.of(configFile.strip());
            readFile(file).forEach((name, value) ->
            {
                final ConfigKey key = ConfigKeys.byName(name);
                if (key == null || key == ConfigKeys.CONFIG)
                {
                    final String suggestion = key == null ? ConfigKeys.suggest(name) : null;
                    throw new ConfigException(file + ": unknown setting '" + name + "'" +
                        (suggestion != null ? "; did you mean '" + suggestion + "'?" : "; see bifrost --help"));
                }
                put(raw, sources, origins, name, value, ConfigSource.FILE, file.toString());
            });
        }
        envValues.forEach((name, value) ->
            put(raw, sources, origins, name, value, ConfigSource.ENV, ConfigKeys.byName(name).envName()));
        flags.forEach((name, values) ->
        {
            final ConfigKey key = ConfigKeys.byName(name);
            if (key == null)
            {
                throw new ConfigException("unknown setting '" + name + "'");
            }
            put(raw, sources, origins, name, String.join(",", values), ConfigSource.FLAG, key.longFlag());
        });

        final Map<String, Setting> settings = new LinkedHashMap<>();
        for (final ConfigKey key : ConfigKeys.ALL)
        {
            final String value = raw.get(key.name());
            Object parsed = null;
            if (!value.isBlank())
            {
                try
                {
                    parsed = key.type().parse(value);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new ConfigException(key.name() + " (from " + origins.get(key.name()) + "): " +
                        ex.getMessage());
                }
            }
            settings.put(key.name(), new Setting(key, value, parsed, sources.get(key.name())));
        }
        return new Config(settings, warnings);
    }

    private static void put(
        final Map<String, String> raw,
        final Map<String, ConfigSource> sources,
        final Map<String, String> origins,
        final String name,
        final String value,
        final ConfigSource source,
        final String origin)
    {
        raw.put(name, value);
        sources.put(name, source);
        origins.put(name, origin);
    }

    private static Map<String, String> readFile(final Path file)
    {
        try
        {
            if (Files.size(file) > ConfigFileParser.MAX_FILE_CHARS)
            {
                throw new ConfigException(file + ": larger than " + (ConfigFileParser.MAX_FILE_CHARS >> 10) +
                    " KiB; is this really a Bifrost config file?");
            }
            final String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                .toString();
            return ConfigFileParser.parse(text, file.toString());
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigException("config file " + file + " does not exist (set by --config or BIFROST_CONFIG)");
        }
        catch (final CharacterCodingException ex)
        {
            throw new ConfigException(file + ": not UTF-8 text; is this really a Bifrost config file?");
        }
        catch (final IOException ex)
        {
            throw new ConfigException("cannot read config file " + file + ": " + ex.getMessage());
        }
    }

    /**
     * @return warnings found while loading (unknown {@code BIFROST_*} variables), to be logged.
     */
    public List<String> warnings()
    {
        return warnings;
    }

    /**
     * @return every setting in help order.
     */
    public List<Setting> settings()
    {
        return List.copyOf(settings.values());
    }

    /**
     * @param key the key.
     * @return its resolved setting.
     */
    public Setting setting(final ConfigKey key)
    {
        return settings.get(key.name());
    }

    /**
     * @param key a key of type STRING.
     * @return the value.
     */
    public String string(final ConfigKey key)
    {
        return (String)require(key, ConfigType.STRING);
    }

    /**
     * @param key a text key whose default is empty.
     * @return its value, or the empty string when it is not set.
     */
    public String optionalString(final ConfigKey key)
    {
        final Object value = valueOf(key, ConfigType.STRING);
        return value == null ? "" : (String)value;
    }

    /**
     * @param key a key of type INT or PORT.
     * @return the value.
     */
    public int integer(final ConfigKey key)
    {
        return (Integer)require(key, key.type() == ConfigType.PORT ? ConfigType.PORT : ConfigType.INT);
    }

    /**
     * @param key a key of type BOOLEAN.
     * @return the value.
     */
    public boolean bool(final ConfigKey key)
    {
        return (Boolean)require(key, ConfigType.BOOLEAN);
    }

    /**
     * @param key a key of type PATH.
     * @return the value.
     */
    public Path path(final ConfigKey key)
    {
        return (Path)require(key, ConfigType.PATH);
    }

    /**
     * @param key a key of type PATH.
     * @return the value, or null when unset.
     */
    public Path optionalPath(final ConfigKey key)
    {
        return (Path)valueOf(key, ConfigType.PATH);
    }

    /**
     * @param key a key of type SIZE.
     * @return the value in bytes.
     */
    public long bytes(final ConfigKey key)
    {
        return (Long)require(key, ConfigType.SIZE);
    }

    /**
     * @param key a key of type STRING_LIST.
     * @return the words in order; empty when unset.
     */
    @SuppressWarnings("unchecked")
    public List<String> strings(final ConfigKey key)
    {
        final Object value = valueOf(key, ConfigType.STRING_LIST);
        return value == null ? List.of() : (List<String>)value;
    }

    /**
     * @param key a key of type SECRET.
     * @return the value, or null when unset.
     */
    public String secret(final ConfigKey key)
    {
        return (String)valueOf(key, ConfigType.SECRET);
    }

    /**
     * @param key a key of type URL_LIST.
     * @return the URLs in the order given.
     */
    @SuppressWarnings("unchecked")
    public List<URI> urls(final ConfigKey key)
    {
        return (List<URI>)require(key, ConfigType.URL_LIST);
    }

    private Object require(final ConfigKey key, final ConfigType type)
    {
        final Object value = valueOf(key, type);
        if (value == null)
        {
            throw new ConfigException(key.name() + " is not set; set it in the config file, as " + key.envName() +
                " or with " + key.longFlag());
        }
        return value;
    }

    /** The parsed value, or null when unset; a read with the wrong type is a programming error. */
    private Object valueOf(final ConfigKey key, final ConfigType type)
    {
        if (key.type() != type)
        {
            throw new IllegalStateException(key.name() + " is " + key.type() + ", read as " + type);
        }
        return settings.get(key.name()).value();
    }
}
