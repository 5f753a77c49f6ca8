package io.bifrost.edge.cache.policy;

/**
 * S3-FIFO (Yang et al., "FIFO queues are all you need for cache eviction", SOSP 2023), byte-aware.
 * <p>
 * Three FIFO queues: a small queue S holding about 10% of the capacity, a main queue M holding the rest, and a ghost
 * queue G of keys (no data) recently evicted from S, bounded by M's share of the bytes. Each resident object has a
 * 2-bit frequency, incremented on a hit and capped at 3; hits move nothing. A new object enters S, unless its key is
 * in G (it proved itself once and came back), in which case it enters M. To make room: while S holds at least its
 * share, its oldest object leaves S: into M (frequency cleared) if it was requested while in S, otherwise out of the
 * cache with its key into G, so one-hit wonders pass through S quickly. Otherwise M's oldest object is reinserted at
 * M's head with its frequency decremented if it was requested, or evicted (FIFO-reinsertion, a 2-bit CLOCK).
 * Admission never refuses. O(1) amortised per operation; allocation-free once the tables have grown.
 * Single-threaded (see {@link CachePolicy}).
 */
public final class S3FifoPolicy extends BytePolicy
{
    private static final int MAX_FREQUENCY = 3;

    private final EntryQueue small;
    private final EntryQueue main;
    private final GhostQueue ghost;
    private final long smallTargetBytes;

    /**
     * @param capacityBytes the most bytes resident objects may occupy.
     */
    public S3FifoPolicy(final long capacityBytes)
    {
        this(capacityBytes, 0.1);
    }

    /**
     * @param capacityBytes the most bytes resident objects may occupy.
     * @param smallRatio    the share of the capacity for the small queue, in (0, 1).
     */
    public S3FifoPolicy(final long capacityBytes, final double smallRatio)
    {
        super(capacityBytes);
        if (!(smallRatio > 0 && smallRatio < 1))
        {
            throw new IllegalArgumentException("smallRatio must be in (0, 1): " + smallRatio);
        }
        small = new EntryQueue(table, 1);
        main = new EntryQueue(table, 2);
        smallTargetBytes = Math.max(1, (long)(capacityBytes * smallRatio));
        ghost = new GhostQueue(capacityBytes - smallTargetBytes);
    }

    /**
     * @param key object id.
     * @return true when the object is resident in the main queue (for tests and diagnostics).
     */
    public boolean isInMain(final long key)
    {
        final int slot = table.slotOf(key);
        return EntryTable.NONE != slot && main.holds(slot);
    }

    /**
     * @param key object id.
     * @return true when the key is remembered in the ghost queue.
     */
    public boolean isGhost(final long key)
    {
        return ghost.contains(key);
    }

    protected void attach(final int slot, final boolean admitted)
    {
        final long key = table.keys[slot];
        if (admitted && !ghost.contains(key))
        {
            small.pushHead(slot);
        }
        else
        {
            ghost.remove(key);
            main.pushHead(slot);
        }
    }

    protected void detach(final int slot)
    {
        if (small.holds(slot))
        {
            small.unlink(slot);
        }
        else
        {
            main.unlink(slot);
        }
    }

    protected void onResidentHit(final int slot, final boolean pinned)
    {
        final int[] freq = table.freq;
        if (freq[slot] < MAX_FREQUENCY)
        {
            freq[slot]++;
        }
    }

    protected boolean shouldAdmit(
        final long key, final long sizeBytes, final ContentClass contentClass, final long trackId, final long position)
    {
        return true;
    }

    protected boolean evictOne(final VictimSink sink)
    {
        while (true)
        {
            if (!small.isEmpty() && (small.bytes() >= smallTargetBytes || main.isEmpty()))
            {
                final int tail = small.tail();
                small.unlink(tail);
                if (table.freq[tail] > 0)
                {
                    table.freq[tail] = 0;
                    main.pushHead(tail);
                }
                else
                {
                    final long key = table.keys[tail];
                    final long size = table.sizes[tail];
                    ghost.add(key, size);
                    table.release(tail);
                    sink.onEvicted(key, size);
                    return true;
                }
            }
            else if (!main.isEmpty())
            {
                final int tail = main.tail();
                if (table.freq[tail] > 0)
                {
                    table.freq[tail]--;
                    main.moveToHead(tail);
                }
                else
                {
                    evictSlot(tail, sink);
                    return true;
                }
            }
            else
            {
                return false;
            }
        }
    }
}
