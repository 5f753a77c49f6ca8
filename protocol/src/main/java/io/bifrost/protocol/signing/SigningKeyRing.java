package io.bifrost.protocol.signing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The keys a node knows: one current key that {@link UrlSigner} signs with, and every key (the current one included)
 * that {@link UrlTokenVerifier} accepts, found by the key id in the token.
 * <p>
 * Rotation without rejecting tokens in flight: {@link #add} the new key everywhere, then {@link #makeCurrent} it
 * where tokens are signed, and {@link #remove} the old key once the longest-lived token it signed has expired. A node
 * that learns its keys at run time (an edge receiving them from the control plane) swaps the whole set at once with
 * {@link #replace}; such a ring may start empty ({@link #verifyOnly()}) and may have no current key: it only verifies.
 * <p>
 * Thread-safe: changes are copy-on-write behind a volatile reference, so lookups on the request path take no lock and
 * see either the old or the new set of keys.
 */
public final class SigningKeyRing
{
    private static final class State
    {
        private final SigningKey current;
        private final SigningKey[] keys;

        private State(final SigningKey current, final SigningKey[] keys)
        {
            this.current = current;
            this.keys = keys;
        }
    }

    private volatile State state;

    private SigningKeyRing(final State state)
    {
        this.state = state;
    }

    /**
     * @return a ring with no key, which verifies nothing until keys are {@link #replace}d or {@link #add}ed; it has
     * no current key, so a {@link UrlSigner} over it refuses to sign.
     */
    public static SigningKeyRing verifyOnly()
    {
        return new SigningKeyRing(new State(null, new SigningKey[0]));
    }

    /**
     * @param current the key to sign with; also accepted for verification.
     * @param others  further keys accepted for verification only (e.g. the previous key during rotation).
     * @throws IllegalArgumentException when a key is null or two keys share a key id.
     */
    public SigningKeyRing(final SigningKey current, final SigningKey... others)
    {
        if (null == current)
        {
            throw new IllegalArgumentException("current signing key must not be null");
        }

        State newState = new State(current, new SigningKey[]{ current });
        for (final SigningKey key : others)
        {
            newState = withKey(newState, key);
        }
        state = newState;
    }

    /**
     * @return the key new tokens are signed with.
     * @throws IllegalStateException when this ring has no current key (a verify-only ring).
     */
    public SigningKey current()
    {
        final SigningKey current = state.current;
        if (null == current)
        {
            throw new IllegalStateException("this signing key ring only verifies: it has no current key");
        }
        return current;
    }

    /**
     * @return the key new tokens are signed with, or null when this ring only verifies.
     */
    public SigningKey currentOrNull()
    {
        return state.current;
    }

    /**
     * @return every key in the ring, the current one (if any) first.
     */
    public List<SigningKey> keys()
    {
        final State snapshot = state;
        final List<SigningKey> keys = new ArrayList<>(snapshot.keys.length);
        if (null != snapshot.current)
        {
            keys.add(snapshot.current);
        }
        for (final SigningKey key : snapshot.keys)
        {
            if (key != snapshot.current)
            {
                keys.add(key);
            }
        }
        return keys;
    }

    /**
     * Accept exactly {@code keys} from now on, in one step: a verification sees the old set or the new one.
     *
     * @param current the key to sign with (one of {@code keys}), or null for a ring that only verifies.
     * @param keys    every key accepted; ids unique.
     * @return this.
     * @throws IllegalArgumentException when a key is null, two share an id, or {@code current} is not among them.
     */
    public synchronized SigningKeyRing replace(final SigningKey current, final List<SigningKey> keys)
    {
        Objects.requireNonNull(keys, "keys");
        State newState = new State(null, new SigningKey[0]);
        for (final SigningKey key : keys)
        {
            newState = withKey(newState, key);
        }
        if (null != current && !keys.contains(current))
        {
            throw new IllegalArgumentException("the current key " + current.keyId() + " must be one of the keys");
        }
        state = new State(current, newState.keys);
        return this;
    }

    /**
     * @param keyId a key id.
     * @return the key with that id, or null when this ring does not hold it.
     */
    public SigningKey find(final CharSequence keyId)
    {
        return null == keyId ? null : find(keyId, 0, keyId.length());
    }

    /**
     * @return the key whose id is {@code s[start, end)}, or null; allocation-free for the verifier.
     */
    SigningKey find(final CharSequence s, final int start, final int end)
    {
        for (final SigningKey key : state.keys)
        {
            if (key.hasKeyId(s, start, end))
            {
                return key;
            }
        }

        return null;
    }

    /**
     * @return the ids of every key in the ring, current key (if any) first.
     */
    public List<String> keyIds()
    {
        final State snapshot = state;
        final List<String> ids = new ArrayList<>(snapshot.keys.length);
        if (null != snapshot.current)
        {
            ids.add(snapshot.current.keyId());
        }
        for (final SigningKey key : snapshot.keys)
        {
            if (key != snapshot.current)
            {
                ids.add(key.keyId());
            }
        }

        return ids;
    }

    /**
     * Accept tokens signed with {@code key} from now on; the current key does not change.
     *
     * @param key a key whose id is not in the ring yet.
     * @return this.
     * @throws IllegalArgumentException when null or its key id is already in the ring.
     */
    public synchronized SigningKeyRing add(final SigningKey key)
    {
        state = withKey(state, key);
        return this;
    }

    /**
     * Sign with the key {@code keyId} from now on; the previous current key stays accepted until removed.
     *
     * @param keyId id of a key in the ring.
     * @return this.
     * @throws IllegalArgumentException when no key has that id.
     */
    public synchronized SigningKeyRing makeCurrent(final String keyId)
    {
        final State snapshot = state;
        final SigningKey key = find(keyId);
        if (null == key)
        {
            throw new IllegalArgumentException("no signing key with id " + keyId + " in the ring " + keyIds());
        }

        state = new State(key, snapshot.keys);
        return this;
    }

    /**
     * Stop accepting tokens signed with the key {@code keyId}.
     *
     * @param keyId id of a key that is not the current one.
     * @return true when the key was in the ring and is removed, false when it was not in the ring.
     * @throws IllegalArgumentException when {@code keyId} is the current key's id.
     */
    public synchronized boolean remove(final String keyId)
    {
        final State snapshot = state;
        if (null != snapshot.current && snapshot.current.keyId().equals(keyId))
        {
            throw new IllegalArgumentException(
                "cannot remove the current signing key " + keyId + "; make another key current first");
        }

        final SigningKey key = find(keyId);
        if (null == key)
        {
            return false;
        }

        final SigningKey[] keys = new SigningKey[snapshot.keys.length - 1];
        int i = 0;
        for (final SigningKey k : snapshot.keys)
        {
            if (k != key)
            {
                keys[i++] = k;
            }
        }
        state = new State(snapshot.current, keys);
        return true;
    }

    @Override
    public String toString()
    {
        final SigningKey current = state.current;
        return "SigningKeyRing{current=" + (null == current ? "none" : current.keyId()) + ", keyIds=" + keyIds() + "}";
    }

    private static State withKey(final State state, final SigningKey key)
    {
        if (null == key)
        {
            throw new IllegalArgumentException("signing key must not be null");
        }

        for (final SigningKey k : state.keys)
        {
            if (k.keyId().equals(key.keyId()))
            {
                throw new IllegalArgumentException("a signing key with id " + key.keyId() + " is already in the ring");
            }
        }

        final SigningKey[] keys = new SigningKey[state.keys.length + 1];
        System.arraycopy(state.keys, 0, keys, 0, state.keys.length);
        keys[state.keys.length] = key;
        return new State(state.current, keys);
    }
}
