package io.bifrost.edge.cache.policy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CachePolicyPropertyTest
{
    private static final long CAPACITY = 1000;

    record Op(int type, long key, long size, ContentClass contentClass, long position)
    {
    }

    @Provide
    Arbitrary<List<Op>> operations()
    {
        return Combinators.combine(
            Arbitraries.integers().between(0, 6),
            Arbitraries.longs().between(0, 40),
            Arbitraries.longs().between(1, 450),
            Arbitraries.of(ContentClass.class),
            Arbitraries.longs().between(-1, 60_000))
            .as(Op::new)
            .list().ofMaxSize(300);
    }

    private static CachePolicy newPolicy(final int kind)
    {
        return switch (kind)
        {
            case 0 -> new LruPolicy(CAPACITY);
            case 1 -> new S3FifoPolicy(CAPACITY);
            default -> new SegmentAwarePolicy(CAPACITY);
        };
    }

    @Property(tries = 300)
    void usedBytesShouldEqualResidentSizesAndNeverExceedCapacity(
        @ForAll @IntRange(min = 0, max = 2) final int kind,
        @ForAll("operations") final List<Op> operations)
    {
        final CachePolicy policy = newPolicy(kind);
        final Map<Long, Long> resident = new HashMap<>();
        final Set<Long> pinned = new HashSet<>();
        final VictimSink sink = (key, size) ->
        {
            assertThat(pinned).as("pinned objects are never evicted").doesNotContain(key);
            assertThat(resident.remove(key)).as("evicted objects were resident, with their size").isEqualTo(size);
        };

        for (final Op op : operations)
        {
            final long key = op.key();
            final long track = key % 3;
            switch (op.type())
            {
                case 0, 1 ->
                {
                    if (!policy.onHit(key))
                    {
                        assertThat(resident).doesNotContainKey(key);
                        policy.onMiss(key, op.contentClass(), track, op.position());
                        if (policy.admit(key, op.size(), op.contentClass(), track, op.position(), sink))
                        {
                            resident.put(key, op.size());
                        }
                    }
                }
                case 2 ->
                {
                    assertThat(policy.remove(key)).isEqualTo(null != resident.remove(key));
                    pinned.remove(key);
                }
                case 3 ->
                {
                    assertThat(policy.pin(key)).isEqualTo(resident.containsKey(key));
                    if (resident.containsKey(key))
                    {
                        pinned.add(key);
                    }
                }
                case 4 -> assertThat(policy.unpin(key)).isEqualTo(pinned.remove(key));
                case 5 -> policy.evict(op.size(), sink);
                default -> assertThat(policy.isPinned(key)).isEqualTo(pinned.contains(key));
            }

            final long sum = resident.values().stream().mapToLong(Long::longValue).sum();
            assertThat(policy.usedBytes()).isEqualTo(sum).isLessThanOrEqualTo(CAPACITY);
            assertThat(policy.entryCount()).isEqualTo(resident.size());
            for (final Long residentKey : resident.keySet())
            {
                assertThat(policy.contains(residentKey)).isTrue();
            }
        }
    }
}
