package io.bifrost.control.placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Rendezvous (highest random weight) hashing of content ids onto edge ids.
 * <p>
 * Every (content, edge) pair gets a pseudo-random 64-bit weight; a content's edges are the ones with the highest
 * weights. Because a pair's weight depends on nothing else, removing an edge moves only the contents it held (each to
 * its next-best edge), and adding one moves to it only about {@code 1/n} of the contents, all of which it wins. The
 * ranking is a pure function of the two ids, so every control-plane instance and every call agrees, with no shared
 * state and no ring to rebuild.
 * <p>
 * Ids are hashed with 64-bit FNV-1a over their UTF-16 chars, finished with MurmurHash3's {@code fmix64}; the pair
 * weight mixes the two hashes once more so that edges with similar ids do not get correlated rankings. The hashes
 * are stable across JVMs and releases: they are part of the placement and steering contract, so do not change them
 * without accepting that every content moves once.
 * <p>
 * The {@code long}-based methods allocate nothing; callers on a loop hash their edge ids once and reuse the array.
 * {@link #weightedScore(long, long, double)} gives capacity-weighted rendezvous (an edge with twice the weight wins
 * about twice as many contents). Stateless and thread-safe.
 */
public final class RendezvousHash
{
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;

    private RendezvousHash()
    {
    }

    /**
     * @param id a content or edge id.
     * @return its stable 64-bit hash.
     */
    public static long hash(final CharSequence id)
    {
        long h = FNV_OFFSET;
        for (int i = 0, n = id.length(); i < n; i++)
        {
            h ^= id.charAt(i);
            h *= FNV_PRIME;
        }
        return fmix64(h);
    }

    /**
     * @param contentHash {@link #hash(CharSequence)} of the content id.
     * @param edgeHash    {@link #hash(CharSequence)} of the edge id.
     * @return the pair's weight; compare weights with {@link Long#compareUnsigned(long, long)}.
     */
    public static long weight(final long contentHash, final long edgeHash)
    {
        return fmix64(contentHash ^ fmix64(edgeHash + GOLDEN));
    }

    /**
     * @param contentId a content id.
     * @param edgeId    an edge id.
     * @return the pair's weight; compare weights with {@link Long#compareUnsigned(long, long)}.
     */
    public static long weight(final CharSequence contentId, final CharSequence edgeId)
    {
        return weight(hash(contentId), hash(edgeId));
    }

    /**
     * Capacity-weighted rendezvous score ({@code -w / ln(u)}, u uniform in (0, 1) from the pair weight): an edge with
     * {@code capacityWeight} twice another's wins about twice as many contents, and removing an edge still moves only
     * its own contents.
     *
     * @param contentHash    {@link #hash(CharSequence)} of the content id.
     * @param edgeHash       {@link #hash(CharSequence)} of the edge id.
     * @param capacityWeight the edge's relative weight, positive (e.g. its cache capacity in GiB).
     * @return the score; higher wins; 0 for a non-positive weight.
     */
    public static double weightedScore(final long contentHash, final long edgeHash, final double capacityWeight)
    {
        if (!(capacityWeight > 0))
        {
            return 0;
        }
        final double u = ((weight(contentHash, edgeHash) >>> 11) + 0.5) * 0x1.0p-53;
        return capacityWeight / -Math.log(u);
    }

    /**
     * Writes the indexes of the {@code k} edges with the highest weights for a content, best first, without
     * allocating. Ties (equal 64-bit weights, in practice never) go to the lower index.
     *
     * @param contentHash {@link #hash(CharSequence)} of the content id.
     * @param edgeHashes  {@link #hash(CharSequence)} of each edge id.
     * @param edgeCount   how many entries of {@code edgeHashes} are edges.
     * @param k           how many edges are wanted.
     * @param out         receives the chosen indexes into {@code edgeHashes}; its length must be at least
     *                    {@code min(k, edgeCount)}.
     * @return how many indexes were written: {@code min(k, edgeCount)}, or 0 when k or edgeCount is not positive.
     */
    public static int topK(
        final long contentHash, final long[] edgeHashes, final int edgeCount, final int k, final int[] out)
    {
        final int wanted = Math.min(k, edgeCount);
        if (wanted <= 0)
        {
            return 0;
        }
        if (out.length < wanted)
        {
            throw new IllegalArgumentException("out holds " + out.length + " indexes, need " + wanted);
        }
        int filled = 0;
        for (int i = 0; i < edgeCount; i++)
        {
            final long w = weight(contentHash, edgeHashes[i]);
            if (filled == wanted && Long.compareUnsigned(w, weight(contentHash, edgeHashes[out[filled - 1]])) <= 0)
            {
                continue;
            }
            int pos = filled < wanted ? filled++ : wanted - 1;
            while (pos > 0 && Long.compareUnsigned(w, weight(contentHash, edgeHashes[out[pos - 1]])) > 0)
            {
                out[pos] = out[pos - 1];
                pos--;
            }
            out[pos] = i;
        }
        return filled;
    }

    /**
     * @param contentHash {@link #hash(CharSequence)} of the content id.
     * @param edgeHashes  {@link #hash(CharSequence)} of each edge id.
     * @param edgeCount   how many entries of {@code edgeHashes} are edges.
     * @return the index of the edge with the highest weight, or -1 when there is none.
     */
    public static int best(final long contentHash, final long[] edgeHashes, final int edgeCount)
    {
        int best = -1;
        long bestWeight = 0;
        for (int i = 0; i < edgeCount; i++)
        {
            final long w = weight(contentHash, edgeHashes[i]);
            if (best < 0 || Long.compareUnsigned(w, bestWeight) > 0)
            {
                best = i;
                bestWeight = w;
            }
        }
        return best;
    }

    /**
     * Convenience form for callers off the hot path: the {@code k} best edges for a content, best first.
     *
     * @param contentId a content id.
     * @param edges     the candidate edges (e.g. the healthy edges of a region), each with a distinct id.
     * @param edgeId    gives an edge's id.
     * @param k         how many edges are wanted.
     * @param <E>       the edge type.
     * @return a new list of at most {@code k} edges.
     */
    public static <E> List<E> topK(
        final CharSequence contentId, final Collection<E> edges, final Function<? super E, ? extends CharSequence> edgeId,
        final int k)
    {
        Objects.requireNonNull(contentId, "contentId");
        final List<E> candidates = new ArrayList<>(edges);
        final long[] hashes = new long[candidates.size()];
        for (int i = 0; i < hashes.length; i++)
        {
            hashes[i] = hash(edgeId.apply(candidates.get(i)));
        }
        final int wanted = Math.max(0, Math.min(k, hashes.length));
        final int[] chosen = new int[wanted];
        final int n = topK(hash(contentId), hashes, hashes.length, wanted, chosen);
        final List<E> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            result.add(candidates.get(chosen[i]));
        }
        return result;
    }

    /**
     * @param contentId a content id.
     * @param edgeIds   the candidate edge ids, distinct.
     * @param k         how many are wanted.
     * @return a new list of at most {@code k} edge ids, best first.
     */
    public static List<String> topK(final CharSequence contentId, final Collection<String> edgeIds, final int k)
    {
        return topK(contentId, edgeIds, Function.identity(), k);
    }

    private static long fmix64(final long value)
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
