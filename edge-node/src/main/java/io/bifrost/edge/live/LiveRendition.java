package io.bifrost.edge.live;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * One rendition of one live session at the edge: its parts by (msn, part), its latest media playlist (full and delta
 * form) and the requests held until the window reaches them ({@link HeldRequests}). Guarded by the owning
 * {@link LiveStream}'s monitor.
 */
final class LiveRendition
{
    /**
     * A rendered playlist, the window it shows, and the Cache-Control of an answer to a blocking request for it
     * (six target durations, as the origin: any later copy still answers "at least msn M part P").
     */
    record Playlist(ByteBuf body, LiveWindow window, String blockingCacheControl)
    {
        Playlist(final ByteBuf body, final LiveWindow window)
        {
            this(body, window, "public, max-age=" + Math.max(1, 6L * window.targetDurationMs() / 1000));
        }
    }

    final String name;
    private final Long2ObjectHashMap<LiveSegment> segments = new Long2ObjectHashMap<>();
    private final HeldRequests heldRequests = new HeldRequests();
    private long newestMsn = -1;
    private int newestPart = -1;
    private boolean newestEndsSegment;
    private Playlist full;
    private Playlist delta;
    private boolean ended;
    private long bytes;
    private String mediaCacheControl = LiveHit.MEDIA_CACHE_CONTROL;

    LiveRendition(final String name)
    {
        this.name = name;
    }

    long bytes()
    {
        return bytes;
    }

    Playlist full()
    {
        return full;
    }

    /**
     * @return Cache-Control of parts and segments: immutable (names carry the epoch), for about the window's length.
     */
    String mediaCacheControl()
    {
        return mediaCacheControl;
    }

    boolean ended()
    {
        return ended;
    }

    long newestMsn()
    {
        return newestMsn;
    }

    int newestPart()
    {
        return newestPart;
    }

    /**
     * @return true when (msn, part) is not the part that follows the newest one received: parts were missed (or
     *         this edge has just joined) and should be caught up over HTTP.
     */
    boolean isGapBefore(final long msn, final int part)
    {
        if (newestMsn < 0)
        {
            return msn != 0 || part != 0;
        }
        final long expectedMsn = newestEndsSegment ? newestMsn + 1 : newestMsn;
        final int expectedPart = newestEndsSegment ? 0 : newestPart + 1;
        return msn > expectedMsn || (msn == expectedMsn && part > expectedPart);
    }

    /**
     * Store a part (the store's buffer; released here when it is a duplicate).
     *
     * @return bytes added, -1 for a duplicate.
     */
    long putPart(final long msn, final int part, final ByteBuf payload, final boolean gap, final boolean segmentEnd)
    {
        LiveSegment segment = segments.get(msn);
        if (segment == null)
        {
            segment = new LiveSegment(msn);
            segments.put(msn, segment);
        }
        final long before = segment.bytes();
        if (!segment.put(part, payload, gap, segmentEnd))
        {
            return -1;
        }
        if (msn > newestMsn || (msn == newestMsn && part > newestPart))
        {
            newestMsn = msn;
            newestPart = part;
            newestEndsSegment = segmentEnd;
        }
        final long added = segment.bytes() - before;
        bytes += added;
        return added;
    }

    /**
     * @return bytes freed by dropping every segment below {@code firstMsn} (they left the window).
     */
    long evictBefore(final long firstMsn)
    {
        long freed = 0;
        final Long2ObjectHashMap<LiveSegment>.ValueIterator values = segments.values().iterator();
        while (values.hasNext())
        {
            final LiveSegment segment = values.next();
            if (segment.msn < firstMsn)
            {
                freed += segment.bytes();
                segment.release();
                values.remove();
            }
        }
        bytes -= freed;
        return freed;
    }

    /**
     * @return bytes freed by dropping the oldest segment older than {@code keepMsn}, 0 when there is none.
     */
    long evictOldestBefore(final long keepMsn)
    {
        long oldest = Long.MAX_VALUE;
        final Long2ObjectHashMap<LiveSegment>.KeyIterator keys = segments.keySet().iterator();
        while (keys.hasNext())
        {
            oldest = Math.min(oldest, keys.nextLong());
        }
        if (oldest >= keepMsn)
        {
            return 0;
        }
        final LiveSegment segment = segments.remove(oldest);
        final long freed = segment.bytes();
        segment.release();
        bytes -= freed;
        return freed;
    }

