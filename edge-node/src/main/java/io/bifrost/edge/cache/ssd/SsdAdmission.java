package io.bifrost.edge.cache.ssd;

/**
 * The SSD tier's doorkeeper: a count-min sketch of how often each object was looked for on the SSD (RAM misses), so
 * an object filled for the first time, a one-hit wonder, is not written; it is admitted from its second sighting on.
 * An object the RAM tier evicts after it was hit there is admitted without asking: it has proven itself.
 *
 * <p>Four 4-bit saturating counters per object in one byte table (width a power of two, at least four times the
 * objects the tier can hold); all counters halve every {@code 10 x objects} sightings, as TinyLFU ages its sketch, so
 * old popularity fades. Collisions only over-estimate, so at worst an object is admitted a sighting early.
 *
 * <p>Not thread-safe: used only on the SSD ring's thread.
 */
final class SsdAdmission
{
    /** Sightings an object needs before a fill is written to the SSD. */
    static final int SIGHTINGS_TO_ADMIT = 2;
    private static final int MAX_COUNT = 15;
    private static final int MAX_WIDTH = 1 << 22;

    private final byte[] table;
    private final int mask;
    private final long resetAfter;
    private long sightings;

    /**
     * @param expectedObjects about how many objects the tier holds.
     */
    SsdAdmission(final long expectedObjects)
    {
        final long objects = Math.max(1024, expectedObjects);
        final int width = (int)Math.min(MAX_WIDTH, Long.highestOneBit(objects * 4 - 1) << 1);
        table = new byte[width];
        mask = width - 1;
        resetAfter = objects * 10;
    }

    /**
     * Count one sighting of an object.
     *
     * @param id the object id.
     */
    void record(final long id)
    {
        for (int i = 0; i < 4; i++)
        {
            final int slot = slot(id, i);
            if (table[slot] < MAX_COUNT)
            {
                table[slot]++;
            }
        }
        if (++sightings >= resetAfter)
        {
            for (int i = 0; i < table.length; i++)
            {
                table[i] >>= 1;
            }
            sightings >>= 1;
        }
    }

    /**
     * @param id the object id.
     * @return the estimated sightings (never under the true count since the last halving).
     */
    int frequency(final long id)
    {
        int min = MAX_COUNT;
        for (int i = 0; i < 4; i++)
        {
            min = Math.min(min, table[slot(id, i)]);
        }
        return min;
    }

    /**
     * @param id              the object id.
     * @param demotedAfterHit true when the RAM tier evicted it after it was hit there.
     * @return true when the object may be written.
     */
    boolean admits(final long id, final boolean demotedAfterHit)
    {
        return demotedAfterHit || frequency(id) >= SIGHTINGS_TO_ADMIT;
    }

    private int slot(final long id, final int row)
    {
        long h = id + (row + 1) * 0x9E3779B97F4A7C15L;
        h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
        h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return (int)(h ^ (h >>> 33)) & mask;
    }
}
