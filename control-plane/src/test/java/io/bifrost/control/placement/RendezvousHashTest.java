package io.bifrost.control.placement;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RendezvousHashTest
{
    private static final int CONTENTS = 20_000;

    @Test
    void shouldGiveTheSameEdgesOnEveryCall()
    {
        final List<String> edges = edges(12);

        assertThat(RendezvousHash.topK("vod/abc", edges, 3)).isEqualTo(RendezvousHash.topK("vod/abc", edges, 3))
            .hasSize(3).doesNotHaveDuplicates();
        assertThat(RendezvousHash.topK("vod/abc", edges, 3))
            .isEqualTo(RendezvousHash.topK("vod/abc", edges.reversed(), 3));
    }

    @Test
    void shouldKeepHashesStableAcrossReleases()
    {
        // Placement and steering agree across processes only if these values never change.
        assertThat(RendezvousHash.hash("")).isEqualTo(fmix64Of(0xcbf29ce484222325L));
        assertThat(RendezvousHash.hash("edge-1")).isEqualTo(RendezvousHash.hash(new StringBuilder("edge-1")));
        assertThat(RendezvousHash.weight("c", "e")).isEqualTo(RendezvousHash.weight(
            RendezvousHash.hash("c"), RendezvousHash.hash("e")));
    }

    @Test
    void shouldRankEdgesByDescendingWeight()
    {
        final List<String> edges = edges(10);
        final List<String> all = RendezvousHash.topK("live/st_1", edges, 10);

        assertThat(all).containsExactlyInAnyOrderElementsOf(edges);
        for (int i = 1; i < all.size(); i++)
        {
            assertThat(Long.compareUnsigned(
                RendezvousHash.weight("live/st_1", all.get(i - 1)),
                RendezvousHash.weight("live/st_1", all.get(i)))).isPositive();
        }
        assertThat(RendezvousHash.topK("live/st_1", edges, 4)).isEqualTo(all.subList(0, 4));
    }

    @Test
    void shouldMoveOnlyTheContentsOfAnEdgeThatLeaves()
    {
        final List<String> edges = edges(10);
        final List<String> without = new ArrayList<>(edges);
        without.remove("edge-4");

        int moved = 0;
        for (int c = 0; c < CONTENTS; c++)
        {
            final String content = "content-" + c;
            final List<String> before = RendezvousHash.topK(content, edges, 2);
            final List<String> after = RendezvousHash.topK(content, without, 2);
            if (!before.contains("edge-4"))
            {
                assertThat(after).isEqualTo(before);
            }
            else
            {
                moved++;
                final List<String> kept = new ArrayList<>(before);
                kept.remove("edge-4");
                assertThat(after).containsAll(kept).doesNotContain("edge-4");
            }
        }
        // edge-4 is in a content's top 2 for about 2/10 of the contents.
        assertThat(moved).isBetween(CONTENTS / 5 - CONTENTS / 25, CONTENTS / 5 + CONTENTS / 25);
    }

    @Test
    void shouldMoveContentsOnlyToAnEdgeThatJoins()
    {
        final List<String> edges = edges(9);
        final List<String> with = new ArrayList<>(edges);
        with.add("edge-new");

        int moved = 0;
        for (int c = 0; c < CONTENTS; c++)
        {
            final String content = "content-" + c;
            final String before = RendezvousHash.topK(content, edges, 1).getFirst();
            final String after = RendezvousHash.topK(content, with, 1).getFirst();
            if (!after.equals(before))
            {
                assertThat(after).isEqualTo("edge-new");
                moved++;
            }
        }
        assertThat(moved).isBetween(CONTENTS / 10 - CONTENTS / 50, CONTENTS / 10 + CONTENTS / 50);
    }

    @Test
    void shouldSpreadContentsEvenlyOverEdges()
    {
        final List<String> edges = edges(16);
        final Map<String, Integer> counts = new HashMap<>();
        for (int c = 0; c < CONTENTS * 2; c++)
        {
            counts.merge(RendezvousHash.topK("seg/" + c, edges, 1).getFirst(), 1, Integer::sum);
        }
        final int mean = CONTENTS * 2 / 16;
        assertThat(counts).hasSize(16);
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(mean * 85 / 100, mean * 115 / 100));
    }

    @Test
    void shouldSelectWithoutAllocationIntoTheCallersArray()
    {
        final long[] hashes = new long[8];
        for (int i = 0; i < hashes.length; i++)
        {
            hashes[i] = RendezvousHash.hash("edge-" + i);
        }
        final int[] out = new int[3];
        final long content = RendezvousHash.hash("x");

        assertThat(RendezvousHash.topK(content, hashes, 8, 3, out)).isEqualTo(3);
        assertThat(out[0]).isEqualTo(RendezvousHash.best(content, hashes, 8));
        assertThat(RendezvousHash.topK(content, hashes, 2, 3, out)).isEqualTo(2);
        assertThat(RendezvousHash.topK(content, hashes, 0, 3, out)).isZero();
        assertThat(RendezvousHash.topK(content, hashes, 8, 0, out)).isZero();
        assertThat(RendezvousHash.best(content, hashes, 0)).isEqualTo(-1);
        assertThatThrownBy(() -> RendezvousHash.topK(content, hashes, 8, 4, out))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldGiveHeavierEdgesProportionallyMoreContents()
    {
        final long[] hashes = {RendezvousHash.hash("small"), RendezvousHash.hash("big")};
        final double[] weights = {1.0, 3.0};
        final int[] wins = new int[2];
        for (int c = 0; c < CONTENTS; c++)
        {
            final long content = RendezvousHash.hash("c" + c);
            final double s0 = RendezvousHash.weightedScore(content, hashes[0], weights[0]);
            final double s1 = RendezvousHash.weightedScore(content, hashes[1], weights[1]);
            wins[s1 > s0 ? 1 : 0]++;
        }
        assertThat(wins[1] / (double)CONTENTS).isBetween(0.72, 0.78);
        assertThat(RendezvousHash.weightedScore(1, 2, 0)).isZero();
        assertThat(RendezvousHash.weightedScore(1, 2, Double.NaN)).isZero();
    }

    private static List<String> edges(final int count)
    {
        final List<String> edges = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            edges.add("edge-" + i);
        }
        return edges;
    }

    private static long fmix64Of(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
