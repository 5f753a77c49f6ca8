package io.bifrost.edge.cache.policy;

import org.agrona.collections.Long2LongHashMap;

/**
 * Keys of recently evicted objects, without their data, bounded by the bytes those objects occupied: a FIFO ring of
 * (key, size, sequence) plus a key-to-sequence index, so a key evicted twice is remembered once, at its latest
 * eviction. Allocation-free once the ring has grown to its working size. Single-threaded.
 */
final class GhostQueue
{
    private final Long2LongHashMap sequenceByKey = new Long2LongHashMap(-1);
    private final long capacityBytes;
    private long[] keys = new long[1024];
    private long[] sizes = new long[1024];
    private long[] sequences = new long[1024];
    private int head;
    private int count;
    private long bytes;
    private long nextSequence;

    GhostQueue(final long capacityBytes)
    {
        this.capacityBytes = capacityBytes;
    }

    boolean contains(final long key)
    {
        return -1 != sequenceByKey.get(key);
    }

    /**
     * Forgets a key, e.g. when it is re-admitted.
     */
    void remove(final long key)
    {
        sequenceByKey.remove(key);
    }

    void add(final long key, final long sizeBytes)
    {
        if (count == keys.length)
        {
            grow();
        }
        final int tail = (head + count) & (keys.length - 1);
        final long sequence = nextSequence++;
        keys[tail] = key;
        sizes[tail] = sizeBytes;
        sequences[tail] = sequence;
        count++;
        bytes += sizeBytes;
        sequenceByKey.put(key, sequence);
        while (bytes > capacityBytes && count > 0)
        {
            final long oldKey = keys[head];
            if (sequenceByKey.get(oldKey) == sequences[head])
            {
                sequenceByKey.remove(oldKey);
            }
            bytes -= sizes[head];
            head = (head + 1) & (keys.length - 1);
            count--;
        }
    }

    private void grow()
    {
        final int length = keys.length;
        final long[] newKeys = new long[length * 2];
        final long[] newSizes = new long[length * 2];
        final long[] newSequences = new long[length * 2];
        for (int i = 0; i < count; i++)
        {
            final int from = (head + i) & (length - 1);
            newKeys[i] = keys[from];
            newSizes[i] = sizes[from];
            newSequences[i] = sequences[from];
        }
        keys = newKeys;
        sizes = newSizes;
        sequences = newSequences;
        head = 0;
    }
}
