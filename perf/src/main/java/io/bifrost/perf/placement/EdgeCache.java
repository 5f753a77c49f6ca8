package io.bifrost.perf.placement;

import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * One simulated edge: an LRU cache of segments bounded in bytes, with what placement adds on a real edge: pinned
 * entries are skipped by eviction until their pin lapses, and prefetched entries are tracked until a viewer first
 * reads them, so bytes prefetched and evicted unread count as waste. Every byte that enters the cache came from the
 * origin; the caller counts that egress. Not thread-safe (the simulation is single-threaded).
 */
final class EdgeCache
{
    private static final long NONE = -1;

    /**
     * Told when a prefetched entry leaves the cache before any viewer read it.
     */
    @FunctionalInterface
    interface WasteListener
    {
        /**
         * @param prefetchedAt the tick it was prefetched at.
         * @param bytes        its size.
         */
        void onWaste(long prefetchedAt, long bytes);
    }

    private final long capacityBytes;
    private final WasteListener wasteListener;
    private final Long2LongHashMap index = new Long2LongHashMap(NONE);
    private long[] keys;
    private long[] sizes;
    private long[] pinnedUntil;
    private long[] prefetchedAt;
    private boolean[] unread;
    private int[] prev;
    private int[] next;
    private int[] free;
    private int freeCount;
    private int allocated;
    private int head = -1;
    private int tail = -1;
    private long usedBytes;
    private long wastedBytes;
    private long insertedBytes;

    EdgeCache(final long capacityBytes, final WasteListener wasteListener)
    {
        this.capacityBytes = capacityBytes;
        this.wasteListener = wasteListener;
        final int initial = 1 << 12;
        keys = new long[initial];
        sizes = new long[initial];
        pinnedUntil = new long[initial];
        prefetchedAt = new long[initial];
        unread = new boolean[initial];
        prev = new int[initial];
        next = new int[initial];
        free = new int[initial];
    }

    /**
     * A viewer reads a segment: a hit moves it to the front; a miss fills it from the origin.
     *
     * @return true on a hit.
     */
    boolean read(final long key, final long bytes, final long now)
    {
        final long slot = index.get(key);
        if (slot != NONE)
        {
            final int node = (int)slot;
            unread[node] = false;
            moveToFront(node);
            return true;
        }
        insert(key, bytes, false, now);
        return false;
    }

    /**
     * Placement fetches a segment ahead of viewers.
     *
     * @return the bytes fetched from the origin: 0 when the segment was already here.
     */
    long prefetch(final long key, final long bytes, final long now)
    {
        if (index.get(key) != NONE)
        {
            return 0;
        }
        return insert(key, bytes, true, now) ? bytes : 0;
    }

    /**
     * Pin a segment until {@code until} (exclusive); a segment not cached is not pinned.
     */
    void pin(final long key, final long until)
    {
        final long slot = index.get(key);
        if (slot != NONE)
        {
            pinnedUntil[(int)slot] = Math.max(pinnedUntil[(int)slot], until);
        }
    }

    /**
     * Unpin a segment (it stays cached, evictable again).
     */
    void unpin(final long key)
    {
        final long slot = index.get(key);
        if (slot != NONE)
        {
            pinnedUntil[(int)slot] = 0;
        }
    }

    boolean contains(final long key)
    {
        return index.get(key) != NONE;
    }

    long usedBytes()
    {
        return usedBytes;
    }

    long capacityBytes()
    {
        return capacityBytes;
    }

    /**
     * @return every byte that entered the cache (each came from the origin).
     */
    long insertedBytes()
    {
        return insertedBytes;
    }

    /**
     * @return bytes that were prefetched and evicted before any viewer read them.
     */
    long wastedBytes()
    {
        return wastedBytes;
    }

    private boolean insert(final long key, final long bytes, final boolean prefetched, final long now)
    {
        if (bytes > capacityBytes)
        {
            return false;
        }
        int guard = index.size();
        while (usedBytes + bytes > capacityBytes && tail >= 0)
        {
            final int victim = tail;
            if (pinnedUntil[victim] > now && guard-- > 0)
            {
                moveToFront(victim);
                continue;
            }
            evict(victim);
        }
        final int node = allocate();
        keys[node] = key;
        sizes[node] = bytes;
        pinnedUntil[node] = 0;
        prefetchedAt[node] = now;
        unread[node] = prefetched;
        prev[node] = -1;
        next[node] = head;
        if (head >= 0)
        {
            prev[head] = node;
        }
        head = node;
        if (tail < 0)
        {
            tail = node;
        }
        index.put(key, node);
        usedBytes += bytes;
        insertedBytes += bytes;
        return true;
    }

    private void evict(final int node)
    {
        unlink(node);
        index.remove(keys[node]);
        usedBytes -= sizes[node];
        if (unread[node])
        {
            wastedBytes += sizes[node];
            wasteListener.onWaste(prefetchedAt[node], sizes[node]);
        }
        free[freeCount++] = node;
    }

    private int allocate()
    {
        if (freeCount > 0)
        {
            return free[--freeCount];
        }
        if (allocated == keys.length)
        {
            final int size = keys.length * 2;
            keys = Arrays.copyOf(keys, size);
            sizes = Arrays.copyOf(sizes, size);
            pinnedUntil = Arrays.copyOf(pinnedUntil, size);
            prefetchedAt = Arrays.copyOf(prefetchedAt, size);
            unread = Arrays.copyOf(unread, size);
            prev = Arrays.copyOf(prev, size);
            next = Arrays.copyOf(next, size);
            free = Arrays.copyOf(free, size);
        }
        return allocated++;
    }

    private void moveToFront(final int node)
    {
        if (node == head)
        {
            return;
        }
        unlink(node);
        prev[node] = -1;
        next[node] = head;
        if (head >= 0)
        {
            prev[head] = node;
        }
        head = node;
        if (tail < 0)
        {
            tail = node;
        }
    }

    private void unlink(final int node)
    {
        final int p = prev[node];
        final int n = next[node];
        if (p >= 0)
        {
            next[p] = n;
        }
        else
        {
            head = n;
        }
        if (n >= 0)
        {
            prev[n] = p;
        }
        else
        {
            tail = p;
        }
    }
}
