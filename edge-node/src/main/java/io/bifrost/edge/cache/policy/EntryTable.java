package io.bifrost.edge.cache.policy;

import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * Resident objects of one policy as parallel primitive arrays indexed by slot, with a key-to-slot index and a free
 * list, so per-request bookkeeping allocates nothing; the arrays double when full and never shrink. Slots are linked
 * into at most one {@link EntryQueue} through {@code prev}/{@code next}. Fields a policy does not need stay zero.
 * Byte accounting lives here so every policy gets it exactly right once. Single-threaded.
 */
final class EntryTable
{
    static final int NONE = -1;

    private final Long2LongHashMap index = new Long2LongHashMap(NONE);
    private int freeHead = NONE;
    private int highWater;
    private int count;
    private long usedBytes;

    long[] keys;
    long[] sizes;
    long[] tracks;
    long[] positions;
    int[] prev;
    int[] next;
    byte[] classes;
    byte[] queue;
    boolean[] pinned;
    int[] freq;
    float[] heat;
    int[] stamp;
    float[] pending;
    float[] cost;
    int[] aux;

    EntryTable(final int initialSlots)
    {
        allocate(Math.max(16, initialSlots));
    }

    int slotOf(final long key)
    {
        return (int)index.get(key);
    }

    int count()
    {
        return count;
    }

    long usedBytes()
    {
        return usedBytes;
    }

    int insert(final long key, final long sizeBytes, final ContentClass contentClass, final long track, final long pos)
    {
        int slot = freeHead;
        if (NONE != slot)
        {
            freeHead = next[slot];
        }
        else
        {
            if (highWater == keys.length)
            {
                allocate(keys.length * 2);
            }
            slot = highWater++;
        }
        keys[slot] = key;
        sizes[slot] = sizeBytes;
        tracks[slot] = track;
        positions[slot] = pos;
        prev[slot] = NONE;
        next[slot] = NONE;
        classes[slot] = (byte)contentClass.ordinal();
        queue[slot] = 0;
        pinned[slot] = false;
        freq[slot] = 0;
        heat[slot] = 0;
        stamp[slot] = 0;
        pending[slot] = 0;
        cost[slot] = 0;
        aux[slot] = NONE;
        index.put(key, slot);
        count++;
        usedBytes += sizeBytes;
        return slot;
    }

    /**
     * Forgets a slot that is linked into no queue.
     */
    void release(final int slot)
    {
        index.remove(keys[slot]);
        usedBytes -= sizes[slot];
        count--;
        next[slot] = freeHead;
        freeHead = slot;
    }

    ContentClass contentClass(final int slot)
    {
        return ContentClass.fromOrdinal(classes[slot]);
    }

    private void allocate(final int slots)
    {
        keys = null == keys ? new long[slots] : Arrays.copyOf(keys, slots);
        sizes = null == sizes ? new long[slots] : Arrays.copyOf(sizes, slots);
        tracks = null == tracks ? new long[slots] : Arrays.copyOf(tracks, slots);
        positions = null == positions ? new long[slots] : Arrays.copyOf(positions, slots);
        prev = null == prev ? new int[slots] : Arrays.copyOf(prev, slots);
        next = null == next ? new int[slots] : Arrays.copyOf(next, slots);
        classes = null == classes ? new byte[slots] : Arrays.copyOf(classes, slots);
        queue = null == queue ? new byte[slots] : Arrays.copyOf(queue, slots);
        pinned = null == pinned ? new boolean[slots] : Arrays.copyOf(pinned, slots);
        freq = null == freq ? new int[slots] : Arrays.copyOf(freq, slots);
        heat = null == heat ? new float[slots] : Arrays.copyOf(heat, slots);
        stamp = null == stamp ? new int[slots] : Arrays.copyOf(stamp, slots);
        pending = null == pending ? new float[slots] : Arrays.copyOf(pending, slots);
        cost = null == cost ? new float[slots] : Arrays.copyOf(cost, slots);
        aux = null == aux ? new int[slots] : Arrays.copyOf(aux, slots);
    }
}
