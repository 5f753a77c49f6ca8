package io.bifrost.transcoder.protection;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The content key of one protected title: a random 16-byte AES-128 key and its 16-byte key id (the CENC KID; for
 * AES-128 HLS the id only names the key). Immutable; accessors return copies. {@link #toString()} never shows the key,
 * so a key cannot reach a log by accident.
 */
public final class TitleKey
{
    /** Bytes in a key and in a key id. */
    public static final int LENGTH = 16;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] kid;
    private final byte[] key;

    /**
     * @param kid 16 bytes.
     * @param key 16 bytes.
     * @throws IllegalArgumentException when either is not 16 bytes.
     */
    public TitleKey(final byte[] kid, final byte[] key)
    {
        if (kid == null || kid.length != LENGTH || key == null || key.length != LENGTH)
        {
            throw new IllegalArgumentException("a title key and its id are " + LENGTH + " bytes each");
        }
        this.kid = kid.clone();
        this.key = key.clone();
    }

    /**
     * @param random the source of randomness (a {@link SecureRandom}).
     * @return a fresh random key with a random id.
     */
    public static TitleKey generate(final SecureRandom random)
    {
        final byte[] kid = new byte[LENGTH];
        final byte[] key = new byte[LENGTH];
        random.nextBytes(kid);
        random.nextBytes(key);
        return new TitleKey(kid, key);
    }

    /**
     * @param kidHex 32 hex digits.
     * @param keyHex 32 hex digits.
     * @return the key.
     * @throws IllegalArgumentException when either is not 32 hex digits.
     */
    public static TitleKey fromHex(final String kidHex, final String keyHex)
    {
        return new TitleKey(HEX.parseHex(kidHex), HEX.parseHex(keyHex));
    }

    /**
     * @return the key id.
     */
    public byte[] kid()
    {
        return kid.clone();
    }

    /**
     * @return the key.
     */
    public byte[] key()
    {
        return key.clone();
    }

    /**
     * @return the key id as 32 lower-case hex digits.
     */
    public String kidHex()
    {
        return HEX.formatHex(kid);
    }

    /**
     * @return the key as 32 lower-case hex digits (for storage; never log it).
     */
    public String keyHex()
    {
        return HEX.formatHex(key);
    }

    /**
     * @return the key id as unpadded base64url, as W3C ClearKey licences name it.
     */
    public String kidBase64Url()
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(kid);
    }

    /**
     * @return the key as unpadded base64url (the {@code k} of a ClearKey licence).
     */
    public String keyBase64Url()
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /**
     * @return the key id as a UUID string (8-4-4-4-12), as {@code cenc:default_KID} writes it.
     */
    public String kidUuid()
    {
        final String hex = kidHex();
        return hex.substring(0, 8) + '-' + hex.substring(8, 12) + '-' + hex.substring(12, 16) + '-' +
            hex.substring(16, 20) + '-' + hex.substring(20);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof TitleKey that && Arrays.equals(kid, that.kid) && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(kid);
    }

    @Override
    public String toString()
    {
        return "TitleKey[kid=" + kidHex() + ", key=<redacted>]";
    }
}
