package io.bifrost.perf.placement;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeCacheTest
{
    private final List<long[]> waste = new ArrayList<>();
    private final EdgeCache cache = new EdgeCache(300, (at, bytes) -> waste.add(new long[] {at, bytes}));

    @Test
    void shouldEvictTheLeastRecentlyReadSegment()
    {
        cache.read(1, 100, 0);
        cache.read(2, 100, 0);
        cache.read(3, 100, 0);
        assertThat(cache.read(1, 100, 1)).isTrue();

        cache.read(4, 100, 2);

        assertThat(cache.contains(2)).isFalse();
        assertThat(cache.contains(1)).isTrue();
        assertThat(cache.usedBytes()).isEqualTo(300);
        assertThat(cache.insertedBytes()).isEqualTo(400);
    }

    @Test
    void shouldKeepAPinnedSegmentUntilItsPinLapses()
    {
        cache.read(1, 100, 0);
        cache.pin(1, 10);
        cache.read(2, 100, 0);
        cache.read(3, 100, 0);

        cache.read(4, 100, 5);
        assertThat(cache.contains(1)).isTrue();
        assertThat(cache.contains(2)).isFalse();

        cache.read(5, 100, 10);
        cache.read(6, 100, 10);
        cache.read(7, 100, 10);
        assertThat(cache.contains(1)).isFalse();
    }

    @Test
    void shouldCountAPrefetchEvictedUnreadAsWaste()
    {
        assertThat(cache.prefetch(1, 100, 3)).isEqualTo(100);
        assertThat(cache.prefetch(1, 100, 3)).isZero();
        assertThat(cache.prefetch(2, 100, 4)).isEqualTo(100);
        assertThat(cache.read(2, 100, 5)).isTrue();
        cache.read(3, 100, 6);

        cache.read(4, 100, 7);
        cache.read(5, 100, 7);

        assertThat(cache.wastedBytes()).isEqualTo(100);
        assertThat(waste).singleElement().satisfies(w -> assertThat(w).containsExactly(3, 100));
    }

    @Test
    void shouldRefuseASegmentLargerThanTheCache()
    {
        assertThat(cache.read(1, 301, 0)).isFalse();
        assertThat(cache.prefetch(1, 301, 0)).isZero();
        assertThat(cache.usedBytes()).isZero();
    }
}
