package io.bifrost.protocol.auth;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;

import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * Authenticates the messages of one ordered stream of messages from one sender to many receivers, the origin's live
 * replication to its edges: each message carries, inside the signed bytes, the id of the sender instance and a
 * sequence number, then the {@link MessageAuthenticator} trailer. {@link #OVERHEAD} bytes after the SBE message:
 * <pre>
 *   0  senderId   int64  little-endian, random per signer instance (a restarted origin is a new sender), never 0
 *   8  sequence   int64  little-endian, 1 for the first message signed, then +1 per message
 *  16  trailer    {@value MessageAuthenticator#TRAILER_LENGTH} bytes, {@link MessageAuthenticator}: MAC over the
 *                 message, the 16 bytes above and the trailer's time and key id
 * </pre>
 * A receiver that does not authenticate ignores all of it (SBE decoders read what the header and lengths say).
 *
 * <p>Replays: a receiver remembers, per sender, the highest sequence it accepted, and refuses a message that is not
 * above it ({@link Verdict#REPLAYED}). This is exact for an Aeron publication: the signer signs in the order it offers,
 * a publication delivers each image's messages in that order, reliably, and a fragment retransmitted after a NAK is
 * reassembled into its message once, so a genuine message is always above its sender's mark (a message dropped at the
 * sender, back-pressured, only leaves a gap). A replayed capture, even injected as a new Aeron session, carries its
 * sender's old sequence and is refused. An edge that joins or rejoins mid-stream, or restarts, knows no mark for the
 * sender and accepts its current messages at once; the price is that a capture younger than the authentication window
 * ({@code maxAgeMs}, 30 s) can be played once to a receiver that has heard nothing newer from that sender.
 *
 * <p>Bounded: at most {@code maxSenders} senders are remembered; only authenticated senders get a mark. A new sender
 * beyond that first forgets senders silent for longer than the authentication window (their old messages are
 * {@link Verdict#STALE} anyway), and is refused ({@link Verdict#TOO_MANY_SENDERS}) only when none is.
 *
 * <p>Allocation: none per message here (primitive maps, reused scratch); {@link MessageAuthenticator} notes the JDK's
 * own per-MAC array. Not thread-safe: one per publisher (under its lock) or per receiving agent.
 */
public final class SequencedAuthenticator
{
    /** Sender id and sequence, before the trailer. */
    public static final int SEQUENCE_LENGTH = 16;
    /** Bytes appended to every signed message: sender id, sequence, trailer. */
    public static final int OVERHEAD = SEQUENCE_LENGTH + MessageAuthenticator.TRAILER_LENGTH;
    /** Default most senders remembered. */
    public static final int DEFAULT_MAX_SENDERS = 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What {@link #verify} found. */
    public enum Verdict
    {
        /** Authentic, fresh and new (or authentication is off): decode {@link #messageLength()} bytes. */
        ACCEPTED,
        /** No trailer, or too short for the sender block: unsigned. */
        MISSING,
        /** Signed with a key this receiver does not hold. */
        UNKNOWN_KEY,
        /** The MAC does not match: forged or altered. */
        BAD_MAC,
        /** Sent longer ago (or further ahead) than the authentication window. */
        STALE,
        /** Not above the highest sequence accepted from its sender: a replay. */
        REPLAYED,
        /** A new sender while {@code maxSenders} live ones are remembered. */
        TOO_MANY_SENDERS;

        private final String tag = name().toLowerCase(Locale.ROOT);

        /**
         * @return the lower-case name, for a counter's {@code reason} tag.
         */
        public String tag()
        {
            return tag;
        }
    }

    private final MessageAuthenticator authenticator;
    private final long maxAgeMs;
    private final int maxSenders;
    private final long senderId;
    private final Long2LongHashMap lastSequence = new Long2LongHashMap(0);
    private final Long2LongHashMap lastSeenMs = new Long2LongHashMap(Long.MIN_VALUE);
    private long sequence;
    private int messageLength;

    /**
     * @param keys the fleet's keys; {@link FleetKeys#NONE} turns authentication off.
     */
    public SequencedAuthenticator(final FleetKeys keys)
    {
        this(keys, MessageAuthenticator.DEFAULT_MAX_AGE_MS, DEFAULT_MAX_SENDERS);
    }

    /**
     * @param keys       the fleet's keys; {@link FleetKeys#NONE} turns authentication off.
     * @param maxAgeMs   largest accepted difference between a send time and this clock, milliseconds.
     * @param maxSenders most senders a receiver remembers.
     */
    public SequencedAuthenticator(final FleetKeys keys, final long maxAgeMs, final int maxSenders)
    {
        if (maxSenders < 1)
        {
            throw new IllegalArgumentException("maxSenders must be positive, got " + maxSenders);
        }
        this.authenticator = new MessageAuthenticator(keys, maxAgeMs);
        this.maxAgeMs = maxAgeMs;
        this.maxSenders = maxSenders;
        long id;
        do
        {
            id = RANDOM.nextLong();
        }
        while (0 == id);
        this.senderId = id;
    }

    /**
     * @return true when messages are signed and verified.
     */
    public boolean enabled()
    {
        return authenticator.enabled();
    }

    /**
     * @return the bytes {@link #sign} appends: {@link #OVERHEAD}, or 0 when authentication is off.
     */
    public int overhead()
    {
        return enabled() ? OVERHEAD : 0;
    }

    /**
     * @return this instance's sender id, as it travels.
     */
    public long senderId()
    {
        return senderId;
    }

    /**
     * Append sender id, the next sequence and the trailer; nothing when authentication is off.
     *
     * @param buffer holds the message, with {@link #overhead()} bytes of room after it.
     * @param offset where the message starts.
     * @param length its length.
     * @param nowMs  this sender's clock, epoch milliseconds.
     * @return the length to send: {@code length + OVERHEAD}, or {@code length} when off.
     * @throws IndexOutOfBoundsException when the buffer has no room.
     */
    public int sign(final MutableDirectBuffer buffer, final int offset, final int length, final long nowMs)
    {
        if (!enabled())
        {
            return length;
        }
        final int at = offset + length;
        buffer.checkLimit(at + OVERHEAD);
        buffer.putLong(at, senderId, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(at + 8, ++sequence, ByteOrder.LITTLE_ENDIAN);
        return authenticator.sign(buffer, offset, length + SEQUENCE_LENGTH, nowMs);
    }

    /**
     * Check a received message and, when it is accepted, remember its sequence. On {@link Verdict#ACCEPTED},
     * {@link #messageLength()} is the SBE message's length.
     *
     * @param buffer holds the message and what follows it.
     * @param offset where the message starts.
     * @param length everything received.
     * @param nowMs  this receiver's clock, epoch milliseconds.
     * @return the verdict; always {@link Verdict#ACCEPTED} when authentication is off.
     */
    public Verdict verify(final DirectBuffer buffer, final int offset, final int length, final long nowMs)
    {
        messageLength = 0;
        if (!enabled())
        {
            messageLength = length;
            return Verdict.ACCEPTED;
        }
        final MessageAuthenticator.Verdict trailer = authenticator.verify(buffer, offset, length, nowMs);
        switch (trailer)
        {
            case ACCEPTED:
                break;
            case MISSING:
                return Verdict.MISSING;
            case UNKNOWN_KEY:
                return Verdict.UNKNOWN_KEY;
            case BAD_MAC:
                return Verdict.BAD_MAC;
            default:
                return Verdict.STALE;
        }
        final int signed = authenticator.messageLength();
        if (signed < SEQUENCE_LENGTH)
        {
            return Verdict.MISSING;
        }
        final int at = offset + signed - SEQUENCE_LENGTH;
        final long sender = buffer.getLong(at, ByteOrder.LITTLE_ENDIAN);
        final long messageSequence = buffer.getLong(at + 8, ByteOrder.LITTLE_ENDIAN);
        final long last = lastSequence.get(sender);
        if (0 == last && !lastSequence.containsKey(sender) && lastSequence.size() >= maxSenders && !forgetSilent(nowMs))
        {
            return Verdict.TOO_MANY_SENDERS;
        }
        if (messageSequence <= last)
        {
            return Verdict.REPLAYED;
        }
        lastSequence.put(sender, messageSequence);
        lastSeenMs.put(sender, nowMs);
        messageLength = signed - SEQUENCE_LENGTH;
        return Verdict.ACCEPTED;
    }

    /**
     * @return after {@link Verdict#ACCEPTED}: the SBE message's length, without what was appended; else 0.
     */
    public int messageLength()
    {
        return messageLength;
    }

    /**
     * @return senders remembered now.
     */
    public int senders()
    {
        return lastSequence.size();
    }

    /** Forget senders silent past the window; rare (a full map), so the iteration is not on the hot path. */
    private boolean forgetSilent(final long nowMs)
    {
        final Long2LongHashMap.KeyIterator senders = lastSeenMs.keySet().iterator();
        boolean forgot = false;
        while (senders.hasNext())
        {
            final long sender = senders.nextValue();
            if (lastSeenMs.get(sender) < nowMs - maxAgeMs)
            {
                senders.remove();
                lastSequence.remove(sender);
                forgot = true;
            }
        }
        return forgot;
    }
}
