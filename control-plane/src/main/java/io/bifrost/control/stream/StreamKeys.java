package io.bifrost.control.stream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Stream ids and stream keys, as fixed by the ingest contract: ids are {@code st_} + 16 random bytes in hex (35
 * characters), keys are {@code sk_} + 32 random bytes in base64url without padding (46 characters). Both come from a
 * {@link SecureRandom}; a key carries 256 bits, so it cannot be guessed, and only its SHA-256 is stored (no salt is
 * needed for a value with that much entropy). Thread-safe.
 */
public final class StreamKeys
{
    /** Characters of a key kept for display ({@code sk_} + 5). */
    public static final int DISPLAY_PREFIX_LENGTH = 8;

    private static final Pattern STREAM_ID = Pattern.compile("st_[0-9a-f]{32}");
    private static final Pattern STREAM_KEY = Pattern.compile("sk_[A-Za-z0-9_-]{43}");
    private static final HexFormat HEX = HexFormat.of();

    private final SecureRandom random;

    /**
     * @param random the source of ids and keys.
     */
    public StreamKeys(final SecureRandom random)
    {
        this.random = random;
    }

    /**
     * @return a new stream id.
     */
    public String newStreamId()
    {
        final byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "st_" + HEX.formatHex(bytes);
    }

    /**
     * @return a new stream key; show it once and keep only {@link #sha256Hex(String)} of it.
     */
    public String newStreamKey()
    {
        final byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "sk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * @param text a stream id candidate.
     * @return true when it has the shape of a stream id.
     */
    public static boolean isStreamId(final String text)
    {
        return text != null && STREAM_ID.matcher(text).matches();
    }

    /**
     * @param text a stream key candidate.
     * @return true when it has the shape of a stream key.
     */
    public static boolean isStreamKey(final String text)
    {
        return text != null && text.length() == 46 && STREAM_KEY.matcher(text).matches();
    }

    /**
     * @param key a stream key.
     * @return lower-case hex SHA-256 of its UTF-8 bytes (64 characters).
     */
    public static String sha256Hex(final String key)
    {
        try
        {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", ex);
        }
    }

    /**
     * @param key a stream key.
     * @return its first {@value #DISPLAY_PREFIX_LENGTH} characters.
     */
    public static String displayPrefix(final String key)
    {
        return key.substring(0, Math.min(DISPLAY_PREFIX_LENGTH, key.length()));
    }
}
