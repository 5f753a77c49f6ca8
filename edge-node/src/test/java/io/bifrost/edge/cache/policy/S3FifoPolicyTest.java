package io.bifrost.edge.cache.policy;

import org.junit.jupiter.api.Test;

import static io.bifrost.edge.cache.policy.ContentClass.VOD_SEGMENT;
import static org.assertj.core.api.Assertions.assertThat;

class S3FifoPolicyTest
{
    private final RecordingSink sink = new RecordingSink();
    private final S3FifoPolicy s3 = new S3FifoPolicy(1000, 0.1);

    private boolean admit(final long key, final long size)
    {
        return s3.admit(key, size, VOD_SEGMENT, 1, key, sink);
    }

    @Test
    void shouldEvictOneHitWondersFromTheSmallQueueIntoTheGhost()
    {
        for (long key = 1; key <= 10; key++)
        {
            admit(key, 100);
        }

        admit(11, 100);

        assertThat(sink.keys).containsExactly(1L);
        assertThat(s3.isGhost(1)).isTrue();
        assertThat(s3.isInMain(11)).isFalse();
    }

    @Test
    void shouldPromoteObjectsRequestedWhileInTheSmallQueue()
    {
        for (long key = 1; key <= 10; key++)
        {
            admit(key, 100);
        }
        s3.onHit(1);

        admit(11, 100);

        assertThat(s3.isInMain(1)).isTrue();
        assertThat(s3.contains(1)).isTrue();
        assertThat(sink.keys).containsExactly(2L);
    }

    @Test
    void shouldReadmitGhostsStraightIntoMain()
    {
        for (long key = 1; key <= 11; key++)
        {
            admit(key, 100);
        }
        assertThat(s3.isGhost(1)).isTrue();

        assertThat(admit(1, 100)).isTrue();

        assertThat(s3.isInMain(1)).isTrue();
        assertThat(s3.isGhost(1)).isFalse();
    }

    @Test
    void shouldReinsertRequestedMainObjectsAndEvictTheUnrequested()
    {
        for (long key = 1; key <= 10; key++)
        {
            admit(key, 100);
            s3.onHit(key);
        }
        admit(11, 100);
        assertThat(sink.keys).containsExactly(1L);
        assertThat(s3.isInMain(2)).isTrue();
        s3.onHit(2);

        assertThat(s3.evict(300, sink)).isEqualTo(300);

        assertThat(sink.keys).containsExactly(1L, 11L, 3L, 4L);
        assertThat(s3.isInMain(2)).as("requested in main: reinserted").isTrue();
        assertThat(s3.usedBytes()).isEqualTo(700);
    }

    @Test
    void shouldNeverEvictPinnedObjects()
    {
        admit(1, 100);
        s3.pin(1);
        for (long key = 2; key <= 40; key++)
        {
            admit(key, 100);
        }

        assertThat(s3.contains(1)).isTrue();
        assertThat(sink.keys).doesNotContain(1L);
        assertThat(s3.usedBytes()).isEqualTo(1000);
    }
}
