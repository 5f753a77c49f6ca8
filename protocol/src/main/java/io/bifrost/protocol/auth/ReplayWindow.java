package io.bifrost.protocol.auth;

import org.agrona.collections.Object2ObjectHashMap;

/**
 * Refuses a sender's authenticated message that is not newer than the last one accepted from it, so a message captured
 * inside the {@link MessageAuthenticator} time window cannot be replayed either. "Newer" is the pair
 * (authenticated send time, the message's own sequence) in lexicographic order: a sender's clock does not go back and
 * its sequence grows, so every genuine message is newer than the one before it; a restarted sender (sequence from 0
 * again) is newer because its clock moved on. A sender whose clock steps back is refused until it catches up (at most
 * the step).
 *
 * <p>Bounded: at most {@code maxSenders} senders are remembered (only authenticated senders reach it, so the count is
 * the fleet's size); a new sender beyond that is refused. Allocation: one entry per new sender. Not thread-safe:
 * confined to the receiving agent's thread.
 */
public final class ReplayWindow
{
    /** Default most senders remembered. */
    public static final int DEFAULT_MAX_SENDERS = 65_536;

    private static final class Mark
    {
        long timeMs;
        long sequence;
    }

    private final int maxSenders;
    private final Object2ObjectHashMap<String, Mark> marks = new Object2ObjectHashMap<>();

    /**
     * @param maxSenders most senders remembered.
     */
    public ReplayWindow(final int maxSenders)
    {
        if (maxSenders < 1)
        {
            throw new IllegalArgumentException("maxSenders must be positive, got " + maxSenders);
        }
        this.maxSenders = maxSenders;
    }

    /**
     * Accept the message when it is newer than the sender's last, and remember it.
     *
     * @param sender   the sender's id (e.g. the edge id), taken from the authenticated message.
     * @param timeMs   the authenticated send time.
     * @param sequence the message's sequence.
     * @return true when newer (accepted), false when a replay or when the window is full.
     */
    public boolean advance(final String sender, final long timeMs, final long sequence)
    {
        Mark mark = marks.get(sender);
        if (mark == null)
        {
            if (marks.size() >= maxSenders)
            {
                return false;
            }
            mark = new Mark();
            mark.timeMs = timeMs;
            mark.sequence = sequence;
            marks.put(sender, mark);
            return true;
        }
        if (timeMs > mark.timeMs || (timeMs == mark.timeMs && sequence > mark.sequence))
        {
            mark.timeMs = timeMs;
            mark.sequence = sequence;
            return true;
        }
        return false;
    }

    /**
     * @return senders remembered.
     */
    public int senders()
    {
        return marks.size();
    }
}