    /**
     * @return bytes freed by dropping the playlist being replaced.
     */
    long setPlaylist(final boolean isDelta, final ByteBuf body, final LiveWindow window)
    {
        final Playlist old = isDelta ? delta : full;
        final Playlist now = new Playlist(body, window);
        if (isDelta)
        {
            delta = now;
        }
        else
        {
            full = now;
            final long windowSeconds = Math.max(1, (window.lastMsn() - window.firstMsn() + 1) * window.targetDurationMs() / 1000);
            if (!mediaCacheControl.startsWith("public, max-age=" + windowSeconds + ","))
            {
                mediaCacheControl = "public, max-age=" + windowSeconds + ", immutable";
            }
        }
        bytes += body.readableBytes();
        return old == null ? 0 : release(old);
    }

    /**
     * The session ended: the final playlist (if any) replaces the full one; no delta any more.
     *
     * @return bytes freed.
     */
    long end(final ByteBuf finalPlaylist, final LiveWindow window)
    {
        ended = true;
        long freed = 0;
        if (finalPlaylist != null)
        {
            freed += setPlaylist(false, finalPlaylist, window);
        }
        if (delta != null)
        {
            freed += release(delta);
            delta = null;
        }
        return freed;
    }

    private long release(final Playlist playlist)
    {
        final long freed = playlist.body().readableBytes();
        playlist.body().release();
        bytes -= freed;
        return freed;
    }

    /**
     * Release everything (a new session replaced this one, or the store closes); held requests are answered:
     * media waiters fall back to the origin, playlist waiters are re-aimed at the next session's first playlist.
     *
     * @return bytes freed.
     */
    long reset()
    {
        final long freed = bytes;
        for (final LiveSegment segment : segments.values())
        {
            segment.release();
        }
        segments.clear();
        if (full != null)
        {
            full.body().release();
            full = null;
        }
        if (delta != null)
        {
            delta.body().release();
            delta = null;
        }
        newestMsn = -1;
        newestPart = -1;
        newestEndsSegment = false;
        ended = false;
        bytes = 0;
        heldRequests.reset();
        return freed;
    }

    /**
     * Fail every held request at close: fall back (which the closing server then drops).
     */
    void abandonWaiters()
    {
        heldRequests.abandon();
    }

    /**
     * @return the playlist a request gets now: the final one after the end, the delta for a skip request when there
     *         is one, else the full one; null when none arrived yet.
     */
    Playlist playlistFor(final boolean skip)
    {
        if (!ended && skip && delta != null)
        {
            return delta;
        }
        return full;
    }

    /**
     * @return the part's bytes (not retained), or null when not here (or a gap).
     */
    ByteBuf part(final long msn, final int part)
    {
        final LiveSegment segment = segments.get(msn);
        return segment == null ? null : segment.part(part);
    }

    /**
     * @return the segment's parts received so far, or null when none.
     */
    LiveSegment segmentParts(final long msn)
    {
        return segments.get(msn);
    }

    /**
     * @return the complete segment's bytes (not retained), or null.
     */
    ByteBuf segment(final long msn, final ByteBufAllocator allocator)
    {
        final LiveSegment segment = segments.get(msn);
        return segment == null ? null : segment.whole(allocator);
    }

    /**
     * @return true when a part request may be held: it names the part after the newest one, or one a little later
     *         (a preload hint, which names the next part; the Advance Part Limit bounds how far).
     */
    boolean mayArrive(final long msn, final int part)
    {
        if (ended || newestMsn < 0)
        {
            return false;
        }
        final int limit = full == null ? LiveWindow.DEFAULT_ADVANCE_PART_LIMIT : full.window().advancePartLimit();
        if (msn == newestMsn)
        {
            return !newestEndsSegment && part > newestPart && part <= newestPart + limit;
        }
        return msn == newestMsn + 1 && part < limit;
    }

    /**
     * @return true when a segment request may be held: it names the segment in progress (or the next one).
     */
    boolean segmentMayComplete(final long msn)
    {
        if (ended || newestMsn < 0)
        {
            return false;
        }
        return msn == newestMsn && !newestEndsSegment || msn == newestMsn + 1 && newestEndsSegment;
    }

    /**
     * @return true when a part can no longer arrive: its segment is over without it.
     */
    boolean partPassed(final long msn, final int part)
    {
        final LiveSegment segment = segments.get(msn);
        if (segment != null && segment.endPart() >= 0 && part > segment.endPart())
        {
            return true;
        }
        return msn < newestMsn - 1;
    }

    /**
     * Hold a request until the window reaches it (see {@link HeldRequests}).
     */
    void hold(final HeldRequests.Waiter waiter)
    {
        heldRequests.hold(waiter);
    }

    /**
     * @return the requests held and not yet settled.
     */
    int held()
    {
        return heldRequests.count();
    }

    /**
     * Answer every held request the rendition now satisfies.
     *
     * @param requests the answers (bodies, metrics).
     */
    void wake(final LiveRequests requests)
    {
        heldRequests.wake(this, requests);
    }
}
