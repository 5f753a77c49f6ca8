package io.bifrost.edge.cache.policy;

import io.bifrost.protocol.naming.ContentKey;

/**
 * Derives the position hints a {@link CachePolicy} takes from a parsed path, without allocating: the track id names
 * the sequence an object belongs to (scope, content id and rendition), the position orders objects along it.
 * <p>
 * Live media of a new origin session epoch is a new track (its msn may restart), so its live window starts afresh.
 * <p>
 * Positions: a segment's media sequence number (msn); a live part {@code msn * PARTS_PER_SEGMENT + part}, so parts
 * and their segment share {@code position / PARTS_PER_SEGMENT} ordering; {@link #NO_POSITION} for manifests and
 * init segments. Track ids are 64-bit FNV-1a hashes; two tracks sharing one only blur their statistics.
 */
public final class ContentHints
{
    /**
     * Position of objects that have none (manifests, init segments).
     */
    public static final long NO_POSITION = -1;

    /**
     * Multiplier that keeps part positions ordered within and across segments (a part number is 0-9999).
     */
    public static final long PARTS_PER_SEGMENT = ContentKey.MAX_PART + 1;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ContentHints()
    {
    }

    /**
     * @param key the parsed path.
     * @return the id of its track: the same for every object of one rendition of one title, or of one origin session
     * epoch of a live stream (live manifests and init segments, which carry no epoch, share a track per rendition).
     */
    public static long trackId(final ContentKey key)
    {
        long h = FNV_OFFSET;
        h = (h ^ (key.isLive() ? 'L' : 'V')) * FNV_PRIME;
        h = hash(h, key.id());
        h = (h ^ '/') * FNV_PRIME;
        final String rendition = key.rendition();
        if (null != rendition)
        {
            h = hash(h, rendition);
        }
        if (key.isLive() && key.epoch() >= 0)
        {
            h = (h ^ key.epoch()) * FNV_PRIME;
        }
        return h;
    }

    /**
     * A stable 64-bit id for an object, derived from its canonical path, so a policy sees the same id for every
     * request of the path (misses and ghosts included) and across restarts.
     *
     * @param path the canonical path ({@link ContentKey#path()}).
     * @return the id (FNV-1a, then a 64-bit finaliser to spread the bits).
     */
    public static long objectId(final String path)
    {
        long h = hash(FNV_OFFSET, path);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    /**
     * @param key the parsed path.
     * @return its position along its track, or {@link #NO_POSITION}.
     */
    public static long position(final ContentKey key)
    {
        return switch (key.kind())
        {
            case SEGMENT -> key.msn();
            case PART -> key.msn() * PARTS_PER_SEGMENT + key.part();
            default -> NO_POSITION;
        };
    }

    /**
     * @param position a position as {@link #position(ContentKey)} computes it.
     * @param contentClass the object's class.
     * @return the media sequence number the position falls in.
     */
    public static long msnOf(final long position, final ContentClass contentClass)
    {
        return ContentClass.LIVE_PART == contentClass ? position / PARTS_PER_SEGMENT : position;
    }

    private static long hash(final long seed, final String s)
    {
        long h = seed;
        for (int i = 0, n = s.length(); i < n; i++)
        {
            h = (h ^ s.charAt(i)) * FNV_PRIME;
        }
        return h;
    }
}
