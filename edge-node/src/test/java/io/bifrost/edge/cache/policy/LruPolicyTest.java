package io.bifrost.edge.cache.policy;

import org.junit.jupiter.api.Test;

import static io.bifrost.edge.cache.policy.ContentClass.VOD_SEGMENT;
import static org.assertj.core.api.Assertions.assertThat;

class LruPolicyTest
{
    private final RecordingSink sink = new RecordingSink();
    private final LruPolicy lru = new LruPolicy(300);

    private boolean admit(final long key, final long size)
    {
        return lru.admit(key, size, VOD_SEGMENT, 1, key, sink);
    }

    @Test
    void shouldEvictLeastRecentlyUsedFirst()
    {
        admit(1, 100);
        admit(2, 100);
        admit(3, 100);
        assertThat(lru.onHit(1)).isTrue();

        assertThat(admit(4, 150)).isTrue();

        assertThat(sink.keys).containsExactly(2L, 3L);
        assertThat(lru.contains(1)).isTrue();
        assertThat(lru.contains(4)).isTrue();
        assertThat(lru.usedBytes()).isEqualTo(250);
        assertThat(lru.entryCount()).isEqualTo(2);
    }

    @Test
    void shouldRefuseObjectsLargerThanCapacityWithoutEvicting()
    {
        admit(1, 100);

        assertThat(admit(2, 301)).isFalse();

        assertThat(sink.keys).isEmpty();
        assertThat(lru.usedBytes()).isEqualTo(100);
    }

    @Test
    void shouldNeverEvictPinnedObjects()
    {
        admit(1, 100);
        admit(2, 100);
        assertThat(lru.pin(1)).isTrue();

        admit(3, 100);
        admit(4, 100);
        admit(5, 100);

        assertThat(sink.keys).containsExactly(2L, 3L);
        assertThat(lru.isPinned(1)).isTrue();
        assertThat(lru.pinnedBytes()).isEqualTo(100);
        assertThat(admit(6, 250)).as("only 200 unpinned bytes").isFalse();

        assertThat(lru.unpin(1)).isTrue();
        assertThat(admit(6, 250)).isTrue();
        assertThat(lru.usedBytes()).isEqualTo(250);
    }

    @Test
    void shouldForgetRemovedObjectsWithoutReportingThemAsVictims()
    {
        admit(1, 100);
        admit(2, 120);

        assertThat(lru.remove(1)).isTrue();
        assertThat(lru.remove(1)).isFalse();

        assertThat(lru.onHit(1)).isFalse();
        assertThat(lru.usedBytes()).isEqualTo(120);
        assertThat(sink.keys).isEmpty();
    }

    @Test
    void shouldEvictUntilTheRequestedBytesAreFree()
    {
        admit(1, 100);
        admit(2, 100);
        admit(3, 100);

        assertThat(lru.evict(150, sink)).isEqualTo(200);

        assertThat(sink.keys).containsExactly(1L, 2L);
        assertThat(sink.bytes).isEqualTo(200);
    }

    @Test
    void shouldReportAResidentObjectAsAdmittedWithoutChangingIt()
    {
        admit(1, 100);

        assertThat(admit(1, 100)).isTrue();

        assertThat(lru.usedBytes()).isEqualTo(100);
        assertThat(lru.entryCount()).isEqualTo(1);
    }
}
