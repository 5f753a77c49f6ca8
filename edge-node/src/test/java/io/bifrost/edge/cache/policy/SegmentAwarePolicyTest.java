package io.bifrost.edge.cache.policy;

import org.junit.jupiter.api.Test;

import static io.bifrost.edge.cache.policy.ContentClass.LIVE_PART;
import static io.bifrost.edge.cache.policy.ContentClass.PLAYLIST;
import static io.bifrost.edge.cache.policy.ContentClass.VOD_SEGMENT;
import static io.bifrost.edge.cache.policy.ContentHints.PARTS_PER_SEGMENT;
import static org.assertj.core.api.Assertions.assertThat;

class SegmentAwarePolicyTest
{
    private static final long HOT = 7;
    private static final long LIVE = 100;

    private final RecordingSink sink = new RecordingSink();
    private final SegmentAwarePolicy policy = new SegmentAwarePolicy(2000);

    private static long vodKey(final long track, final long msn)
    {
        return track * 1_000_000 + msn;
    }

    private static long partKey(final long msn, final int part)
    {
        return 1_000_000_000L + msn * PARTS_PER_SEGMENT + part;
    }

    private boolean requestVod(final long track, final long msn)
    {
        final long key = vodKey(track, msn);
        if (policy.onHit(key))
        {
            return true;
        }
        policy.onMiss(key, VOD_SEGMENT, track, msn);
        return policy.admit(key, 100, VOD_SEGMENT, track, msn, sink);
    }

    private boolean requestPart(final long msn, final int part)
    {
        final long key = partKey(msn, part);
        final long position = msn * PARTS_PER_SEGMENT + part;
        if (policy.onHit(key))
        {
            return true;
        }
        policy.onMiss(key, LIVE_PART, LIVE, position);
        return policy.admit(key, 100, LIVE_PART, LIVE, position, sink);
    }

    private void fillWithHotTitle()
    {
        for (int session = 0; session < 5; session++)
        {
            for (long msn = 0; msn < 20; msn++)
            {
                requestVod(HOT, msn);
            }
        }
        assertThat(policy.usedBytes()).isEqualTo(2000);
    }

    @Test
    void shouldRefuseAColdTitlesSegmentWhenHotSegmentsFillTheCache()
    {
        fillWithHotTitle();

        assertThat(requestVod(999, 3)).isFalse();
        assertThat(policy.contains(vodKey(999, 3))).isFalse();
        assertThat(sink.keys).isEmpty();
    }

    @Test
    void shouldAlwaysAdmitNewLivePartsThatViewersAreAboutToRequest()
    {
        fillWithHotTitle();

        assertThat(requestPart(5, 0)).isTrue();

        assertThat(policy.contains(partKey(5, 0))).isTrue();
        assertThat(sink.keys).hasSize(1);
        assertThat(policy.liveBytes()).isEqualTo(100);
    }

    @Test
    void shouldAdmitANewSegmentOfAHotTitleBeforeItsSecondRequest()
    {
        for (long track = 200; track < 220; track++)
        {
            requestVod(track, track % 10);
        }
        assertThat(policy.usedBytes()).isEqualTo(2000);
        for (int session = 0; session < 30; session++)
        {
            for (long msn = 0; msn < 6; msn++)
            {
                requestVod(HOT, msn);
            }
        }

        assertThat(requestVod(HOT, 6)).isTrue();

        assertThat(policy.contains(vodKey(HOT, 6))).isTrue();
        assertThat(policy.usedBytes()).isLessThanOrEqualTo(2000);
    }

    @Test
    void shouldKeepTheSegmentViewersAreWalkingTowards()
    {
        for (long msn = 0; msn < 20; msn++)
        {
            requestVod(HOT, msn);
        }
        for (int viewer = 0; viewer < 3; viewer++)
        {
            requestVod(HOT, 12);
        }

        policy.evict(1800, sink);

        assertThat(policy.contains(vodKey(HOT, 12))).as("requested").isTrue();
        assertThat(policy.contains(vodKey(HOT, 13))).as("three viewers are about to ask").isTrue();
        assertThat(sink.keys).hasSize(18);
    }

    @Test
    void shouldEvictLiveMediaBehindTheWindowBeforeAnythingElse()
    {
        for (int part = 0; part < 4; part++)
        {
            requestPart(0, part);
        }
        for (long msn = 0; msn < 15; msn++)
        {
            requestVod(999, msn);
        }
        requestPart(1, 0);
        assertThat(policy.usedBytes()).isEqualTo(2000);

        requestPart(1, 1);
        requestPart(1, 2);

        assertThat(sink.keys).containsExactly(partKey(0, 0), partKey(0, 1));
        for (long msn = 0; msn < 15; msn++)
        {
            assertThat(policy.contains(vodKey(999, msn))).isTrue();
        }
    }

    @Test
    void shouldEvictSupersededPlaylistVersionsFirst()
    {
        for (long version = 1; version <= 3; version++)
        {
            policy.onMiss(5000 + version, PLAYLIST, LIVE, version);
            policy.admit(5000 + version, 100, PLAYLIST, LIVE, version, sink);
            policy.onHit(5000 + version);
        }
        for (long msn = 0; msn < 17; msn++)
        {
            requestVod(HOT, msn);
        }

        requestVod(HOT, 17);
        requestVod(HOT, 18);

        assertThat(sink.keys).containsExactly(5001L, 5002L);
        assertThat(policy.contains(5003)).isTrue();
    }

    @Test
    void shouldNeverEvictPinnedObjectsEvenWhenStaleOrCold()
    {
        requestPart(0, 0);
        requestVod(999, 40);
        assertThat(policy.pin(partKey(0, 0))).isTrue();
        assertThat(policy.pin(vodKey(999, 40))).isTrue();

        for (long msn = 1; msn < 30; msn++)
        {
            requestPart(msn, 0);
        }
        fillWithHotTitleIgnoringFullness();

        assertThat(policy.contains(partKey(0, 0))).isTrue();
        assertThat(policy.contains(vodKey(999, 40))).isTrue();
        assertThat(sink.keys).doesNotContain(partKey(0, 0), vodKey(999, 40));
        assertThat(policy.usedBytes()).isLessThanOrEqualTo(2000);
    }

    private void fillWithHotTitleIgnoringFullness()
    {
        for (int session = 0; session < 5; session++)
        {
            for (long msn = 0; msn < 30; msn++)
            {
                requestVod(HOT, msn);
            }
        }
    }
}
