package io.bifrost.protocol.signing;

/**
 * A signing key as the control plane pushes it to edges (the {@code SigningKeys} message): its id, its secret and
 * until when edges may accept tokens signed with it.
 *
 * @param keyId      1..{@value SigningKey#MAX_KEY_ID_LENGTH} characters of {@code [A-Za-z0-9_-]}.
 * @param secret     the HMAC-SHA256 key, {@value SigningKey#MIN_SECRET_LENGTH}..{@value #MAX_SECRET_LENGTH} bytes;
 *                   never logged ({@link #toString()} hides it).
 * @param notAfterMs epoch milliseconds from which edges drop the key (a retired key's window end); 0: no end.
 */
public record DistributedSigningKey(String keyId, byte[] secret, long notAfterMs)
{
    /** Longest secret distributed, in bytes. */
    public static final int MAX_SECRET_LENGTH = 64;

    /**
     * @throws IllegalArgumentException when the id or secret is out of bounds or the end is negative.
     */
    public DistributedSigningKey
    {
        if (!SigningKey.isKeyId(keyId, 0, null == keyId ? 0 : keyId.length()))
        {
            throw new IllegalArgumentException("key id must be 1.." + SigningKey.MAX_KEY_ID_LENGTH +
                " characters of [A-Za-z0-9_-], got " + keyId);
        }
        if (null == secret || secret.length < SigningKey.MIN_SECRET_LENGTH || secret.length > MAX_SECRET_LENGTH)
        {
            throw new IllegalArgumentException("secret of key " + keyId + " must be " + SigningKey.MIN_SECRET_LENGTH +
                ".." + MAX_SECRET_LENGTH + " bytes");
        }
        if (notAfterMs < 0)
        {
            throw new IllegalArgumentException("not-after of key " + keyId + " must be 0 (none) or an epoch time");
        }
        secret = secret.clone();
    }

    /**
     * @param nowMs epoch milliseconds.
     * @return true when tokens signed with this key may still be accepted at {@code nowMs}.
     */
    public boolean acceptedAt(final long nowMs)
    {
        return notAfterMs == 0 || nowMs < notAfterMs;
    }

    /**
     * @return a copy of the secret (the record's own array is never handed out).
     */
    @Override
    public byte[] secret()
    {
        return secret.clone();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof DistributedSigningKey key && keyId.equals(key.keyId) && notAfterMs == key.notAfterMs &&
            java.security.MessageDigest.isEqual(secret, key.secret);
    }

    @Override
    public int hashCode()
    {
        return keyId.hashCode() * 31 + Long.hashCode(notAfterMs);
    }

    @Override
    public String toString()
    {
        return "DistributedSigningKey{keyId=" + keyId + ", notAfterMs=" + notAfterMs + ", secret=<redacted>}";
    }
}
