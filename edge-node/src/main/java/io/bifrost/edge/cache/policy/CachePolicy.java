package io.bifrost.edge.cache.policy;

/**
 * Decides which objects a cache tier keeps: whether a fetched object is admitted, and which resident objects are
 * evicted to make room. The tier owns the bytes; the policy owns only the bookkeeping, by object id.
 * <p>
 * Contract:
 * <ul>
 *   <li>Single-threaded: one policy per tier, called only from that tier's thread. Not thread-safe.</li>
 *   <li>Keys are {@code long} ids the tier assigns to paths; sizes are in bytes and fixed while resident.</li>
 *   <li>Hints: a {@link ContentClass}, a track id and a position, all cheap to derive from a parsed path with
 *   {@link ContentClass#of} and {@link ContentHints}. Policies that do not use a hint ignore it.</li>
 *   <li>Request flow: a lookup that finds the object calls {@link #onHit}; one that does not calls {@link #onMiss}
 *   and, once the object is fetched, {@link #admit}, which evicts through the given {@link VictimSink} to make room
 *   when it admits. Victims are reported before {@code admit} returns; the tier frees them then.</li>
 *   <li>{@code usedBytes() <= capacityBytes()} always holds and equals the sum of resident sizes; pinned objects
 *   count in it and are never evicted.</li>
 *   <li>No allocation per call in the steady state (internal tables grow by doubling only while they fill up).</li>
 * </ul>
 */
public interface CachePolicy
{
    /**
     * @return the most bytes the resident objects may occupy.
     */
    long capacityBytes();

    /**
     * @return the bytes resident objects occupy, pinned ones included.
     */
    long usedBytes();

    /**
     * @return the number of resident objects.
     */
    int entryCount();

    /**
     * @param key object id.
     * @return true when the object is resident.
     */
    boolean contains(long key);

    /**
     * Records a request served from the tier.
     *
     * @param key object id.
     * @return false, changing nothing, when the object is not resident.
     */
    boolean onHit(long key);

    /**
     * Records a request the tier could not serve; the object is about to be fetched and offered to {@link #admit}.
     *
     * @param key          object id.
     * @param contentClass what the object is.
     * @param trackId      the track it belongs to ({@link ContentHints#trackId}).
     * @param position     its position along the track ({@link ContentHints#position}).
     */
    void onMiss(long key, ContentClass contentClass, long trackId, long position);

    /**
     * Offers a fetched object. When admitted, victims are evicted through {@code sink} until it fits and the object
     * is resident when this returns. An object already resident is left as it is and reported admitted.
     *
     * @param key          object id.
     * @param sizeBytes    its size, at least 1 byte.
     * @param contentClass what the object is.
     * @param trackId      the track it belongs to.
     * @param position     its position along the track.
     * @param sink         receives every object evicted to make room.
     * @return true when the object is resident; false when refused (not worth keeping, larger than the capacity, or
     * no room because the rest is pinned), in which case nothing was evicted.
     */
    boolean admit(long key, long sizeBytes, ContentClass contentClass, long trackId, long position, VictimSink sink);

    /**
     * Evicts in the policy's victim order until at least {@code bytesNeeded} bytes are free, or nothing unpinned is
     * left (for a tier whose storage needs room the policy does not know about, or a capacity shrink).
     *
     * @param bytesNeeded the free bytes wanted.
     * @param sink        receives every evicted object.
     * @return the free bytes after eviction, {@code capacityBytes() - usedBytes()}.
     */
    long evict(long bytesNeeded, VictimSink sink);

    /**
     * Forgets an object the tier dropped by itself (invalidation, a live playlist replaced); the sink is not called.
     *
     * @param key object id.
     * @return true when it was resident.
     */
    boolean remove(long key);

    /**
     * Pins a resident object (placement PIN): it stays resident, and counts in {@link #usedBytes()}, until unpinned
     * or removed. Pinning a pinned object changes nothing.
     *
     * @param key object id.
     * @return false when the object is not resident.
     */
    boolean pin(long key);

    /**
     * Makes a pinned object evictable again (placement RELEASE); it re-enters eviction as if just requested.
     *
     * @param key object id.
     * @return false when the object is not resident or not pinned.
     */
    boolean unpin(long key);

    /**
     * @param key object id.
     * @return true when the object is resident and pinned.
     */
    boolean isPinned(long key);
}
