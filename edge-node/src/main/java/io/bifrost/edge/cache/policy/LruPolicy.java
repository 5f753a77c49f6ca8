package io.bifrost.edge.cache.policy;

/**
 * Least-recently-used eviction, byte-aware, admitting everything: the baseline every other policy is measured against.
 * <p>
 * One queue ordered by last access: a hit or an admission moves the object to the head, eviction takes the tail until
 * the new object fits. O(1) per operation, no allocation. Single-threaded (see {@link CachePolicy}).
 */
public final class LruPolicy extends BytePolicy
{
    private final EntryQueue queue;

    /**
     * @param capacityBytes the most bytes resident objects may occupy.
     */
    public LruPolicy(final long capacityBytes)
    {
        super(capacityBytes);
        queue = new EntryQueue(table, 1);
    }

    protected void attach(final int slot, final boolean admitted)
    {
        queue.pushHead(slot);
    }

    protected void detach(final int slot)
    {
        queue.unlink(slot);
    }

    protected void onResidentHit(final int slot, final boolean pinned)
    {
        if (!pinned)
        {
            queue.moveToHead(slot);
        }
    }

    protected boolean shouldAdmit(
        final long key, final long sizeBytes, final ContentClass contentClass, final long trackId, final long position)
    {
        return true;
    }

    protected boolean evictOne(final VictimSink sink)
    {
        final int victim = queue.tail();
        if (EntryTable.NONE == victim)
        {
            return false;
        }
        evictSlot(victim, sink);
        return true;
    }
}
