package io.bifrost.protocol.auth;

import io.bifrost.protocol.aeron.MessageFrame;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import io.bifrost.protocol.sbe.SigningKeysDecoder;
import io.bifrost.protocol.sbe.SigningKeysEncoder;
import io.bifrost.protocol.signing.DistributedSigningKey;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code SigningKeys} message: the control plane's whole set of playback URL signing keys for edges, with each
 * secret sealed under the fleet key that signs the message, so only members of the fleet can read them and nobody
 * can alter or replay an old set unnoticed.
 * <pre>
 *   SBE SigningKeys (generation, keys[notAfterMs, keyId, sealedSecret]) || {@link MessageAuthenticator} trailer
 *   sealedSecret = nonce (12 random bytes) || AES-256-GCM(sealing key, nonce, secret, aad = keyId || notAfterMs) (+16-byte tag)
 *   sealing key  = HKDF-SHA256(ikm = fleet key secret, salt = none, info = "{@value #LABEL}"), 32 bytes (RFC 5869)
 * </pre>
 * The receiver derives the sealing key of the fleet key named in the trailer, so rotating fleet keys needs nothing
 * more. Without fleet keys nothing is sealed or opened: {@link #encode} refuses and {@link #decode} answers
 * {@link Verdict#NO_FLEET_KEYS}, so secrets never travel in the clear.
 *
 * <p>Bounded: at most {@value #MAX_KEYS} keys per message (more is {@link Verdict#TOO_MANY_KEYS} before anything is
 * read), key ids of at most 16 characters, secrets of 32..64 bytes; anything else is {@link Verdict#MALFORMED}. Never
 * throws on received bytes. Not thread-safe (one per sender or receiving agent: it owns MACs and a cipher); the
 * message is not on a hot path (one every few seconds), so decoding allocates the keys it returns.
 */
public final class SealedSigningKeys
{
    /** Most keys one message carries. */
    public static final int MAX_KEYS = 16;
    /** HKDF info of the sealing key. */
    public static final String LABEL = "bifrost signing keys";
    /** Random nonce before each sealed secret (NIST SP 800-38D section 8.2.2). */
    static final int NONCE_LENGTH = 12;
    /** GCM tag after each sealed secret. */
    static final int TAG_LENGTH = 16;
    private static final int MIN_SEALED = NONCE_LENGTH + 32 + TAG_LENGTH;
    private static final int MAX_SEALED = NONCE_LENGTH + DistributedSigningKey.MAX_SECRET_LENGTH + TAG_LENGTH;
    private static final int MAX_KEY_ID = FleetKeys.MAX_KEY_ID_LENGTH;
    /** Largest message with its trailer: what a sender's buffer must hold. */
    public static final int MAX_MESSAGE_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + SigningKeysEncoder.BLOCK_LENGTH +
        SigningKeysEncoder.KeysEncoder.sbeHeaderSize() + MAX_KEYS * (SigningKeysEncoder.KeysEncoder.sbeBlockLength() +
        SigningKeysEncoder.KeysEncoder.keyIdHeaderLength() + MAX_KEY_ID +
        SigningKeysEncoder.KeysEncoder.sealedSecretHeaderLength() + MAX_SEALED) + MessageAuthenticator.TRAILER_LENGTH;

    /** What {@link #decode} found. */
    public enum Verdict
    {
        /** Authentic, fresh and well-formed: the keys are in the caller's list. */
        ACCEPTED,
        /** This node has no fleet keys, so it cannot authenticate the sender nor open the secrets: ignored. */
        NO_FLEET_KEYS,
        /** No authentication trailer. */
        MISSING,
        /** Signed with a fleet key this node does not hold. */
        UNKNOWN_KEY,
        /** The trailer's MAC does not match: forged or altered. */
        BAD_MAC,
        /** Sent outside the authentication window. */
        STALE,
        /** Not a well-formed SigningKeys message of this schema (or a key in it out of bounds). */
        MALFORMED,
        /** More than {@value #MAX_KEYS} keys. */
        TOO_MANY_KEYS,
        /** A sealed secret does not open (AES-GCM tag mismatch). */
        UNSEALABLE;

        private final String tag = name().toLowerCase(Locale.ROOT);

        /**
         * @return the lower-case name, for a counter's {@code reason} tag.
         */
        public String tag()
        {
            return tag;
        }
    }

    private final FleetKeys fleetKeys;
    private final MessageAuthenticator authenticator;
    private final SecretKeySpec[] sealingKeys;
    private final SecureRandom random;
    private final Cipher cipher;
    private final MessageFrame frame = new MessageFrame(SigningKeysDecoder.TEMPLATE_ID);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final SigningKeysEncoder encoder = new SigningKeysEncoder();
    private final SigningKeysDecoder decoder = new SigningKeysDecoder();
    private final byte[] sealed = new byte[MAX_SEALED];
    private final byte[] nonce = new byte[NONCE_LENGTH];
    private long generation;
    private long sentAtMs;

    /**
     * @param fleetKeys the fleet's keys; {@link FleetKeys#NONE}: nothing is sent or accepted.
     * @param random    nonces.
     */
    public SealedSigningKeys(final FleetKeys fleetKeys, final SecureRandom random)
    {
        this(fleetKeys, random, MessageAuthenticator.DEFAULT_MAX_AGE_MS);
    }

    /**
     * @param fleetKeys the fleet's keys; {@link FleetKeys#NONE}: nothing is sent or accepted.
     * @param random    nonces.
     * @param maxAgeMs  the authentication window (largest send-time difference accepted).
     */
    public SealedSigningKeys(final FleetKeys fleetKeys, final SecureRandom random, final long maxAgeMs)
    {
        this.fleetKeys = fleetKeys;
        this.authenticator = new MessageAuthenticator(fleetKeys, maxAgeMs);
        this.random = random;
        final int count = fleetKeys.keyIds().size();
        this.sealingKeys = new SecretKeySpec[count];
        for (int i = 0; i < count; i++)
        {
            sealingKeys[i] = new SecretKeySpec(fleetKeys.derive(i, LABEL), "AES");
        }
        try
        {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        }
        catch (final GeneralSecurityException ex)
        {
            // Every Java platform must provide AES/GCM/NoPadding (javax.crypto.Cipher, "Standard Algorithm Names").
            throw new IllegalStateException("AES/GCM/NoPadding is not available", ex);
        }
    }

    /**
     * @return true when messages can be sealed and opened (fleet keys are configured).
     */
    public boolean enabled()
    {
        return fleetKeys.enabled();
    }

    /**
     * Encode, seal and sign a set of keys.
     *
     * @param buffer     where the message goes ({@link #MAX_MESSAGE_LENGTH} bytes from {@code offset} suffice).
     * @param offset     where it starts.
     * @param generation the sender's change number of this set (informative for receivers).
     * @param keys       at most {@value #MAX_KEYS} keys.
     * @param nowMs      the sender's clock, epoch milliseconds.
     * @return the length to send, trailer included.
     * @throws IllegalStateException    without fleet keys: secrets are never sent unsealed.
     * @throws IllegalArgumentException with more than {@value #MAX_KEYS} keys.
     */
    public int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final long generation,
        final List<DistributedSigningKey> keys,
        final long nowMs)
    {
        if (!enabled())
        {
            throw new IllegalStateException("signing keys are only sent sealed under the fleet keys, and none are set");
        }
        if (keys.size() > MAX_KEYS)
        {
            throw new IllegalArgumentException("at most " + MAX_KEYS + " signing keys per message, got " + keys.size());
        }
        encoder.wrapAndApplyHeader(buffer, offset, header).generation(generation);
        final SigningKeysEncoder.KeysEncoder group = encoder.keysCount(keys.size());
        for (final DistributedSigningKey key : keys)
        {
            final int length = seal(key);
            group.next().notAfterMs(key.notAfterMs()).keyId(key.keyId()).putSealedSecret(sealed, 0, length);
        }
        return authenticator.sign(buffer, offset, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), nowMs);
    }

    /**
     * Authenticate, decode and open one received message.
     *
     * @param buffer holds the message and its trailer.
     * @param offset where it starts.
     * @param length message plus trailer.
     * @param nowMs  this node's clock, epoch milliseconds.
     * @param out    cleared, then filled with the keys on {@link Verdict#ACCEPTED}; left empty otherwise.
     * @return the verdict.
     */
    public Verdict decode(
        final DirectBuffer buffer, final int offset, final int length, final long nowMs, final List<DistributedSigningKey> out)
    {
        out.clear();
        generation = 0;
        sentAtMs = 0;
        if (!enabled())
        {
            return Verdict.NO_FLEET_KEYS;
        }
        final Verdict authentication = switch (authenticator.verify(buffer, offset, length, nowMs))
        {
            case ACCEPTED -> Verdict.ACCEPTED;
            case MISSING -> Verdict.MISSING;
            case UNKNOWN_KEY -> Verdict.UNKNOWN_KEY;
            case BAD_MAC -> Verdict.BAD_MAC;
            case STALE -> Verdict.STALE;
        };
        if (authentication != Verdict.ACCEPTED)
        {
            return authentication;
        }
        if (frame.wrap(buffer, offset, authenticator.messageLength()) != MessageFrame.Verdict.VALID)
        {
            return Verdict.MALFORMED;
        }
        final SecretKeySpec sealingKey = sealingKeys[authenticator.keyIndex()];
        try
        {
            decoder.wrap(frame.view(), frame.bodyOffset(), frame.blockLength(), frame.version());
            final long messageGeneration = decoder.generation();
            final SigningKeysDecoder.KeysDecoder group = decoder.keys();
            if (group.count() > MAX_KEYS)
            {
                return Verdict.TOO_MANY_KEYS;
            }
            final Set<String> ids = new HashSet<>();
            while (group.hasNext())
            {
                group.next();
                final long notAfterMs = group.notAfterMs();
                final int idLength = group.keyIdLength();
                if (notAfterMs < 0 || idLength < 1 || idLength > MAX_KEY_ID)
                {
                    out.clear();
                    return Verdict.MALFORMED;
                }
                final String keyId = group.keyId();
                final int sealedLength = group.sealedSecretLength();
                if (sealedLength < MIN_SEALED || sealedLength > MAX_SEALED || !ids.add(keyId) || !isKeyId(keyId))
                {
                    out.clear();
                    return Verdict.MALFORMED;
                }
                group.getSealedSecret(sealed, 0, sealedLength);
                final byte[] secret = open(sealingKey, keyId, notAfterMs, sealedLength);
                if (secret == null)
                {
                    out.clear();
                    return Verdict.UNSEALABLE;
                }
                out.add(new DistributedSigningKey(keyId, secret, notAfterMs));
            }
            generation = messageGeneration;
            sentAtMs = authenticator.sentAtMs();
            return Verdict.ACCEPTED;
        }
        catch (final IndexOutOfBoundsException | IllegalStateException | IllegalArgumentException ex)
        {
            out.clear();
            return Verdict.MALFORMED;
        }
    }

    /**
     * @return after {@link Verdict#ACCEPTED}: the sender's generation of the set.
     */
    public long generation()
    {
        return generation;
    }

    /**
     * @return after {@link Verdict#ACCEPTED}: the authenticated send time, epoch milliseconds.
     */
    public long sentAtMs()
    {
        return sentAtMs;
    }

    private int seal(final DistributedSigningKey key)
    {
        random.nextBytes(nonce);
        try
        {
            cipher.init(Cipher.ENCRYPT_MODE, sealingKeys[0], new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            cipher.updateAAD(aad(key.keyId(), key.notAfterMs()));
            System.arraycopy(nonce, 0, sealed, 0, NONCE_LENGTH);
            final byte[] secret = key.secret();
            final int length = cipher.doFinal(secret, 0, secret.length, sealed, NONCE_LENGTH);
            java.util.Arrays.fill(secret, (byte)0);
            return NONCE_LENGTH + length;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("cannot seal signing key " + key.keyId(), ex);
        }
    }

    private byte[] open(final SecretKeySpec sealingKey, final String keyId, final long notAfterMs, final int sealedLength)
    {
        try
        {
            cipher.init(Cipher.DECRYPT_MODE, sealingKey, new GCMParameterSpec(TAG_LENGTH * 8, sealed, 0, NONCE_LENGTH));
            cipher.updateAAD(aad(keyId, notAfterMs));
            return cipher.doFinal(sealed, NONCE_LENGTH, sealedLength - NONCE_LENGTH);
        }
        catch (final AEADBadTagException ex)
        {
            return null;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("cannot open signing key " + keyId, ex);
        }
    }

    private static byte[] aad(final String keyId, final long notAfterMs)
    {
        final byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        final byte[] aad = new byte[id.length + Long.BYTES];
        System.arraycopy(id, 0, aad, 0, id.length);
        new org.agrona.concurrent.UnsafeBuffer(aad).putLong(id.length, notAfterMs, ByteOrder.LITTLE_ENDIAN);
        return aad;
    }

    private static boolean isKeyId(final String keyId)
    {
        for (int i = 0; i < keyId.length(); i++)
        {
            final char c = keyId.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            {
                return false;
            }
        }
        return true;
    }
}
