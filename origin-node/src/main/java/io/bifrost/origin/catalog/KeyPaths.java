package io.bifrost.origin.catalog;

/**
 * Where players fetch the keys of protected titles (served by {@code io.bifrost.origin.keys.KeyEndpoints}): under the
 * title's API path, so the API's access control covers them. Stateless.
 */
public final class KeyPaths
{
    /** Prefix of every key path. */
    public static final String PREFIX = "/api/v1/videos/";
    /** Suffix of the AES-128 key path. */
    public static final String HLS_KEY = "/hls-key";
    /** Suffix of the ClearKey licence path. */
    public static final String CLEARKEY_LICENSE = "/clearkey";

    private KeyPaths()
    {
    }

    /**
     * @param videoId a title.
     * @return the path of its AES-128 key ({@code GET}, 16 raw bytes).
     */
    public static String hlsKey(final String videoId)
    {
        return PREFIX + videoId + HLS_KEY;
    }

    /**
     * @param videoId a title.
     * @return the path of its W3C ClearKey licence server ({@code POST}).
     */
    public static String clearKeyLicense(final String videoId)
    {
        return PREFIX + videoId + CLEARKEY_LICENSE;
    }
}
