package io.bifrost.origin.upload;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The metadata of an upload: the tus {@code Upload-Metadata} pairs (tus 1.0.0 "Upload-Metadata": comma-separated
 * {@code key base64(value)}, a key may have no value), with the keys Bifrost understands validated.
 *
 * <p>Known keys: {@code filename} (a base name, no path), {@code title} (up to 200 characters), {@code description}
 * (up to 5000), {@code tags} (comma-separated, at most 30 tags of 1-50 characters), {@code visibility}
 * ({@code public}, {@code unlisted} or {@code private}; default {@code private}). Other keys that clients such as Uppy
 * send ({@code filetype}, {@code name}, {@code relativePath}) are kept as they are. Every value must be UTF-8
 * without control characters (the description may contain line breaks and tabs). Immutable and thread-safe.
 */
public final class UploadMetadata
{
    /** Most pairs in one header. */
    public static final int MAX_PAIRS = 32;
    /** Longest key. */
    public static final int MAX_KEY_LENGTH = 64;
    /** Longest header value accepted (the whole {@code Upload-Metadata} line). */
    public static final int MAX_HEADER_LENGTH = 16_384;
    /** Longest value of a key Bifrost does not know, in characters. */
    public static final int MAX_OTHER_VALUE_LENGTH = 1024;

    static final int MAX_FILENAME = 255;
    static final int MAX_TITLE = 200;
    static final int MAX_DESCRIPTION = 5000;
    static final int MAX_TAGS = 30;
    static final int MAX_TAG = 50;
    static final Set<String> VISIBILITIES = Set.of("public", "unlisted", "private");
    static final String DEFAULT_VISIBILITY = "private";

    /** No metadata at all. */
    public static final UploadMetadata EMPTY = new UploadMetadata(Map.of());

    private final Map<String, String> pairs;

    private UploadMetadata(final Map<String, String> pairs)
    {
        this.pairs = pairs;
    }

    /**
     * Parse and validate an {@code Upload-Metadata} header.
     *
     * @param header the header value; null or blank means no metadata.
     * @return the metadata.
     * @throws UploadException (400, {@code tus.bad_metadata}) naming what is wrong.
     */
    public static UploadMetadata parse(final String header) throws UploadException
    {
        if (header == null || header.isBlank())
        {
            return EMPTY;
        }
        if (header.length() > MAX_HEADER_LENGTH)
        {
            throw bad("Upload-Metadata is longer than " + MAX_HEADER_LENGTH + " characters");
        }
        final Map<String, String> pairs = new LinkedHashMap<>();
        for (final String element : header.split(",", -1))
        {
            final String pair = element.strip();
            if (pair.isEmpty())
            {
                throw bad("Upload-Metadata has an empty pair");
            }
            if (pairs.size() == MAX_PAIRS)
            {
                throw bad("Upload-Metadata has more than " + MAX_PAIRS + " pairs");
            }
            final int space = pair.indexOf(' ');
            final String key = space < 0 ? pair : pair.substring(0, space);
            final String encoded = space < 0 ? "" : pair.substring(space + 1);
            requireKey(key);
            if (encoded.indexOf(' ') >= 0)
            {
                throw bad("Upload-Metadata value of '" + key + "' must be one base64 word");
            }
            if (pairs.put(key, decode(key, encoded)) != null)
            {
                throw bad("Upload-Metadata repeats key '" + key + "'");
            }
        }
        return of(pairs);
    }

    /**
     * Validate pairs that did not come from a header (the {@code upload-url} JSON request).
     *
     * @param pairs key to value; null values are skipped.
     * @return the metadata.
     * @throws UploadException (400, {@code tus.bad_metadata}) naming what is wrong.
     */
    public static UploadMetadata of(final Map<String, String> pairs) throws UploadException
    {
        final Map<String, String> copy = new LinkedHashMap<>();
        for (final Map.Entry<String, String> entry : pairs.entrySet())
        {
            if (entry.getValue() != null)
            {
                requireKey(entry.getKey());
                copy.put(entry.getKey(), entry.getValue());
            }
        }
        if (copy.size() > MAX_PAIRS)
        {
            throw bad("metadata has more than " + MAX_PAIRS + " keys");
        }
        for (final Map.Entry<String, String> entry : copy.entrySet())
        {
            validate(entry.getKey(), entry.getValue());
        }
        return new UploadMetadata(Collections.unmodifiableMap(copy));
    }

