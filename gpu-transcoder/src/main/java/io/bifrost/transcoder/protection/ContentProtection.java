package io.bifrost.transcoder.protection;

import java.util.Locale;

/**
 * How a VOD title's media is protected, chosen per title at upload (off by default). Neither scheme is DRM: the key
 * reaches the player in the clear, so protection is only as strong as the access control on the key URL.
 */
public enum ContentProtection
{
    /** Clear segments, HLS and DASH. */
    NONE("none"),
    /** HLS only: every media segment whole-file AES-128-CBC encrypted (RFC 8216 section 5.2); DASH is omitted. */
    AES_128("aes-128"),
    /** DASH only: CENC AES-CTR encrypted CMAF (ISO/IEC 23001-7 'cenc'), W3C ClearKey licence; HLS is omitted. */
    CLEARKEY("clearkey");

    private final String label;

    ContentProtection(final String label)
    {
        this.label = label;
    }

    /**
     * @return the name used in upload metadata, config and the API ({@code none}, {@code aes-128}, {@code clearkey}).
     */
    public String label()
    {
        return label;
    }

    /**
     * @return true when the title has an HLS master playlist.
     */
    public boolean hasHls()
    {
        return this != CLEARKEY;
    }

    /**
     * @return true when the title has a DASH manifest.
     */
    public boolean hasDash()
    {
        return this != AES_128;
    }

    /**
     * @param value a label, case-insensitive; null or blank is {@link #NONE}.
     * @return the scheme.
     * @throws IllegalArgumentException when the value names no scheme.
     */
    public static ContentProtection parse(final String value)
    {
        if (value == null || value.isBlank())
        {
            return NONE;
        }
        final String wanted = value.strip().toLowerCase(Locale.ROOT);
        for (final ContentProtection scheme : values())
        {
            if (scheme.label.equals(wanted))
            {
                return scheme;
            }
        }
        throw new IllegalArgumentException("protection must be none, aes-128 or clearkey, got '" +
            (value.length() > 32 ? value.substring(0, 32) + "..." : value) + "'");
    }
}
