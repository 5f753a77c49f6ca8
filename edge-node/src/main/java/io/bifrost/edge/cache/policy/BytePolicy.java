package io.bifrost.edge.cache.policy;

/**
 * The part of the {@link CachePolicy} contract every policy shares: byte accounting against a capacity, pins, explicit
 * removal and the admit-then-evict-until-it-fits loop. A policy supplies where an object goes when it becomes
 * evictable ({@link #attach}), how it leaves ({@link #detach}), what a hit does, whether to admit, and which object
 * to evict next ({@link #evictOne}). Pinned objects are detached from every eviction structure, so no policy can pick
 * them. Single-threaded, like the interface.
 */
abstract class BytePolicy implements CachePolicy
{
    protected final EntryTable table;
    private final long capacityBytes;
    private long pinnedBytes;

    BytePolicy(final long capacityBytes)
    {
        if (capacityBytes <= 0)
        {
            throw new IllegalArgumentException("capacityBytes must be positive: " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
        this.table = new EntryTable(1024);
    }

    public final long capacityBytes()
    {
        return capacityBytes;
    }

    public final long usedBytes()
    {
        return table.usedBytes();
    }

    public final int entryCount()
    {
        return table.count();
    }

    public final boolean contains(final long key)
    {
        return EntryTable.NONE != table.slotOf(key);
    }

    public final boolean onHit(final long key)
    {
        final int slot = table.slotOf(key);
        if (EntryTable.NONE == slot)
        {
            return false;
        }
        onResidentHit(slot, table.pinned[slot]);
        return true;
    }

    public void onMiss(final long key, final ContentClass contentClass, final long trackId, final long position)
    {
    }

    public final boolean admit(
        final long key,
        final long sizeBytes,
        final ContentClass contentClass,
        final long trackId,
        final long position,
        final VictimSink sink)
    {
        if (sizeBytes <= 0)
        {
            throw new IllegalArgumentException("sizeBytes must be positive: " + sizeBytes);
        }
        if (contains(key))
        {
            return true;
        }
        if (sizeBytes > capacityBytes - pinnedBytes ||
            (freeBytes() < sizeBytes && !shouldAdmit(key, sizeBytes, contentClass, trackId, position)))
        {
            return false;
        }
        while (freeBytes() < sizeBytes)
        {
            if (!evictOne(sink))
            {
                throw new IllegalStateException("nothing evictable although unpinned bytes cover the object");
            }
        }
        final int slot = table.insert(key, sizeBytes, contentClass, trackId, position);
        attach(slot, true);
        return true;
    }

    public final long evict(final long bytesNeeded, final VictimSink sink)
    {
        while (freeBytes() < bytesNeeded && evictOne(sink))
        {
            // evictOne did the work
        }
        return freeBytes();
    }

    public final boolean remove(final long key)
    {
        final int slot = table.slotOf(key);
        if (EntryTable.NONE == slot)
        {
            return false;
        }
        if (table.pinned[slot])
        {
            pinnedBytes -= table.sizes[slot];
        }
        else
        {
            detach(slot);
        }
        onForget(slot);
        table.release(slot);
        return true;
    }

    public final boolean pin(final long key)
    {
        final int slot = table.slotOf(key);
        if (EntryTable.NONE == slot)
        {
            return false;
        }
        if (!table.pinned[slot])
        {
            detach(slot);
            table.pinned[slot] = true;
            pinnedBytes += table.sizes[slot];
        }
        return true;
    }

    public final boolean unpin(final long key)
    {
        final int slot = table.slotOf(key);
        if (EntryTable.NONE == slot || !table.pinned[slot])
        {
            return false;
        }
        table.pinned[slot] = false;
        pinnedBytes -= table.sizes[slot];
        attach(slot, false);
        return true;
    }

    public final boolean isPinned(final long key)
    {
        final int slot = table.slotOf(key);
        return EntryTable.NONE != slot && table.pinned[slot];
    }

    /**
     * @return bytes pinned objects occupy.
     */
    public final long pinnedBytes()
    {
        return pinnedBytes;
    }

    protected final long freeBytes()
    {
        return capacityBytes - table.usedBytes();
    }

    /**
     * Evicts one slot the policy has chosen: detaches it, forgets it, then tells the sink.
     */
    protected final void evictSlot(final int slot, final VictimSink sink)
    {
        detach(slot);
        final long key = table.keys[slot];
        final long size = table.sizes[slot];
        onForget(slot);
        table.release(slot);
        sink.onEvicted(key, size);
    }

    /**
     * Called just before a slot is forgotten, evicted through {@link #evictSlot} or removed; already detached.
     */
    protected void onForget(final int slot)
    {
    }

    /**
     * Links an unpinned resident slot into the policy's eviction structures.
     *
     * @param slot     the slot.
     * @param admitted true for a newly admitted object, false for one coming back from a pin.
     */
    protected abstract void attach(int slot, boolean admitted);

    /**
     * Unlinks an unpinned resident slot from the policy's eviction structures.
     */
    protected abstract void detach(int slot);

    /**
     * Records a request served from the tier.
     */
    protected abstract void onResidentHit(int slot, boolean pinned);

    /**
     * Admission filter, asked only when the object does not fit in the free bytes; must not evict.
     */
    protected abstract boolean shouldAdmit(
        long key, long sizeBytes, ContentClass contentClass, long trackId, long position);

    /**
     * Evicts one unpinned object through {@link #evictSlot}.
     *
     * @return false when no unpinned object is resident.
     */
    protected abstract boolean evictOne(VictimSink sink);
}
