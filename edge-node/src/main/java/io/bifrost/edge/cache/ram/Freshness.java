package io.bifrost.edge.cache.ram;

import io.bifrost.protocol.naming.ContentKind;

import java.util.Locale;

/**
 * How long an origin response may be served from the edge (RFC 9111): {@code s-maxage}, else {@code max-age};
 * {@code no-store}, {@code private} and {@code no-cache} are not stored. Without Cache-Control, media (segments,
 * parts, init) is immutable by naming (live names carry the session epoch), so it is kept for a day; playlists and
 * MPDs are not stored, since only the origin knows how often they change.
 */
public final class Freshness
{
    /** Default life of media objects without Cache-Control. */
    static final long DEFAULT_MEDIA_TTL_MS = 24L * 3600 * 1000;

    private Freshness()
    {
    }

    /**
     * @param cacheControl the origin's Cache-Control, or null.
     * @param kind         what the object is.
     * @return milliseconds the object may be served, 0 when it must not be stored.
     */
    public static long ttlMillis(final String cacheControl, final ContentKind kind)
    {
        if (cacheControl == null || cacheControl.isBlank())
        {
            return kind.isPlaylist() ? 0 : DEFAULT_MEDIA_TTL_MS;
        }
        long maxAge = -1;
        long sharedMaxAge = -1;
        for (final String part : cacheControl.toLowerCase(Locale.ROOT).split(","))
        {
            final String directive = part.strip();
            if (directive.equals("no-store") || directive.equals("private") || directive.equals("no-cache"))
            {
                return 0;
            }
            if (directive.startsWith("s-maxage="))
            {
                sharedMaxAge = seconds(directive.substring(9));
            }
            else if (directive.startsWith("max-age="))
            {
                maxAge = seconds(directive.substring(8));
            }
        }
        final long age = sharedMaxAge >= 0 ? sharedMaxAge : maxAge;
        if (age < 0)
        {
            return kind.isPlaylist() ? 0 : DEFAULT_MEDIA_TTL_MS;
        }
        return age * 1000;
    }

    /**
     * How long past its freshness an object may still be served when the origin cannot answer (RFC 5861
     * {@code stale-if-error}); the edge's default applies when the origin says nothing.
     *
     * @param cacheControl the stored Cache-Control, or null.
     * @param defaultMs    the edge's default window.
     * @return milliseconds after expiry during which a stale copy beats an error.
     */
    public static long staleIfErrorMillis(final String cacheControl, final long defaultMs)
    {
        if (cacheControl != null)
        {
            for (final String part : cacheControl.toLowerCase(Locale.ROOT).split(","))
            {
                final String directive = part.strip();
                if (directive.startsWith("stale-if-error="))
                {
                    final long seconds = seconds(directive.substring(15));
                    return seconds < 0 ? defaultMs : seconds * 1000;
                }
                if (directive.equals("must-revalidate") || directive.equals("proxy-revalidate"))
                {
                    return 0;
                }
            }
        }
        return defaultMs;
    }

    private static long seconds(final String value)
    {
        final String digits = value.strip().replace("\"", "");
        if (digits.isEmpty() || digits.length() > 10)
        {
            return digits.length() > 10 ? Integer.MAX_VALUE : -1;
        }
        for (int i = 0; i < digits.length(); i++)
        {
            if (!Character.isDigit(digits.charAt(i)))
            {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }
}
