package io.bifrost.origin.catalog;

import io.bifrost.transcoder.protection.ContentProtection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a creator says about a video when the upload starts (the seed's upload metadata): title, description, tags,
 * visibility and spoken language. Validated and bounded on construction.
 *
 * @param title       1..200 characters (defaults to "Untitled").
 * @param description up to 5000 characters.
 * @param tags        up to 30 tags of 1..50 characters.
 * @param visibility  {@code public}, {@code unlisted} or {@code private}.
 * @param language    a short language tag or empty.
 * @param thumbnailTimestamp the poster time in seconds (the seed's {@code thumbnail_timestamp}), 0..86400; null for
 *                    the default (10% into the title). Clamped inside the title when it is longer than the video.
 * @param protection  how the title's media is encrypted: {@code none}, {@code aes-128} (HLS) or {@code clearkey}
 *                    (DASH CENC); null for the origin's default ({@code origin.default-protection}).
 */
public record VideoMetadata(String title, String description, List<String> tags, String visibility, String language,
    Double thumbnailTimestamp, String protection)
{
    /** Latest poster time accepted, in seconds. */
    public static final double MAX_THUMBNAIL_TIMESTAMP = 86_400;
    /** Longest title, in characters. */
    public static final int MAX_TITLE = 200;
    /** Longest description, in characters. */
    public static final int MAX_DESCRIPTION = 5000;
    /** Most tags. */
    public static final int MAX_TAGS = 30;
    /** Longest tag. */
    public static final int MAX_TAG = 50;
    private static final Set<String> VISIBILITIES = Set.of("public", "unlisted", "private");

    /** Metadata of a video nobody described. */
    public static final VideoMetadata EMPTY = new VideoMetadata("Untitled", "", List.of(), "private", "");

    /**
     * @param value the protection label.
     * @return a copy with it.
     */
    public VideoMetadata withProtection(final String value)
    {
        return new VideoMetadata(title, description, tags, visibility, language, thumbnailTimestamp, value);
    }

    /**
     * Metadata with the default poster time.
     *
     * @param title       title.
     * @param description description.
     * @param tags        tags.
     * @param visibility  visibility.
     * @param language    language.
     */
    public VideoMetadata(final String title, final String description, final List<String> tags, final String visibility,
        final String language)
    {
        this(title, description, tags, visibility, language, null, null);
    }

    /**
     * Metadata with the origin's default protection.
     *
     * @param title              title.
     * @param description        description.
     * @param tags               tags.
     * @param visibility         visibility.
     * @param language           language.
     * @param thumbnailTimestamp poster time in seconds, or null.
     */
    public VideoMetadata(final String title, final String description, final List<String> tags,
        final String visibility, final String language, final Double thumbnailTimestamp)
    {
        this(title, description, tags, visibility, language, thumbnailTimestamp, null);
    }

    /**
     * @throws IllegalArgumentException naming the field that is out of bounds.
     */
    public VideoMetadata
    {
        title = title == null || title.isBlank() ? "Untitled" : title.strip();
        description = description == null ? "" : description;
        visibility = visibility == null || visibility.isBlank() ? "private" : visibility.strip().toLowerCase(Locale.ROOT);
        language = language == null ? "" : language.strip();
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (title.length() > MAX_TITLE)
        {
            throw new IllegalArgumentException("title is longer than " + MAX_TITLE + " characters");
        }
        if (description.length() > MAX_DESCRIPTION)
        {
            throw new IllegalArgumentException("description is longer than " + MAX_DESCRIPTION + " characters");
        }
        if (!VISIBILITIES.contains(visibility))
        {
            throw new IllegalArgumentException("visibility must be public, unlisted or private");
        }
        if (language.length() > 35)
        {
            throw new IllegalArgumentException("language is longer than 35 characters");
        }
        if (thumbnailTimestamp != null &&
            !(thumbnailTimestamp >= 0 && thumbnailTimestamp <= MAX_THUMBNAIL_TIMESTAMP))
        {
            throw new IllegalArgumentException("thumbnail_timestamp must be a number of seconds from 0 to " +
                (long)MAX_THUMBNAIL_TIMESTAMP);
        }
        protection = protection == null || protection.isBlank() ? null :
            ContentProtection.parse(protection).label();
        if (tags.size() > MAX_TAGS)
        {
            throw new IllegalArgumentException("more than " + MAX_TAGS + " tags");
        }
        for (final String tag : tags)
        {
            if (tag.isBlank() || tag.length() > MAX_TAG)
            {
                throw new IllegalArgumentException("tags must be 1.." + MAX_TAG + " characters");
            }
        }
    }

    /**
     * From upload metadata as tus carries it (decoded key/value pairs): {@code title} (or {@code filename}),
     * {@code description}, {@code tags} (comma-separated), {@code visibility}, {@code language},
     * {@code thumbnail_timestamp} (seconds), {@code protection} ({@code none}, {@code aes-128}, {@code clearkey}).
     *
     * @param values the pairs; unknown keys are ignored.
     * @return the metadata.
     * @throws IllegalArgumentException when a value is out of bounds.
     */
    public static VideoMetadata fromUploadMetadata(final Map<String, String> values)
    {
        final List<String> tags = new ArrayList<>();
        final String tagList = values.get("tags");
        if (tagList != null)
        {
            for (final String tag : tagList.split(",", MAX_TAGS + 2))
            {
                if (!tag.isBlank())
                {
                    tags.add(tag.strip());
                }
            }
        }
        final String title = values.getOrDefault("title", values.get("filename"));
        return new VideoMetadata(title, values.get("description"), tags, values.get("visibility"),
            values.get("language"), seconds(values.get("thumbnail_timestamp")), values.get("protection"));
    }

    /**
     * @param value a number of seconds as text, or null.
     * @return the number, or null when absent.
     * @throws IllegalArgumentException when it is not a number.
     */
    public static Double seconds(final String value)
    {
        if (value == null || value.isBlank())
        {
            return null;
        }
        try
        {
            return Double.valueOf(value.strip());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("thumbnail_timestamp must be a number of seconds, got '" + value + "'");
        }
    }
}
