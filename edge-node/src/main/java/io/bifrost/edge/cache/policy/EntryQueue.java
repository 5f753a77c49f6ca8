package io.bifrost.edge.cache.policy;

/**
 * An intrusive doubly-linked queue of {@link EntryTable} slots: the head is the newest (or most recently used) slot,
 * the tail the oldest. Tracks its own entry count and bytes. Each slot is in at most one queue, named by the queue's
 * id in {@code EntryTable.queue}. Single-threaded, allocation-free.
 */
final class EntryQueue
{
    private final EntryTable table;
    private final byte id;
    private int head = EntryTable.NONE;
    private int tail = EntryTable.NONE;
    private int count;
    private long bytes;

    EntryQueue(final EntryTable table, final int id)
    {
        this.table = table;
        this.id = (byte)id;
    }

    byte id()
    {
        return id;
    }

    int head()
    {
        return head;
    }

    int tail()
    {
        return tail;
    }

    int count()
    {
        return count;
    }

    long bytes()
    {
        return bytes;
    }

    boolean isEmpty()
    {
        return EntryTable.NONE == tail;
    }

    boolean holds(final int slot)
    {
        return table.queue[slot] == id;
    }

    /**
     * @param slot a slot in this queue.
     * @return the next newer slot (one step towards the head), or {@link EntryTable#NONE} for the head.
     */
    int newer(final int slot)
    {
        return table.prev[slot];
    }

    void pushHead(final int slot)
    {
        final int[] prev = table.prev;
        final int[] next = table.next;
        prev[slot] = EntryTable.NONE;
        next[slot] = head;
        if (EntryTable.NONE != head)
        {
            prev[head] = slot;
        }
        else
        {
            tail = slot;
        }
        head = slot;
        table.queue[slot] = id;
        count++;
        bytes += table.sizes[slot];
    }

    void unlink(final int slot)
    {
        final int[] prev = table.prev;
        final int[] next = table.next;
        final int p = prev[slot];
        final int n = next[slot];
        if (EntryTable.NONE != p)
        {
            next[p] = n;
        }
        else
        {
            head = n;
        }
        if (EntryTable.NONE != n)
        {
            prev[n] = p;
        }
        else
        {
            tail = p;
        }
        prev[slot] = EntryTable.NONE;
        next[slot] = EntryTable.NONE;
        table.queue[slot] = 0;
        count--;
        bytes -= table.sizes[slot];
    }

    void moveToHead(final int slot)
    {
        if (head != slot)
        {
            unlink(slot);
            pushHead(slot);
        }
    }
}
