package io.bifrost.control.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A route's path pattern such as {@code /api/v1/streams/{id}/rotate-key}: literal segments and {@code {name}}
 * captures, one per segment. Immutable and thread-safe.
 *
 * <p>Matching is segment by segment on the raw (not percent-decoded) path: a literal matches itself exactly, a capture
 * matches one non-empty segment of URL-unreserved characters ({@code A-Z a-z 0-9 - . _ ~}), at most
 * {@value #MAX_CAPTURE_LENGTH} long. So a capture never holds a slash, a percent escape, or anything a handler would
 * have to unescape before using it as a key. Empty segments ({@code //}, a trailing slash) match nothing.
 */
public final class PathTemplate
{
    /** Longest value a capture matches. */
    public static final int MAX_CAPTURE_LENGTH = 128;

    private static final Pattern CAPTURE_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~-]+");

    private final String template;
    private final String[] literals;
    private final String[] captures;

    private PathTemplate(final String template, final String[] literals, final String[] captures)
    {
        this.template = template;
        this.literals = literals;
        this.captures = captures;
    }

    /**
     * @param template e.g. {@code /api/v1/streams/{id}}.
     * @return the parsed template.
     * @throws IllegalArgumentException when it does not start with a slash, has an empty segment, a malformed or
     *                                  repeated capture name, or a literal with characters outside the unreserved set.
     */
    public static PathTemplate parse(final String template)
    {
        if (!template.startsWith("/"))
        {
            throw new IllegalArgumentException("path template must start with '/': " + template);
        }
        final String[] segments = template.substring(1).split("/", -1);
        final String[] literals = new String[segments.length];
        final String[] captures = new String[segments.length];
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < segments.length; i++)
        {
            final String segment = segments[i];
            if (segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}"))
            {
                final String name = segment.substring(1, segment.length() - 1);
                if (!CAPTURE_NAME.matcher(name).matches() || !names.add(name))
                {
                    throw new IllegalArgumentException("bad or repeated capture '" + segment + "' in " + template);
                }
                captures[i] = name;
            }
            else if (LITERAL.matcher(segment).matches())
            {
                literals[i] = segment;
            }
            else
            {
                throw new IllegalArgumentException("bad segment '" + segment + "' in " + template);
            }
        }
        return new PathTemplate(template, literals, captures);
    }

    /**
     * @param segments the request path split on {@code /} after its leading slash.
     * @return the captures by name when the path matches, else null.
     */
    Map<String, String> match(final List<String> segments)
    {
        if (segments.size() != literals.length)
        {
            return null;
        }
        Map<String, String> values = null;
        for (int i = 0; i < literals.length; i++)
        {
            final String segment = segments.get(i);
            if (literals[i] != null)
            {
                if (!literals[i].equals(segment))
                {
                    return null;
                }
            }
            else
            {
                if (!isCaptureValue(segment))
                {
                    return null;
                }
                if (values == null)
                {
                    values = new HashMap<>(4);
                }
                values.put(captures[i], segment);
            }
        }
        return values == null ? Map.of() : values;
    }

    /**
     * Which of two templates that both match a path wins: the one with a literal at the first position where they
     * differ ({@code /streams/create} beats {@code /streams/{id}}).
     *
     * @param other another template of the same length.
     * @return negative when this is more specific, positive when the other is, 0 when equally specific.
     */
    int compareSpecificity(final PathTemplate other)
    {
        for (int i = 0; i < Math.min(literals.length, other.literals.length); i++)
        {
            final boolean mine = literals[i] != null;
            final boolean theirs = other.literals[i] != null;
            if (mine != theirs)
            {
                return mine ? -1 : 1;
            }
        }
        return 0;
    }

    /**
     * @param other another template.
     * @return true when both match exactly the same paths (same literals, captures in the same places).
     */
    boolean sameShape(final PathTemplate other)
    {
        if (literals.length != other.literals.length)
        {
            return false;
        }
        for (int i = 0; i < literals.length; i++)
        {
            if (literals[i] == null ? other.literals[i] != null : !literals[i].equals(other.literals[i]))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param path a raw request path starting with {@code /}.
     * @return its segments after the leading slash (an empty segment for each {@code //} or trailing slash).
     */
    static List<String> segments(final String path)
    {
        final List<String> segments = new ArrayList<>(8);
        int start = 1;
        while (true)
        {
            final int slash = path.indexOf('/', start);
            if (slash < 0)
            {
                segments.add(path.substring(start));
                return segments;
            }
            segments.add(path.substring(start, slash));
            start = slash + 1;
        }
    }

    private static boolean isCaptureValue(final String segment)
    {
        final int length = segment.length();
        if (length == 0 || length > MAX_CAPTURE_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final char c = segment.charAt(i);
            final boolean unreserved = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
                c == '-' || c == '.' || c == '_' || c == '~';
            if (!unreserved)
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString()
    {
        return template;
    }
}
