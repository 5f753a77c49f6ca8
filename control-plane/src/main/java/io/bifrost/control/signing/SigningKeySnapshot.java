package io.bifrost.control.signing;

import io.bifrost.protocol.signing.DistributedSigningKey;
import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One immutable reading of the signing keys ({@link SigningKeys} keeps the latest behind a volatile reference): the
 * stored rows, the ring that signs (the stored current key, else the configured current key, with every other
 * accepted key), the set edges are sent, and a version that changes whenever that set does.
 *
 * @param stored       every stored key, as read.
 * @param signingRing  the ring whose current key signs, or null when there is no key.
 * @param distribution the API keys edges must accept, with their ends.
 * @param apiKeys      the API keys by id (their per-thread MACs are reused by the next snapshot).
 * @param loadedAtMs   when the rows were read, or {@link #NEVER}.
 * @param version      changes whenever {@code distribution} does.
 */
record SigningKeySnapshot(
    List<StoredSigningKey> stored, SigningKeyRing signingRing, List<DistributedSigningKey> distribution,
    Map<String, SigningKey> apiKeys, long loadedAtMs, long version)
{
    /** {@link #loadedAtMs()} of a snapshot never read from the database. */
    static final long NEVER = Long.MIN_VALUE;

    /**
     * @param configured the configured keys, or null.
     * @return the snapshot before the first read: the configured keys only.
     */
    static SigningKeySnapshot unread(final SigningKeyRing configured)
    {
        return new SigningKeySnapshot(List.of(), configured, List.of(), Map.of(), NEVER, 0);
    }

    /**
     * Build the next snapshot from freshly read rows.
     *
     * @param previous      the snapshot it replaces (its key objects are reused when a secret did not change).
     * @param stored        the rows just read.
     * @param configured    the configured keys, or null.
     * @param configuredIds their ids (a stored key of the same id is ignored: the configuration wins).
     * @param maxTtlMs      the longest playback URL lifetime: a retired key is sent until {@code retired + maxTtl}.
     * @param nowMs         now.
     * @return the new snapshot.
     */
    static SigningKeySnapshot build(
        final SigningKeySnapshot previous,
        final List<StoredSigningKey> stored,
        final SigningKeyRing configured,
        final List<String> configuredIds,
        final long maxTtlMs,
        final long nowMs)
    {
        final Map<String, SigningKey> apiKeys = new HashMap<>();
        final List<DistributedSigningKey> distribution = new ArrayList<>();
        SigningKey apiCurrent = null;
        for (final StoredSigningKey key : stored)
        {
            if (configuredIds.contains(key.keyId()))
            {
                continue; // the configuration wins over a stored key of the same id
            }
            final long notAfterMs = key.state() == SigningKeyState.RETIRED ? key.retiredAtMs() + maxTtlMs : 0;
            if (notAfterMs != 0 && nowMs >= notAfterMs)
            {
                continue; // its window has passed: nothing it signed is still valid
            }
            distribution.add(new DistributedSigningKey(key.keyId(), key.secret(), notAfterMs));
            final SigningKey known = previous.apiKeys().get(key.keyId());
            // Reuse the previous object (its per-thread MACs) unless the secret changed.
            final SigningKey signingKey = known != null && sameSecret(previous, key) ? known :
                new SigningKey(key.keyId(), key.secret());
            apiKeys.put(key.keyId(), signingKey);
            if (key.state() == SigningKeyState.CURRENT)
            {
                apiCurrent = signingKey;
            }
        }
        final SigningKeyRing ring = signingRing(apiCurrent, apiKeys, configured, configuredIds);
        final long version = distribution.equals(previous.distribution()) ? previous.version() : previous.version() + 1;
        return new SigningKeySnapshot(List.copyOf(stored), ring, List.copyOf(distribution), Map.copyOf(apiKeys), nowMs,
            version);
    }

    private static SigningKeyRing signingRing(
        final SigningKey apiCurrent,
        final Map<String, SigningKey> apiKeys,
        final SigningKeyRing configured,
        final List<String> configuredIds)
    {
        final SigningKey current = apiCurrent != null ? apiCurrent : configured == null ? null : configured.current();
        if (current == null)
        {
            return null;
        }
        final List<SigningKey> others = new ArrayList<>();
        for (final String kid : configuredIds)
        {
            final SigningKey key = configured.find(kid);
            if (key != current)
            {
                others.add(key);
            }
        }
        for (final SigningKey key : apiKeys.values())
        {
            if (key != current)
            {
                others.add(key);
            }
        }
        return new SigningKeyRing(current, others.toArray(new SigningKey[0]));
    }

    private static boolean sameSecret(final SigningKeySnapshot previous, final StoredSigningKey key)
    {
        for (final DistributedSigningKey known : previous.distribution())
        {
            if (known.keyId().equals(key.keyId()))
            {
                return MessageDigest.isEqual(known.secret(), key.secret());
            }
        }
        return false;
    }
}
