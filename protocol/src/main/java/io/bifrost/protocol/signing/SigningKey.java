package io.bifrost.protocol.signing;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One HMAC-SHA256 key for URL tokens: a public key id, written into every token it signs so verifiers can pick the
 * key, and a secret of at least {@value #MIN_SECRET_LENGTH} bytes, copied on construction and never printed.
 * <p>
 * Thread-safe: each thread gets its own initialised {@link Mac}, so signing and verifying allocate no MAC per call.
 */
public final class SigningKey
{
    /**
     * Shortest secret accepted, in bytes (the HMAC-SHA256 output size, RFC 2104 section 3).
     */
    public static final int MIN_SECRET_LENGTH = 32;

    /**
     * Longest key id, in characters.
     */
    public static final int MAX_KEY_ID_LENGTH = 16;

    static final String ALGORITHM = "HmacSHA256";
    static final int MAC_LENGTH = 32;

    private final String keyId;
    private final SecretKeySpec secret;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    /**
     * @param keyId  1..{@value #MAX_KEY_ID_LENGTH} characters of {@code [A-Za-z0-9_-]}; public, appears in tokens.
     * @param secret at least {@value #MIN_SECRET_LENGTH} random bytes; copied, so the caller may wipe its array.
     * @throws IllegalArgumentException when the key id or secret is invalid.
     */
    public SigningKey(final String keyId, final byte[] secret)
    {
        if (!isKeyId(keyId, 0, null == keyId ? 0 : keyId.length()))
        {
            throw new IllegalArgumentException(
                "key id must be 1.." + MAX_KEY_ID_LENGTH + " characters of [A-Za-z0-9_-], got " +
                (null == keyId ? "null" : '"' + keyId + '"'));
        }
        if (null == secret || secret.length < MIN_SECRET_LENGTH)
        {
            throw new IllegalArgumentException("signing secret for key " + keyId + " must be at least " +
                MIN_SECRET_LENGTH + " bytes, got " + (null == secret ? "null" : secret.length + " bytes"));
        }

        this.keyId = keyId;
        this.secret = new SecretKeySpec(secret, ALGORITHM);
    }

    /**
     * @return the key id written into tokens signed with this key.
     */
    public String keyId()
    {
        return keyId;
    }

    /**
     * @return this thread's HMAC-SHA256 instance initialised with this key, reset and ready for input.
     */
    Mac mac()
    {
        return macs.get();
    }

    /**
     * @return true when {@code s[start, end)} is this key's id.
     */
    boolean hasKeyId(final CharSequence s, final int start, final int end)
    {
        final int length = keyId.length();
        if (end - start != length)
        {
            return false;
        }

        for (int i = 0; i < length; i++)
        {
            if (keyId.charAt(i) != s.charAt(start + i))
            {
                return false;
            }
        }

        return true;
    }

    /**
     * @return true when {@code s[start, end)} is a syntactically valid key id.
     */
    static boolean isKeyId(final CharSequence s, final int start, final int end)
    {
        if (null == s || end <= start || end - start > MAX_KEY_ID_LENGTH)
        {
            return false;
        }

        for (int i = start; i < end; i++)
        {
            final char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private Mac newMac()
    {
        try
        {
            final Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return mac;
        }
        catch (final GeneralSecurityException ex)
        {
            // Every Java platform must provide HmacSHA256 (java.security.Security, "Standard Algorithm Names").
            throw new IllegalStateException(ALGORITHM + " is not available", ex);
        }
    }

    @Override
    public String toString()
    {
        return "SigningKey{keyId=" + keyId + ", secret=<redacted>}";
    }
}
