package io.bifrost.protocol.auth;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Signs and verifies one Aeron message at a time with the fleet's keys: a fixed {@value #TRAILER_LENGTH}-byte trailer
 * appended after the SBE message (the schema is unchanged; a receiver that does not authenticate ignores the trailing
 * bytes, as SBE decoders read only what the header and length fields say):
 * <pre>
 *   0  magic      4 bytes  "BFA1"
 *   4  sentAtMs   int64    little-endian, the sender's clock when it signed
 *  12  keyId     16 bytes  ASCII, zero-padded ({@link FleetKeys#MAX_KEY_ID_LENGTH})
 *  28  mac       16 bytes  HMAC-SHA256(secret, message || trailer[0, 28)) truncated to 128 bits
 * </pre>
 * The MAC covers the whole SBE message (header and body), the send time and the key id. Truncating HMAC-SHA256 to 128
 * bits keeps forgery at 2^-128 per try (RFC 2104 section 5, NIST SP 800-107 section 5.3.3 allow it).
 *
 * <p>A receiver refuses, in this order: a message too short for a trailer or without the magic ({@link
 * Verdict#MISSING}), a key id not in its ring ({@link Verdict#UNKNOWN_KEY}), a wrong MAC, compared in constant time
 * ({@link Verdict#BAD_MAC}), a send time more than {@code maxAgeMs} away from its own clock either way ({@link
 * Verdict#STALE}: old captures cannot be replayed, and the same bound is the clock skew a fleet may have). Replays
 * inside that window are the caller's to refuse, by each message's own sequence ({@link ReplayWindow}) or id.
 *
 * <p>With {@link FleetKeys#NONE} authentication is off: {@link #sign} appends nothing and {@link #verify} accepts
 * every message as it is.
 *
 * <p>Ownership: {@link Mac} is not thread-safe, so each authenticator holds its own instances (one per key) and must be
 * confined to one thread, the agent that sends or receives on it. No allocation per message in this class (reused
 * scratch arrays, constant-time compare on them); the JDK's HMAC itself returns its 32-byte result as a fresh array
 * inside {@link Mac#doFinal(byte[], int)}, which javax.crypto gives no way to avoid.
 */
public final class MessageAuthenticator
{
    /** Bytes appended to every signed message. */
    public static final int TRAILER_LENGTH = 44;
    /** Default largest difference between a message's send time and the receiver's clock: 30 s. */
    public static final long DEFAULT_MAX_AGE_MS = 30_000;
    /** "BFA1" read as a little-endian int. */
    static final int MAGIC = 'B' | 'F' << 8 | 'A' << 16 | '1' << 24;
    static final int SENT_AT_OFFSET = 4;
    static final int KEY_ID_OFFSET = 12;
    static final int MAC_OFFSET = KEY_ID_OFFSET + FleetKeys.MAX_KEY_ID_LENGTH;
    static final int MAC_LENGTH = 16;

    private static final String ALGORITHM = "HmacSHA256";
    private static final int CHUNK = 4096;

    /** What {@link #verify} found. */
    public enum Verdict
    {
        /** Authentic and fresh (or authentication is off): decode {@link #messageLength()} bytes. */
        ACCEPTED,
        /** Too short for a trailer, or no trailer magic: unsigned. */
        MISSING,
        /** Signed with a key this receiver does not hold. */
        UNKNOWN_KEY,
        /** The MAC does not match: forged or altered. */
        BAD_MAC,
        /** Authentic but sent too long ago (or too far in the future): a replayed capture or a badly skewed clock. */
        STALE;

        /** Metric tag value. */
        private final String tag = name().toLowerCase(Locale.ROOT);

        /**
         * @return the lower-case name, for a counter's {@code reason} tag.
         */
        public String tag()
        {
            return tag;
        }
    }

    private final FleetKeys keys;
    private final long maxAgeMs;
    private final Mac[] macs;
    private final byte[][] keyIds;
    private final byte[] chunk = new byte[CHUNK];
    private final byte[] digest = new byte[32];
    private final byte[] expected = new byte[MAC_LENGTH];
    private final byte[] received = new byte[MAC_LENGTH];
    private int messageLength;
    private long sentAtMs;
    private int keyIndex = -1;

    /**
     * @param keys the fleet's keys; {@link FleetKeys#NONE} turns authentication off.
     */
    public MessageAuthenticator(final FleetKeys keys)
    {
        this(keys, DEFAULT_MAX_AGE_MS);
    }

    /**
     * @param keys     the fleet's keys; {@link FleetKeys#NONE} turns authentication off.
     * @param maxAgeMs largest accepted difference between a send time and this clock, milliseconds.
     */
    public MessageAuthenticator(final FleetKeys keys, final long maxAgeMs)
    {
        if (maxAgeMs < 1)
        {
            throw new IllegalArgumentException("the authentication window must be positive, got " + maxAgeMs);
        }
        this.keys = keys;
        this.maxAgeMs = maxAgeMs;
        final int count = keys.keyIds().size();
        this.macs = new Mac[count];
        this.keyIds = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            keyIds[i] = keys.paddedKeyId(i);
            try
            {
                macs[i] = Mac.getInstance(ALGORITHM);
                macs[i].init(new SecretKeySpec(keys.secret(i), ALGORITHM));
            }
            catch (final GeneralSecurityException ex)
            {
                // Every Java platform must provide HmacSHA256 (java.security.Security, "Standard Algorithm Names").
                throw new IllegalStateException(ALGORITHM + " is not available", ex);
            }
        }
    }

    /**
     * @return true when messages are signed and verified.
     */
    public boolean enabled()
    {
        return keys.enabled();
    }

    /**
     * Append the trailer to a message, signed with the first key; nothing when authentication is off.
     *
     * @param buffer holds the message, with {@link #TRAILER_LENGTH} bytes of room after it.
     * @param offset where the message starts.
     * @param length its length.
     * @param nowMs  this sender's clock, epoch milliseconds.
     * @return the length to send: {@code length + TRAILER_LENGTH}, or {@code length} when off.
     * @throws IndexOutOfBoundsException when the buffer has no room for the trailer.
     */
    public int sign(final MutableDirectBuffer buffer, final int offset, final int length, final long nowMs)
    {
        if (!enabled())
        {
            return length;
        }
        final int trailer = offset + length;
        buffer.checkLimit(trailer + TRAILER_LENGTH);
        buffer.putInt(trailer, MAGIC, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(trailer + SENT_AT_OFFSET, nowMs, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(trailer + KEY_ID_OFFSET, keyIds[0]);
        mac(macs[0], buffer, offset, length + MAC_OFFSET);
        buffer.putBytes(trailer + MAC_OFFSET, digest, 0, MAC_LENGTH);
        return length + TRAILER_LENGTH;
    }

    /**
     * Check a received message's trailer. On {@link Verdict#ACCEPTED}, {@link #messageLength()} is the SBE message's
     * length (without the trailer) and {@link #sentAtMs()} its send time.
     *
     * @param buffer holds the message and its trailer.
     * @param offset where the message starts.
     * @param length message plus trailer.
     * @param nowMs  this receiver's clock, epoch milliseconds.
     * @return the verdict; always {@link Verdict#ACCEPTED} when authentication is off.
     */
    public Verdict verify(final DirectBuffer buffer, final int offset, final int length, final long nowMs)
    {
        messageLength = 0;
        sentAtMs = 0;
        keyIndex = -1;
        if (!enabled())
        {
            messageLength = length;
            return Verdict.ACCEPTED;
        }
        if (length < TRAILER_LENGTH || offset < 0 || offset > buffer.capacity() - length)
        {
            return Verdict.MISSING;
        }
        final int bodyLength = length - TRAILER_LENGTH;
        final int trailer = offset + bodyLength;
        if (buffer.getInt(trailer, ByteOrder.LITTLE_ENDIAN) != MAGIC)
        {
            return Verdict.MISSING;
        }
        final int key = key(buffer, trailer + KEY_ID_OFFSET);
        if (key < 0)
        {
            return Verdict.UNKNOWN_KEY;
        }
        mac(macs[key], buffer, offset, bodyLength + MAC_OFFSET);
        System.arraycopy(digest, 0, expected, 0, MAC_LENGTH);
        buffer.getBytes(trailer + MAC_OFFSET, received, 0, MAC_LENGTH);
        if (!MessageDigest.isEqual(expected, received))
        {
            return Verdict.BAD_MAC;
        }
        final long sentAt = buffer.getLong(trailer + SENT_AT_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (sentAt < nowMs - maxAgeMs || sentAt > nowMs + maxAgeMs)
        {
            return Verdict.STALE;
        }
        messageLength = bodyLength;
        sentAtMs = sentAt;
        keyIndex = key;
        return Verdict.ACCEPTED;
    }

    /**
     * @return after {@link Verdict#ACCEPTED}: the SBE message's length, without the trailer.
     */
    public int messageLength()
    {
        return messageLength;
    }

    /**
     * @return after {@link Verdict#ACCEPTED} with authentication on: the authenticated send time; else 0.
     */
    public long sentAtMs()
    {
        return sentAtMs;
    }

    /**
     * @return after {@link Verdict#ACCEPTED} with authentication on: the index in {@link FleetKeys#keyIds()} of the key
     * the message was signed with; else -1.
     */
    int keyIndex()
    {
        return keyIndex;
    }

    private int key(final DirectBuffer buffer, final int at)
    {
        for (int k = 0; k < keyIds.length; k++)
        {
            final byte[] id = keyIds[k];
            boolean same = true;
            for (int i = 0; i < id.length && same; i++)
            {
                same = buffer.getByte(at + i) == id[i];
            }
            if (same)
            {
                return k;
            }
        }
        return -1;
    }

    /**
     * HMAC of {@code buffer[offset, offset + length)} into {@link #digest}, fed in chunks through one reused array so
     * neither heap nor direct buffers allocate.
     */
    private void mac(final Mac mac, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            mac.update(array, buffer.wrapAdjustment() + offset, length);
        }
        else
        {
            for (int done = 0; done < length; done += CHUNK)
            {
                final int n = Math.min(CHUNK, length - done);
                buffer.getBytes(offset + done, chunk, 0, n);
                mac.update(chunk, 0, n);
            }
        }
        try
        {
            mac.doFinal(digest, 0);
        }
        catch (final ShortBufferException ex)
        {
            throw new IllegalStateException("HMAC-SHA256 output is 32 bytes", ex);
        }
    }
}
