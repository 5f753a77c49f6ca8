package io.bifrost.control.signing;

import io.bifrost.protocol.signing.DistributedSigningKey;
import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every playback URL signing key the control plane knows: the configured ones ({@code control.signing-keys}, fixed
 * for the process's life) and the ones created through the API (stored in the database by a
 * {@link SigningKeyRepository}).
 * <p>
 * Which key signs: the database's current key when there is one, else the configured ring's current (first) key, else
 * none (no URL is issued). Which keys edges are sent ({@link #distribution()}): every API key that is current or
 * accepted, and every retired one until its window ends, {@code retired_at + maxTtl}: a key retires only after it
 * stopped signing, and no URL lives longer than {@code maxTtl}, so no token it signed outlives that window.
 * Configured keys are not sent; edges have their own {@code edge.signing-keys}.
 * <p>
 * Reads come from an immutable snapshot ({@code SigningKeySnapshot}) behind a volatile reference, rebuilt after every
 * change made here and re-read from the database at most every {@link #REFRESH_MS} when asked (so changes another
 * control plane makes on a shared database show here too). Thread-safe; changes are serialised.
 */
public final class SigningKeys
{
    /** Longest time a snapshot is used before the database is read again. */
    public static final long REFRESH_MS = 5_000;
    /** Bytes of a secret the control plane generates: 256 bits. */
    public static final int SECRET_BYTES = 32;
    /** Most API keys that may be accepted at once (current, accepted and retired within their window). */
    public static final int MAX_LIVE_KEYS = 16;

    private static final long NEVER = SigningKeySnapshot.NEVER;
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1," + SigningKey.MAX_KEY_ID_LENGTH + "}");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    /** What a change could not do, and why. */
    public enum Refusal
    {
        /** No key with that id. */
        NOT_FOUND,
        /** The id is already taken (by a configured or a stored key). */
        EXISTS,
        /** A configured key: change {@code control.signing-keys} instead. */
        CONFIGURED,
        /** The key is current: make another key current first. */
        CURRENT,
        /** The key is retired and never signs again. */
        RETIRED,
        /** {@link #MAX_LIVE_KEYS} API keys are already accepted. */
        TOO_MANY
    }

    /** A refused change. */
    public static final class RefusedException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        private final Refusal refusal;

        RefusedException(final Refusal refusal, final String message)
        {
            super(message, null, false, false);
            this.refusal = refusal;
        }

        /**
         * @return why.
         */
        public Refusal refusal()
        {
            return refusal;
        }
    }

    private final SigningKeyRing configured;
    private final List<String> configuredIds;
    private final SigningKeyRepository repository;
    private final Clock clock;
    private final long maxTtlMs;
    private final SecureRandom random;
    private volatile SigningKeySnapshot snapshot;

    /**
     * @param configured the configured keys ({@code control.signing-keys}), or null when none.
     * @param repository the stored keys.
     * @param clock      the control plane's clock.
     * @param maxTtlMs   the longest lifetime of a playback URL ({@code control.playback-url-max-ttl-seconds}).
     * @param random     generates secrets and key id suffixes.
     */
    public SigningKeys(
        final SigningKeyRing configured,
        final SigningKeyRepository repository,
        final Clock clock,
        final long maxTtlMs,
        final SecureRandom random)
    {
        this.configured = configured;
        this.configuredIds = configured == null ? List.of() : configured.keyIds();
        this.repository = repository;
        this.clock = clock;
        this.maxTtlMs = maxTtlMs;
        this.random = random;
        this.snapshot = SigningKeySnapshot.unread(configured);
    }

    /**
     * @return the ring whose current key signs the next playback URL, or null when no key is configured or stored.
     */
    public SigningKeyRing signingRing()
    {
        return fresh().signingRing();
    }

    /**
     * @return the API keys edges must accept now, with their ends; empty when there are none.
     */
    public List<DistributedSigningKey> distribution()
    {
        return fresh().distribution();
    }

    /**
     * @return a number that changes whenever {@link #distribution()} does (edges are sent the set at once).
     */
    public long version()
    {
        return fresh().version();
    }

    /**
     * @return the API keys edges must accept, as last read (never reads the database: for the Aeron agent's thread).
     */
    public List<DistributedSigningKey> loadedDistribution()
    {
        return snapshot.distribution();
    }

    /**
     * @return the version of {@link #loadedDistribution()} (never reads the database).
     */
    public long loadedVersion()
    {
        return snapshot.version();
    }

    /**
     * Read the stored keys again when the last read is older than {@link #REFRESH_MS} (changes another control plane
     * made on a shared database); runs on the control plane's database thread ({@code bifrost-control-db}), so the
     * Aeron agent never waits for the database. A failure keeps the last keys read (logged).
     */
    public void refresh()
    {
        fresh();
    }

    /**
     * @return every key, the signing one first, then configured keys, then API keys oldest first.
     */
    public List<SigningKeyView> views()
    {
        final SigningKeySnapshot current = fresh();
        final String signing = current.signingRing() == null ? null : current.signingRing().current().keyId();
        final List<SigningKeyView> views = new ArrayList<>();
        for (final String kid : configuredIds)
        {
            views.add(new SigningKeyView(kid, kid.equals(signing), "config",
                kid.equals(signing) ? SigningKeyState.CURRENT.wireName() : SigningKeyState.ACCEPTED.wireName(),
                null, null, null));
        }
        for (final StoredSigningKey key : current.stored())
        {
            if (!configuredIds.contains(key.keyId()))
            {
                views.add(view(key, key.keyId().equals(signing)));
            }
        }
        views.sort((a, b) -> Boolean.compare(b.signs(), a.signs()));
        return views;
    }

    /**
     * Create a key with a fresh 256-bit secret.
     *
     * @param keyId   the id, or null to generate one ({@code kYYYYMMDD-xxxx}).
     * @param current true to sign with it at once (edges that have not learnt it yet refuse its URLs until they do).
     * @return the new key's view.
     * @throws RefusedException when the id is taken or too many keys are accepted.
     * @throws IllegalArgumentException when the id is malformed.
     */
    public synchronized SigningKeyView create(final String keyId, final boolean current)
    {
        if (keyId != null && !KEY_ID.matcher(keyId).matches())
        {
            throw new IllegalArgumentException("kid must be 1.." + SigningKey.MAX_KEY_ID_LENGTH +
                " characters of [A-Za-z0-9_-]");
        }
        final SigningKeySnapshot before = reload();
        if (before.distribution().size() >= MAX_LIVE_KEYS)
        {
            throw new RefusedException(Refusal.TOO_MANY, MAX_LIVE_KEYS + " API signing keys are accepted already: " +
                "retire one and wait for its window to end");
        }
        final long nowMs = clock.millis();
        final String id = keyId != null ? keyId : generatedId(nowMs);
        if (configuredIds.contains(id))
        {
            throw new RefusedException(Refusal.EXISTS, "signing key " + id + " is configured (control.signing-keys)");
        }
        final byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        final StoredSigningKey key = new StoredSigningKey(id, secret, nowMs,
            current ? SigningKeyState.CURRENT : SigningKeyState.ACCEPTED, -1);
        if (!repository.insert(key))
        {
            throw new RefusedException(Refusal.EXISTS, "a signing key " + id + " exists already");
        }
        LOG.info("signing key {} created{}", id, current ? " and made current" : "");
        reload();
        return view(key, current);
    }

    /**
     * Sign new playback URLs with this API key from now on; the key signing until now stays accepted.
     *
     * @param keyId the key.
     * @return its view.
     * @throws RefusedException when unknown, configured or retired.
     */
    public synchronized SigningKeyView makeCurrent(final String keyId)
    {
        refuseConfigured(keyId);
        final SigningKeyState before;
        try
        {
            before = repository.makeCurrent(keyId);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new RefusedException(Refusal.RETIRED, ex.getMessage());
        }
        if (before == null)
        {
            throw notFound(keyId);
        }
        LOG.info("signing key {} made current", keyId);
        return viewOf(reload(), keyId);
    }

    /**
     * Retire an API key: it signs nothing, and edges drop it once {@code maxTtl} has passed from now.
     *
     * @param keyId the key.
     * @return its view ({@code accepted_until} says when edges drop it).
     * @throws RefusedException when unknown, configured or current.
     */
    public synchronized SigningKeyView retire(final String keyId)
    {
        refuseConfigured(keyId);
        final StoredSigningKey retired;
        try
        {
            retired = repository.retire(keyId, clock.millis());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new RefusedException(Refusal.CURRENT, ex.getMessage());
        }
        if (retired == null)
        {
            throw notFound(keyId);
        }
        LOG.info("signing key {} retired; edges accept it until {}", keyId,
            Instant.ofEpochMilli(retired.retiredAtMs() + maxTtlMs));
        reload();
        return view(retired, false);
    }

    private void refuseConfigured(final String keyId)
    {
        if (configuredIds.contains(keyId))
        {
            throw new RefusedException(Refusal.CONFIGURED, "signing key " + keyId + " comes from control.signing-keys: " +
                "change the configuration to change it");
        }
    }

    private static RefusedException notFound(final String keyId)
    {
        return new RefusedException(Refusal.NOT_FOUND, "no signing key " + keyId);
    }

    private SigningKeyView viewOf(final SigningKeySnapshot current, final String keyId)
    {
        final String signing = current.signingRing() == null ? null : current.signingRing().current().keyId();
        for (final StoredSigningKey key : current.stored())
        {
            if (key.keyId().equals(keyId))
            {
                return view(key, keyId.equals(signing));
            }
        }
        throw notFound(keyId);
    }

    private SigningKeyView view(final StoredSigningKey key, final boolean signs)
    {
        return new SigningKeyView(key.keyId(), signs, "api", key.state().wireName(),
            Instant.ofEpochMilli(key.createdAtMs()).toString(),
            key.retiredAtMs() < 0 ? null : Instant.ofEpochMilli(key.retiredAtMs()).toString(),
            key.retiredAtMs() < 0 ? null : Instant.ofEpochMilli(key.retiredAtMs() + maxTtlMs).toString());
    }

    private String generatedId(final long nowMs)
    {
        final byte[] suffix = new byte[2];
        random.nextBytes(suffix);
        return "k" + DAY.format(Instant.ofEpochMilli(nowMs)) + "-" + HexFormat.of().formatHex(suffix);
    }

    private SigningKeySnapshot fresh()
    {
        final SigningKeySnapshot current = snapshot;
        final long ageMs = clock.millis() - current.loadedAtMs();
        if (current.loadedAtMs() != NEVER && ageMs >= 0 && ageMs < REFRESH_MS)
        {
            return current;
        }
        synchronized (this)
        {
            try
            {
                return snapshot.loadedAtMs() == current.loadedAtMs() ? reload() : snapshot;
            }
            catch (final IllegalStateException ex)
            {
                // The database is away: keep signing and distributing what was read last; try again next time.
                LOG.warn("signing keys cannot be read again, using the last ones read: {}", ex.getMessage());
                return snapshot;
            }
        }
    }

    /** Read the stored keys and build the signing ring and the distributed set; called holding this lock. */
    private SigningKeySnapshot reload()
    {
        final SigningKeySnapshot next = SigningKeySnapshot.build(snapshot, repository.list(), configured, configuredIds,
            maxTtlMs, clock.millis());
        snapshot = next;
        return next;
    }
}
