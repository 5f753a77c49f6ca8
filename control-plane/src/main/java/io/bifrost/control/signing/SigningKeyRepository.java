package io.bifrost.control.signing;

import java.util.List;

/**
 * Where the control plane keeps the signing keys created through the API (table {@code signing_keys}). One interface,
 * implemented over JDBC for the embedded H2 database and PostgreSQL alike; every change is one transaction, so two
 * control planes on one database never leave two current keys. Database failures surface as
 * {@link IllegalStateException}.
 */
public interface SigningKeyRepository
{
    /**
     * @return every stored key, oldest first.
     */
    List<StoredSigningKey> list();

    /**
     * Store a new key; when its state is {@link SigningKeyState#CURRENT}, the key current until now becomes
     * {@link SigningKeyState#ACCEPTED} in the same transaction.
     *
     * @param key a key whose id is not stored yet; state current or accepted.
     * @return false when a key with that id is already stored (nothing changed).
     */
    boolean insert(StoredSigningKey key);

    /**
     * Make a stored, non-retired key the current one; the previous current key becomes accepted.
     *
     * @param keyId the key.
     * @return the state the key had before (current: nothing changed), or null when no such key is stored.
     * @throws IllegalArgumentException when the key is retired (a retired key never signs again).
     */
    SigningKeyState makeCurrent(String keyId);

    /**
     * Retire an accepted key at {@code nowMs}; a retired key stays retired (its first retirement time is kept).
     *
     * @param keyId the key.
     * @param nowMs now, epoch milliseconds.
     * @return the key as stored after the call, or null when no such key is stored.
     * @throws IllegalArgumentException when the key is current (make another key current first).
     */
    StoredSigningKey retire(String keyId, long nowMs);
}
