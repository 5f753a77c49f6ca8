package io.bifrost.perf.placement;

import io.bifrost.control.placement.RendezvousHash;

/**
 * Where an edge fills a segment it does not hold: straight from the origin, through a regional shield, or from the
 * region's rendezvous owner of the content (peer fill).
 * <ul>
 *   <li>{@link Kind#NONE}: every fill leaves the origin.</li>
 *   <li>{@link Kind#SHIELD}: one mid-tier cache per region (an LRU bounded in bytes, like an edge: the same
 *   {@link EdgeCache}); every edge of the region fills through it, and it fills from the origin on its own miss. In
 *   Bifrost this is an edge whose URL is first in the region's edges' origin list. The shield is hardware the other
 *   rows do not have: its capacity is stated in the report.</li>
 *   <li>{@link Kind#PEER}: no new hardware; on a miss an edge asks the region's rendezvous-best edge for the content
 *   (its owner), which serves from its cache or fills from the origin and keeps the copy; the owner itself fills from
 *   the origin. The asking edge keeps its own copy too (it served a viewer).</li>
 * </ul>
 * Bytes an edge takes from the tier (shield -> edge, peer -> edge) are counted apart from origin egress, which is
 * only what leaves the origin. Not thread-safe.
 */
final class RegionalTier
{
    /**
     * The kind of regional tier.
     */
    enum Kind
    {
        /** Edges fill from the origin. */
        NONE(""),
        /** One shield per region. */
        SHIELD(" + shield"),
        /** Fill from the region's rendezvous owner. */
        PEER(" + peer fill");

        final String suffix;

        Kind(final String suffix)
        {
            this.suffix = suffix;
        }
    }

    private final Kind kind;
    private final EdgeCache[] shields;
    private final EdgeCache[] edges;
    private final int[][] regionEdges;
    private final long[][] regionEdgeHashes;
    private final long[] titleHash;
    private long lastTierBytes;
    private long lastTierHitBytes;

    /**
     * @param kind             the kind.
     * @param shieldBytes      each shield's capacity (only for {@link Kind#SHIELD}).
     * @param edges            every edge.
     * @param regionEdges      edge indexes per region.
     * @param regionEdgeHashes rendezvous hashes of those edges.
     * @param titleHash        rendezvous hash per title.
     * @param wasteListener    told of shield entries that leave unread (never: the shield holds no prefetch).
     */
    RegionalTier(
        final Kind kind,
        final long shieldBytes,
        final EdgeCache[] edges,
        final int[][] regionEdges,
        final long[][] regionEdgeHashes,
        final long[] titleHash,
        final EdgeCache.WasteListener wasteListener)
    {
        this.kind = kind;
        this.edges = edges;
        this.regionEdges = regionEdges;
        this.regionEdgeHashes = regionEdgeHashes;
        this.titleHash = titleHash;
        shields = new EdgeCache[kind == Kind.SHIELD ? regionEdges.length : 0];
        for (int r = 0; r < shields.length; r++)
        {
            shields[r] = new EdgeCache(shieldBytes, wasteListener);
        }
    }

    Kind kind()
    {
        return kind;
    }

    /**
     * An edge has just taken {@code bytes} of a segment it did not hold (a viewer's miss or a prefetch): fetch it
     * through the tier. Afterwards {@link #lastTierBytes()} and {@link #lastTierHitBytes()} say how the bytes came.
     *
     * @param region the edge's region.
     * @param edge   the edge's index.
     * @param title  the content.
     * @param key    the segment.
     * @param bytes  its size.
     * @param tick   now.
     */
    void fill(final int region, final int edge, final int title, final long key, final long bytes, final long tick)
    {
        lastTierBytes = 0;
        lastTierHitBytes = 0;
        switch (kind)
        {
            case SHIELD ->
            {
                lastTierBytes = bytes;
                lastTierHitBytes = shields[region].read(key, bytes, tick) ? bytes : 0;
            }
            case PEER ->
            {
                final int[] candidates = regionEdges[region];
                final int owner = candidates[
                    RendezvousHash.best(titleHash[title], regionEdgeHashes[region], candidates.length)];
                if (owner != edge)
                {
                    lastTierBytes = bytes;
                    lastTierHitBytes = edges[owner].read(key, bytes, tick) ? bytes : 0;
                }
            }
            default ->
            {
            }
        }
    }

    /**
     * @return bytes of the last fill that came from the tier (shield or peer) rather than straight from the origin.
     */
    long lastTierBytes()
    {
        return lastTierBytes;
    }

    /**
     * @return bytes of the last fill that the tier already held, so that they did not leave the origin.
     */
    long lastTierHitBytes()
    {
        return lastTierHitBytes;
    }

    /**
     * @return bytes that entered the shields (each came from the origin); 0 without shields.
     */
    long shieldInsertedBytes()
    {
        long inserted = 0;
        for (final EdgeCache shield : shields)
        {
            inserted += shield.insertedBytes();
        }
        return inserted;
    }
}
