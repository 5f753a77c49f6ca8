package io.bifrost.transcoder.protection;

/**
 * The protection of one title as packaging needs it: the scheme, the title's key, and the URLs players fetch the key
 * from (written into the manifests). Immutable.
 *
 * @param scheme     the scheme.
 * @param key        the title key; null only for {@link ContentProtection#NONE}.
 * @param keyUri     AES-128: the {@code EXT-X-KEY} URI, absolute or relative to a media playlist; else ignored.
 * @param licenseUrl ClearKey: the licence URL written as {@code dashif:Laurl} into the MPD; else ignored.
 */
public record TitleProtection(ContentProtection scheme, TitleKey key, String keyUri, String licenseUrl)
{
    /** Clear media. */
    public static final TitleProtection NONE = new TitleProtection(ContentProtection.NONE, null, null, null);

    /**
     * @throws IllegalArgumentException when a protected scheme has no key or no key / licence URL.
     */
    public TitleProtection
    {
        if (scheme == null)
        {
            throw new IllegalArgumentException("a protection needs a scheme");
        }
        if (scheme != ContentProtection.NONE && key == null)
        {
            throw new IllegalArgumentException(scheme.label() + " needs a title key");
        }
        if (scheme == ContentProtection.AES_128 && (keyUri == null || keyUri.isBlank() || keyUri.indexOf('"') >= 0 ||
            keyUri.indexOf('\n') >= 0))
        {
            throw new IllegalArgumentException("aes-128 needs a key URI without quotes or line breaks");
        }
        if (scheme == ContentProtection.CLEARKEY && (licenseUrl == null || licenseUrl.isBlank()))
        {
            throw new IllegalArgumentException("clearkey needs a licence URL");
        }
    }

    /**
     * @param key    the title key.
     * @param keyUri where players fetch it.
     * @return AES-128 HLS protection.
     */
    public static TitleProtection aes128(final TitleKey key, final String keyUri)
    {
        return new TitleProtection(ContentProtection.AES_128, key, keyUri, null);
    }

    /**
     * @param key        the title key.
     * @param licenseUrl the ClearKey licence URL.
     * @return ClearKey CENC protection.
     */
    public static TitleProtection clearKey(final TitleKey key, final String licenseUrl)
    {
        return new TitleProtection(ContentProtection.CLEARKEY, key, null, licenseUrl);
    }

    @Override
    public String toString()
    {
        return "TitleProtection[" + scheme.label() + (key == null ? "" : ", kid=" + key.kidHex()) + "]";
    }
}
