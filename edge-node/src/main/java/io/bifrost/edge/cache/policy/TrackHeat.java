package io.bifrost.edge.cache.policy;

/**
 * Decaying request counts per track (a rendition of a title or stream), in a fixed two-way set-associative table, so
 * memory is bounded and nothing is allocated per request. A count halves every epoch (lazily, when next touched);
 * when both cells of a set belong to other tracks, the colder one is replaced, so a track may lose its history under
 * pressure from many others, which is acceptable for a hint. Single-threaded.
 */
final class TrackHeat
{
    private final long[] owners;
    private final float[] values;
    private final int[] epochs;
    private final int mask;

    /**
     * @param cells table size, rounded up to a power of two.
     */
    TrackHeat(final int cells)
    {
        final int size = Integer.highestOneBit(Math.max(2, cells - 1)) << 1;
        owners = new long[size];
        values = new float[size];
        epochs = new int[size];
        mask = size - 1;
    }

    static float decay(final float value, final int fromEpoch, final int toEpoch)
    {
        final int shift = toEpoch - fromEpoch;
        return shift <= 0 ? value : shift >= 30 ? 0 : Math.scalb(value, -shift);
    }

    void add(final long track, final int epoch, final float amount)
    {
        final int first = cellOf(track);
        final int second = first ^ 1;
        final int cell;
        if (owners[first] == track)
        {
            cell = first;
        }
        else if (owners[second] == track)
        {
            cell = second;
        }
        else
        {
            cell = decay(values[first], epochs[first], epoch) <= decay(values[second], epochs[second], epoch) ?
                first : second;
            owners[cell] = track;
            values[cell] = 0;
        }
        values[cell] = decay(values[cell], epochs[cell], epoch) + amount;
        epochs[cell] = epoch;
    }

    float get(final long track, final int epoch)
    {
        final int first = cellOf(track);
        if (owners[first] == track)
        {
            return decay(values[first], epochs[first], epoch);
        }
        final int second = first ^ 1;
        return owners[second] == track ? decay(values[second], epochs[second], epoch) : 0;
    }

    private int cellOf(final long track)
    {
        long h = track * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return (int)h & mask;
    }
}
