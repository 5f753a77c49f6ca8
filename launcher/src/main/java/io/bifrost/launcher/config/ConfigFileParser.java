package io.bifrost.launcher.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the Bifrost config file format: UTF-8 text, one {@code key = value} per line, {@code #} starts a comment
 * line, blank lines are ignored, the value is everything after the first {@code =} with surrounding spaces trimmed
 * (no quoting, no escapes, no continuation lines). A key may appear once. Lists are comma-separated.
 *
 * <p>Bounded: files over {@link #MAX_FILE_CHARS} and lines over {@link #MAX_LINE_CHARS} are refused, so a wrong
 * file (a video, a log) fails fast with a clear error instead of being read whole.
 */
public final class ConfigFileParser
{
    /** Largest config file accepted. */
    public static final int MAX_FILE_CHARS = 1 << 20;
    /** Longest line accepted. */
    public static final int MAX_LINE_CHARS = 8192;

    private ConfigFileParser()
    {
    }

    /**
     * @param text       the file content.
     * @param sourceName the file name for messages.
     * @return key to raw value, in file order.
     * @throws ConfigException naming the line of the first problem.
     */
    public static Map<String, String> parse(final String text, final String sourceName)
    {
        if (text.length() > MAX_FILE_CHARS)
        {
            throw new ConfigException(sourceName + ": larger than " + (MAX_FILE_CHARS >> 10) +
                " KiB; is this really a Bifrost config file?");
        }
        final Map<String, String> values = new LinkedHashMap<>();
        int lineNumber = 0;
        int start = 0;
        while (start <= text.length())
        {
            int end = text.indexOf('\n', start);
            if (end < 0)
            {
                end = text.length();
            }
            lineNumber++;
            parseLine(text.substring(start, end), sourceName, lineNumber, values);
            start = end + 1;
        }
        return values;
    }

    private static void parseLine(
        final String rawLine, final String sourceName, final int lineNumber, final Map<String, String> values)
    {
        final String where = sourceName + ":" + lineNumber;
        if (rawLine.length() > MAX_LINE_CHARS)
        {
            throw new ConfigException(where + ": line longer than " + MAX_LINE_CHARS + " characters");
        }
        final String line = rawLine.strip();
        if (line.isEmpty() || line.charAt(0) == '#')
        {
            return;
        }
        final int equals = line.indexOf('=');
        if (equals < 0)
        {
            throw new ConfigException(where + ": expected 'key = value', got '" + abbreviate(line) + "'");
        }
        final String key = line.substring(0, equals).strip();
        final String value = line.substring(equals + 1).strip();
        if (key.isEmpty())
        {
            throw new ConfigException(where + ": missing key before '='");
        }
        for (int i = 0; i < value.length(); i++)
        {
            if (Character.isISOControl(value.charAt(i)) && value.charAt(i) != '\t')
            {
                throw new ConfigException(where + ": control character in the value of '" + abbreviate(key) + "'");
            }
        }
        if (values.putIfAbsent(key, value) != null)
        {
            throw new ConfigException(where + ": '" + abbreviate(key) + "' is set twice; keep one line");
        }
    }

    private static String abbreviate(final String text)
    {
        final StringBuilder out = new StringBuilder(Math.min(text.length(), 64));
        for (int i = 0; i < text.length() && out.length() < 60; i++)
        {
            final char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return text.length() > 60 ? out + "..." : out.toString();
    }
}
