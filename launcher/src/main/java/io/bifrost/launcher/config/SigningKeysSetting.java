package io.bifrost.launcher.config;

import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the {@code edge.signing-keys} setting: {@code kid:secret} pairs separated by commas, each secret base64url
 * (padding optional) of at least {@value SigningKey#MIN_SECRET_LENGTH} bytes. The first key is the current one
 * (signs); all of them verify, so a key rotation is: add the new key first, later drop the old one.
 */
public final class SigningKeysSetting
{
    private SigningKeysSetting()
    {
    }

    /**
     * @param key   the setting's name, for error messages.
     * @param value the setting, or null/blank.
     * @return the key ring, or null when no keys are configured.
     * @throws ConfigException naming the bad entry (never the secret).
     */
    public static SigningKeyRing parse(final ConfigKey key, final String value)
    {
        if (value == null || value.isBlank())
        {
            return null;
        }
        final List<SigningKey> keys = new ArrayList<>();
        for (final String entry : value.split(","))
        {
            final String trimmed = entry.strip();
            final int colon = trimmed.indexOf(':');
            final String keyId = colon < 0 ? trimmed : trimmed.substring(0, colon);
            if (colon <= 0 || colon == trimmed.length() - 1)
            {
                throw new ConfigException(key.name() + ": entry '" + keyId + "' must be kid:secret");
            }
            try
            {
                keys.add(new SigningKey(keyId, Base64.getUrlDecoder().decode(trimmed.substring(colon + 1))));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException(key.name() + ": key '" + keyId + "' is not usable: " +
                    (ex.getMessage().contains("base64") || ex.getMessage().contains("Illegal") ?
                    "the secret is not base64url" : ex.getMessage()));
            }
        }
        return new SigningKeyRing(keys.get(0), keys.subList(1, keys.size()).toArray(SigningKey[]::new));
    }
}
