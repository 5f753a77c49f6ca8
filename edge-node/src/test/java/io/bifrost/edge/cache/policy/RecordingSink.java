package io.bifrost.edge.cache.policy;

import org.agrona.collections.LongArrayList;

/**
 * A {@link VictimSink} that remembers the evicted keys in order, for tests.
 */
final class RecordingSink implements VictimSink
{
    final LongArrayList keys = new LongArrayList();
    long bytes;

    public void onEvicted(final long key, final long sizeBytes)
    {
        keys.addLong(key);
        bytes += sizeBytes;
    }
}
