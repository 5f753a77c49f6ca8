package io.bifrost.launcher.config;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The value types a {@link ConfigKey} can have, each with its parser. Parsers throw {@link IllegalArgumentException}
 * with a message that says what is accepted; the loader adds the key and the source.
 */
public enum ConfigType
{
    /** Text. */
    STRING("text"),
    /** A decimal integer. */
    INT("integer"),
    /** A TCP/UDP port 0..65535 (0 = any free port). */
    PORT("port"),
    /** true/false (also yes/no, on/off, 1/0). */
    BOOLEAN("true|false"),
    /** A file system path. */
    PATH("path"),
    /** A byte size: a number with an optional k/m/g/t suffix (powers of 1024), e.g. 512m. */
    SIZE("size"),
    /** One or more http(s) URLs: comma-separated in files and env, or the flag repeated. */
    URL_LIST("url[,url...]"),
    /** Zero or more words, comma-separated in files and env, or the flag repeated. */
    STRING_LIST("text[,text...]"),
    /** Text that must never be printed (keys, passwords): {@code config --effective} shows it masked. */
    SECRET("secret");

    private final String label;

    ConfigType(final String label)
    {
        this.label = label;
    }

    /**
     * @return how the value is written, for help texts.
     */
    public String label()
    {
        return label;
    }

    /**
     * Parse and validate a raw value.
     *
     * @param raw the value as written.
     * @return the typed value: String, Integer, Boolean, Path, Long (bytes) or List&lt;URI&gt;.
     */
    public Object parse(final String raw)
    {
        final String value = raw.trim();
        return switch (this)
        {
            case STRING -> value;
            case INT -> parseInt(value);
            case PORT -> parsePort(value);
            case BOOLEAN -> parseBoolean(value);
            case PATH -> parsePath(value);
            case SIZE -> parseSize(value);
            case URL_LIST -> parseUrls(value);
            case STRING_LIST -> parseStrings(value);
            case SECRET -> value;
        };
    }

    private static int parseInt(final String value)
    {
        try
        {
            return Integer.parseInt(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("expected an integer, got '" + value + "'", ex);
        }
    }

    private static int parsePort(final String value)
    {
        final int port = parseInt(value);
        if (port < 0 || port > 65_535)
        {
            throw new IllegalArgumentException("expected a port between 0 and 65535, got " + port);
        }
        return port;
    }

    private static boolean parseBoolean(final String value)
    {
        return switch (value.toLowerCase(Locale.ROOT))
        {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + value + "'");
        };
    }

    private static Path parsePath(final String value)
    {
        if (value.isEmpty())
        {
            throw new IllegalArgumentException("expected a path, got nothing");
        }
        try
        {
            return Path.of(value);
        }
        catch (final InvalidPathException ex)
        {
            throw new IllegalArgumentException("not a valid path: " + ex.getMessage(), ex);
        }
    }

    private static long parseSize(final String value)
    {
        if (value.isEmpty())
        {
            throw new IllegalArgumentException("expected a size like 512m or 20g, got nothing");
        }
        final char last = Character.toLowerCase(value.charAt(value.length() - 1));
        final int shift = switch (last)
        {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        final String digits = shift == 0 ? value : value.substring(0, value.length() - 1).trim();
        final long number;
        try
        {
            number = Long.parseLong(digits);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("expected a size like 512m or 20g, got '" + value + "'", ex);
        }
        if (number < 0 || number > (Long.MAX_VALUE >> shift))
        {
            throw new IllegalArgumentException("size out of range: '" + value + "'");
        }
        return number << shift;
    }

    private static List<String> parseStrings(final String value)
    {
        final List<String> words = new ArrayList<>();
        for (final String part : value.split(","))
        {
            if (!part.isBlank())
            {
                words.add(part.strip());
            }
        }
        return List.copyOf(words);
    }

    /**
     * @return whether values of this type may be printed.
     */
    public boolean printable()
    {
        return this != SECRET;
    }

    private static List<URI> parseUrls(final String value)
    {
        final List<URI> urls = new ArrayList<>();
        for (final String part : value.split(","))
        {
            final String text = part.trim();
            if (text.isEmpty())
            {
                continue;
            }
            final URI uri;
            try
            {
                uri = new URI(text);
            }
            catch (final java.net.URISyntaxException ex)
            {
                throw new IllegalArgumentException("not a URL: '" + text + "'", ex);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null)
            {
                throw new IllegalArgumentException("expected an http(s)://host[:port] URL, got '" + text + "'");
            }
            urls.add(uri);
        }
        if (urls.isEmpty())
        {
            throw new IllegalArgumentException("expected at least one URL");
        }
        return List.copyOf(urls);
    }
}
