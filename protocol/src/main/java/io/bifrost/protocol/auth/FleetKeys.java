package io.bifrost.protocol.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The shared secrets a fleet authenticates its Aeron control messages with: {@code kid:secret} pairs separated by
 * commas, the syntax of {@code edge.signing-keys} (key id 1..{@value #MAX_KEY_ID_LENGTH} characters of
 * {@code [A-Za-z0-9_-]}, secret base64url, padding optional, at least {@value #MIN_SECRET_LENGTH} bytes). The first key
 * signs; every key verifies. Rotation: add the new key second everywhere, then move it first everywhere, then drop the
 * old one. Empty means authentication is off.
 *
 * <p>Immutable and thread-safe; secrets are copied and never printed ({@link #toString()} shows the key ids only).
 */
public final class FleetKeys
{
    /** Longest key id, in characters (it travels in every trailer, zero-padded to this length). */
    public static final int MAX_KEY_ID_LENGTH = 16;
    /** Shortest secret, in bytes (the HMAC-SHA256 output size, RFC 2104 section 3). */
    public static final int MIN_SECRET_LENGTH = 32;

    /** No keys: authentication off. */
    public static final FleetKeys NONE = new FleetKeys(List.of(), List.of());

    private final List<String> keyIds;
    private final List<byte[]> secrets;

    private FleetKeys(final List<String> keyIds, final List<byte[]> secrets)
    {
        this.keyIds = List.copyOf(keyIds);
        this.secrets = List.copyOf(secrets);
    }

    /**
     * @param value {@code kid:secret[,kid:secret...]}, or null/blank for none.
     * @param key   the setting's name, used in error messages (e.g. {@code control.fleet-keys}).
     * @return the keys, {@link #NONE} when blank.
     * @throws IllegalArgumentException naming the setting and the bad entry's key id, never a secret.
     */
    public static FleetKeys parse(final String value, final String key)
    {
        if (value == null || value.isBlank())
        {
            return NONE;
        }
        final List<String> ids = new ArrayList<>();
        final List<byte[]> secrets = new ArrayList<>();
        for (final String entry : value.split(","))
        {
            final String trimmed = entry.strip();
            final int colon = trimmed.indexOf(':');
            final String keyId = colon < 0 ? "" : trimmed.substring(0, colon);
            if (colon <= 0 || colon == trimmed.length() - 1)
            {
                throw new IllegalArgumentException(key + ": every entry must be kid:secret (base64url of " +
                    MIN_SECRET_LENGTH + "+ bytes, e.g. openssl rand -base64 32 | tr '+/' '-_')");
            }
            if (!keyId.matches("[A-Za-z0-9_-]{1," + MAX_KEY_ID_LENGTH + "}"))
            {
                throw new IllegalArgumentException(key + ": key id '" + keyId + "' must be 1.." + MAX_KEY_ID_LENGTH +
                    " characters of [A-Za-z0-9_-]");
            }
            if (ids.contains(keyId))
            {
                throw new IllegalArgumentException(key + ": key id '" + keyId + "' appears twice");
            }
            final byte[] secret;
            try
            {
                secret = Base64.getUrlDecoder().decode(trimmed.substring(colon + 1));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(key + ": the secret of key '" + keyId + "' is not base64url");
            }
            if (secret.length < MIN_SECRET_LENGTH)
            {
                throw new IllegalArgumentException(key + ": the secret of key '" + keyId + "' must be at least " +
                    MIN_SECRET_LENGTH + " bytes, got " + secret.length);
            }
            ids.add(keyId);
            secrets.add(secret);
        }
        return new FleetKeys(ids, secrets);
    }

    /**
     * @return true when at least one key is configured: messages are signed and unauthenticated ones refused.
     */
    public boolean enabled()
    {
        return !keyIds.isEmpty();
    }

    /**
     * @return the key ids, the signing key first.
     */
    public List<String> keyIds()
    {
        return keyIds;
    }

    /**
     * @param index 0..{@code keyIds().size() - 1}.
     * @return a copy of that key's secret (for building a MAC; never log it).
     */
    byte[] secret(final int index)
    {
        return secrets.get(index).clone();
    }

    /**
     * @param index 0..{@code keyIds().size() - 1}.
     * @return that key's id as it travels in a trailer: ASCII, zero-padded to {@value #MAX_KEY_ID_LENGTH} bytes.
     */
    byte[] paddedKeyId(final int index)
    {
        final byte[] padded = new byte[MAX_KEY_ID_LENGTH];
        final byte[] id = keyIds.get(index).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, padded, 0, id.length);
        return padded;
    }

    /**
     * A key for another purpose derived from one fleet key, so the fleet secret itself is only ever used for MACs:
     * HKDF-SHA256 (RFC 5869) with the secret as input keying material, no salt (a zero-filled one, section 2.2) and
     * {@code label} as info, 32 bytes of output.
     *
     * @param index 0..{@code keyIds().size() - 1}.
     * @param label what the key is for, e.g. {@code "bifrost signing keys"}.
     * @return 32 bytes (the caller owns the array; never log it).
     */
    byte[] derive(final int index, final String label)
    {
        try
        {
            final Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            final byte[] pseudoRandomKey = extract.doFinal(secrets.get(index));
            final Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(pseudoRandomKey, "HmacSHA256"));
            expand.update(label.getBytes(StandardCharsets.US_ASCII));
            expand.update((byte)1);
            return expand.doFinal();
        }
        catch (final GeneralSecurityException ex)
        {
            // Every Java platform must provide HmacSHA256 (java.security.Security, "Standard Algorithm Names").
            throw new IllegalStateException("HmacSHA256 is not available", ex);
        }
    }

    /**
     * @return the setting with every secret masked, as the launcher prints it.
     */
    public String masked()
    {
        final StringBuilder text = new StringBuilder();
        for (final String keyId : keyIds)
        {
            text.append(text.isEmpty() ? "" : ",").append(keyId).append(":****");
        }
        return text.toString();
    }

    @Override
    public String toString()
    {
        return "FleetKeys{" + (enabled() ? "keyIds=" + keyIds : "off") + "}";
    }
}