    private static void requireKey(final String key) throws UploadException
    {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH)
        {
            throw bad("a metadata key must have 1 to " + MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++)
        {
            final char c = key.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == ',')
            {
                throw bad("metadata key has a character other than printable ASCII: '" + printable(key) + "'");
            }
        }
    }

    private static String decode(final String key, final String encoded) throws UploadException
    {
        final byte[] bytes;
        try
        {
            bytes = Base64.getDecoder().decode(encoded);
        }
        catch (final IllegalArgumentException ex)
        {
            throw bad("Upload-Metadata value of '" + key + "' is not base64");
        }
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw bad("Upload-Metadata value of '" + key + "' is not UTF-8");
        }
    }

    private static void validate(final String key, final String value) throws UploadException
    {
        switch (key)
        {
            case "filename" ->
            {
                requireText(key, value, MAX_FILENAME, false);
                if (!value.isEmpty() && value.isBlank() || value.indexOf('/') >= 0 || value.indexOf('\\') >= 0 || ".".equals(value) ||
                    "..".equals(value))
                {
                    throw bad("filename must be a file name without a path");
                }
            }
            case "title" -> requireText(key, value, MAX_TITLE, false);
            case "description" -> requireText(key, value, MAX_DESCRIPTION, true);
            case "tags" -> tagsOf(value);
            case "visibility" ->
            {
                if (!VISIBILITIES.contains(value))
                {
                    throw bad("visibility must be one of public, unlisted, private; got '" + printable(value) + "'");
                }
            }
            default -> requireText(key, value, MAX_OTHER_VALUE_LENGTH, false);
        }
    }

    private static void requireText(final String key, final String value, final int max, final boolean multiline)
        throws UploadException
    {
        if (value.codePointCount(0, value.length()) > max)
        {
            throw bad(key + " is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            final boolean allowedWhitespace = multiline && (c == '\n' || c == '\r' || c == '\t');
            if ((Character.isISOControl(c) && !allowedWhitespace) || c == '\u2028' || c == '\u2029')
            {
                throw bad(key + " contains a control character");
            }
        }
    }

    private static List<String> tagsOf(final String value) throws UploadException
    {
        final List<String> tags = new ArrayList<>();
        if (value.isBlank())
        {
            return tags;
        }
        for (final String raw : value.split(",", -1))
        {
            final String tag = raw.strip();
            if (tag.isEmpty())
            {
                continue;
            }
            requireText("tag", tag, MAX_TAG, false);
            if (!tags.contains(tag))
            {
                tags.add(tag);
            }
            if (tags.size() > MAX_TAGS)
            {
                throw bad("at most " + MAX_TAGS + " tags are allowed");
            }
        }
        return tags;
    }

    private static UploadException bad(final String message)
    {
        return UploadException.badRequest("tus.bad_metadata", message);
    }

    private static String printable(final String value)
    {
        final String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        final StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? '?' : Character.toString(c)));
        return out.toString();
    }

    /**
     * @return every pair, in the order received; unmodifiable.
     */
    public Map<String, String> pairs()
    {
        return pairs;
    }

    /**
     * @param key a key.
     * @return its value, or null.
     */
    public String get(final String key)
    {
        return pairs.get(key);
    }

    /**
     * @return the original file name, or null.
     */
    public String filename()
    {
        return pairs.get("filename");
    }

    /**
     * @return the title, or null when none was given.
     */
    public String title()
    {
        return pairs.get("title");
    }

    /**
     * @return the description, or null.
     */
    public String description()
    {
        return pairs.get("description");
    }

    /**
     * @return the tags, trimmed and without duplicates; empty when none.
     */
    public List<String> tags()
    {
        try
        {
            return pairs.containsKey("tags") ? List.copyOf(tagsOf(pairs.get("tags"))) : List.of();
        }
        catch (final UploadException ex)
        {
            throw new IllegalStateException("tags were validated at parse time", ex);
        }
    }

    /**
     * @return {@code public}, {@code unlisted} or {@code private} (the default).
     */
    public String visibility()
    {
        return pairs.getOrDefault("visibility", DEFAULT_VISIBILITY);
    }

    /**
     * @return the pairs as an {@code Upload-Metadata} header value (values base64 encoded).
     */
    public String toHeader()
    {
        final StringBuilder header = new StringBuilder();
        for (final Map.Entry<String, String> entry : pairs.entrySet())
        {
            if (header.length() > 0)
            {
                header.append(',');
            }
            header.append(entry.getKey());
            if (!entry.getValue().isEmpty())
            {
                header.append(' ')
                    .append(Base64.getEncoder().encodeToString(entry.getValue().getBytes(StandardCharsets.UTF_8)));
            }
        }
        return header.toString();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof UploadMetadata metadata && metadata.pairs.equals(pairs);
    }

    @Override
    public int hashCode()
    {
        return pairs.hashCode();
    }

    @Override
    public String toString()
    {
        return "UploadMetadata" + pairs.keySet().toString().toLowerCase(Locale.ROOT);
    }
}
