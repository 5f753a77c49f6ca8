package io.bifrost.control.signing;

/**
 * One signing key as the database keeps it.
 *
 * @param keyId       1..16 characters of {@code [A-Za-z0-9_-]}; public, written into the tokens it signs.
 * @param secret      the HMAC-SHA256 key (32 random bytes); never logged, never answered by the API.
 * @param createdAtMs when it was created, epoch milliseconds.
 * @param state       current, accepted or retired.
 * @param retiredAtMs when it was retired, epoch milliseconds; -1 while not retired.
 */
public record StoredSigningKey(String keyId, byte[] secret, long createdAtMs, SigningKeyState state, long retiredAtMs)
{
    @Override
    public String toString()
    {
        return "StoredSigningKey{keyId=" + keyId + ", state=" + state.wireName() + ", secret=<redacted>}";
    }
}
