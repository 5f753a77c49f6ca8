package io.bifrost.edge.player;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One file the player serves from memory, with the headers that go with it.
 *
 * @param bytes        the body; never modified.
 * @param contentType  the Content-Type header.
 * @param cacheControl the Cache-Control header.
 * @param etag         a strong entity tag (quoted), derived from the bytes.
 */
record PlayerAsset(byte[] bytes, String contentType, String cacheControl, String etag)
{
    /** Assets whose URL carries their version: a year, never revalidated. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** The page itself: always revalidated, so a new edge release reaches viewers at once. */
    static final String REVALIDATE = "no-cache";

    static PlayerAsset of(final byte[] bytes, final String contentType, final String cacheControl)
    {
        return new PlayerAsset(bytes, contentType, cacheControl, "\"" + version(bytes) + "\"");
    }

    static PlayerAsset text(final String text, final String contentType, final String cacheControl)
    {
        return of(text.getBytes(StandardCharsets.UTF_8), contentType, cacheControl);
    }

    /**
     * @param bytes content.
     * @return the first 16 hex digits of its SHA-256, used in URLs and entity tags.
     */
    static String version(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JDK", ex);
        }
    }
}
