package io.bifrost.origin.live;

import io.bifrost.protocol.aeron.AeronChannels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One rendition of a live session: its input ({@link CmafTrackSink}, parsed by a {@link FragmentedMp4Reader}) and its
 * live window.
 *
 * <p>Fragments become parts and parts become segments as they arrive, so a part is announced the moment its last
 * fragment is parsed. A part closes when it reaches the part target (less half of the last fragment, so fragments
 * of exactly the target make one part each) or when it reaches the next segment boundary. Boundaries lie on a grid
 * anchored at the session's first decode time ({@code anchor + k * segmentTarget}), shared by every rendition, so
 * video and audio segments end at the same times and their msns line up. A part ends its segment when its end
 * reaches the boundary, less a tolerance of half a part (an audio frame rarely lands on the boundary exactly), which
 * lets the segment complete with its last part instead of one part later.
 *
 * <p>Video segments must start with an independent frame. The producers force a keyframe on every boundary, so the
 * cut is predicted: the part that reaches the boundary ends its segment at once. If the next fragment then is not
 * independent (a passthrough publisher whose keyframe interval does not divide the segment target), that one segment
 * starts dependent (counted; the playlist drops EXT-X-INDEPENDENT-SEGMENTS while it is in the window) and the
 * rendition switches to waiting: a part that reaches a due boundary is announced only when the next fragment shows
 * whether it starts with a keyframe, and the segment ends at the first keyframe at or after the boundary. That costs
 * one part of latency on the parts past a boundary; after {@value #ALIGNED_BOUNDARIES_TO_PREDICT} boundaries in a row
 * where the keyframe came right on the boundary, the rendition predicts again.
 *
 * <p>Everything except the byte parsing runs under the session's stream lock.
 */
final class RenditionWindow implements CmafTrackSink, FragmentedMp4Reader.Listener
{
    private static final Logger LOG = LoggerFactory.getLogger(RenditionWindow.class);
    /** Largest part: what one Aeron live message carries. */
    static final int MAX_PART_BYTES = AeronChannels.MAX_LIVE_PART_BYTES;
    /** Boundaries in a row with a keyframe right on them before a waiting video rendition predicts cuts again. */
    static final int ALIGNED_BOUNDARIES_TO_PREDICT = 3;
    /** Most fragments played forward to predict the end of the segment being written (a bound, not a tuning). */
    private static final int MAX_PREDICTED_FRAGMENTS = 1_000;

    final PackagerSession session;
    final LiveTrack track;
    private final FragmentedMp4Reader reader;
    private final ArrayDeque<LiveSegment> segments = new ArrayDeque<>();
    private final List<CmafFragment> pending = new ArrayList<>();
    private final List<LiveWaiter> waiters = new ArrayList<>();
    private InitSegment init;
    private LiveSegment current;
    private long nextMsn;
    private long pendingUs;
    private int pendingBytes;
    private long nextBoundary;
    private long lastPartMsn = -1;
    private int lastPartIndex = -1;
    private long lastCompleteMsn = -1;
    private boolean started;
    private boolean inputEnded;
    private boolean predictCuts = true;
    private boolean awaitingCut;
    private boolean boundaryMissed;
    private int alignedBoundaries;
    private long maxPartUs;
    private long lastFragmentTicks;
    private long maxFragmentTicks;
    private long lastSampleTicks;
    private long maxSegmentUs;
    private String playlist;
    private String delta;

    RenditionWindow(final PackagerSession session, final LiveTrack track, final long firstMsn)
    {
        this.session = session;
        this.track = track;
        this.nextMsn = firstMsn;
        // A re-published stream continues the media sequence: "nothing complete yet" is the msn before the first one,
        // so lastCompleteMsn + 1 is always the segment in progress (edges answer blocking reloads from that).
        this.lastCompleteMsn = firstMsn - 1;
        this.reader = new FragmentedMp4Reader(track.kind(), this);
    }

    @Override
    public void accept(final ByteBuffer chunk)
    {
        try
        {
            reader.accept(chunk);
        }
        catch (final IllegalArgumentException ex)
        {
            session.packager.metrics.rejectedInput();
            LOG.warn("live {}/{}: input refused: {}", session.streamId, track.rendition(), ex.getMessage());
            end();
            throw new IllegalArgumentException("live " + session.streamId + "/" + track.rendition() + ": " +
                ex.getMessage(), ex);
        }
    }

    @Override
    public void end()
    {
        synchronized (session.lock)
        {
            finishInput();
        }
    }

    @Override
    public void onInit(final InitSegment init)
    {
        synchronized (session.lock)
        {
            if (session.ended)
            {
                return;
            }
            this.init = init;
            render();
            session.onInit(this);
        }
    }

    @Override
    public void onFragment(final CmafFragment fragment)
    {
        synchronized (session.lock)
        {
            if (session.ended || inputEnded)
            {
                return;
            }
            if (!started)
            {
                if (track.kind() == TrackKind.VIDEO && !fragment.independent())
                {
                    session.packager.metrics.droppedFragment();
                    return;
                }
                started = true;
                final long startUs = toUs(fragment.baseDecodeTime());
                session.anchor(startUs);
                nextBoundary = boundaryAfter(startUs, session.packager.partTargetUs / 2);
            }
            if (awaitingCut)
            {
                decideCut(fragment.independent());
            }
            final long startUs = toUs(fragment.baseDecodeTime());
            final long durationUs = toUs(fragment.baseDecodeTime() + fragment.duration()) - startUs;
            final long partTargetUs = session.packager.partTargetUs;
            if (!pending.isEmpty() && (pendingBytes + fragment.bytes().length > MAX_PART_BYTES ||
                pendingUs + durationUs > partTargetUs + partTargetUs / 2))
            {
                closePart(false);
            }
            if (current == null)
            {
                current = new LiveSegment(nextMsn, fragment.baseDecodeTime(), startUs,
                    session.programDateTimeMs(nextMsn, startUs));
                if (!fragment.independent())
                {
                    session.packager.metrics.dependentSegment();
                    if (predictCuts)
                    {
                        LOG.warn("live {}/{}: no keyframe on the segment boundary at {} us; cutting at keyframes from " +
                            "now on", session.streamId, track.rendition(), startUs);
                    }
                    predictCuts = false;
                    alignedBoundaries = 0;
                }
            }
            pending.add(fragment);
            lastFragmentTicks = fragment.duration();
            maxFragmentTicks = Math.max(maxFragmentTicks, fragment.duration());
            lastSampleTicks = fragment.sampleCount() > 0 ?
                (fragment.duration() + fragment.sampleCount() - 1) / fragment.sampleCount() : 0;
            pendingUs = toUs(fragment.baseDecodeTime() + fragment.duration()) - toUs(pending.get(0).baseDecodeTime());
            pendingBytes += fragment.bytes().length;
            final long endUs = startUs + durationUs;
            final long tolerance = Math.min(partTargetUs / 2, durationUs / 2);
            if (endUs >= boundaryUs(nextBoundary) - tolerance)
            {
                if (predictCuts || track.kind() != TrackKind.VIDEO)
                {
                    closePart(true);
                }
                else
                {
                    awaitingCut = true;
                }
            }
            else if (pendingUs >= partTargetUs - durationUs / 2)
            {
                closePart(false);
            }
        }
    }

    /**
     * A waiting video rendition learns whether the part that reached the boundary ends its segment: it does when the
     * fragment after it starts with a keyframe.
     */
    private void decideCut(final boolean nextIsIndependent)
    {
        awaitingCut = false;
        if (nextIsIndependent)
        {
            if (!boundaryMissed && ++alignedBoundaries >= ALIGNED_BOUNDARIES_TO_PREDICT)
            {
                predictCuts = true;
                LOG.info("live {}/{}: keyframes are on the segment boundaries again; predicting cuts",
                    session.streamId, track.rendition());
            }
            boundaryMissed = false;
            closePart(true);
        }
        else
        {
            boundaryMissed = true;
            alignedBoundaries = 0;
            closePart(false);
        }
    }

    /**
     * Input ended: the pending part closes its segment. Called under the lock.
     */
    void finishInput()
    {
        if (inputEnded)
        {
            return;
        }
        inputEnded = true;
        awaitingCut = false;
        if (session.ended)
        {
            return;
        }
        if (!pending.isEmpty())
        {
            closePart(true);
        }
        else if (current != null && !current.parts.isEmpty())
        {
            completeSegment();
            render();
            session.publishRendition(this, true);
            wakeWaiters();
        }
    }

    private void closePart(final boolean segmentEnd)
    {
        final CmafFragment first = pending.get(0);
        final byte[] bytes = new byte[pendingBytes];
        int offset = 0;
        long durationTicks = 0;
        for (final CmafFragment fragment : pending)
        {
            System.arraycopy(fragment.bytes(), 0, bytes, offset, fragment.bytes().length);
            offset += fragment.bytes().length;
            durationTicks += fragment.duration();
        }
        final long startTicks = first.baseDecodeTime();
        final long startUs = toUs(startTicks);
        final int durationUs = (int)Math.min(Integer.MAX_VALUE, toUs(startTicks + durationTicks) - startUs);
        final LivePart part = new LivePart(current.msn, current.parts.size(), startTicks, durationTicks, startUs,
            durationUs, current.programDateTimeMs + Math.floorDiv(startUs - current.startUs, 1000), first.independent(),
            segmentEnd, bytes);
        pending.clear();
        pendingUs = 0;
        pendingBytes = 0;
        current.add(part);
        lastPartMsn = part.msn;
        lastPartIndex = part.index;
        maxPartUs = Math.max(maxPartUs, durationUs);
        session.packager.metrics.part();
        session.publishPart(this, part);
        if (segmentEnd)
        {
            completeSegment();
        }
        render();
        // the MPD lists the segment being written from its first part on (low-latency DASH), so it changes then too
        session.publishRendition(this, segmentEnd || part.index == 0);
        wakeWaiters();
    }

    private void completeSegment()
    {
        final LiveSegment segment = current;
        segment.complete(segment.partBytes());
        segments.addLast(segment);
        lastCompleteMsn = segment.msn;
        nextMsn = segment.msn + 1;
        maxSegmentUs = Math.max(maxSegmentUs, segment.durationUs);
        nextBoundary = Math.max(nextBoundary + 1,
            boundaryAfter(segment.startUs + segment.durationUs, session.packager.partTargetUs / 2));
        current = null;
        if (session.packager.recorder != null)
        {
            session.packager.recorder.onSegment(session, this, segment);
        }
        while (segments.size() > session.packager.windowSegments)
        {
            segments.removeFirst();
        }
        session.packager.metrics.segment();
    }

    /**
     * @return the expected duration, in the track's timescale, of the segment being written, or -1 when none is. The
     *         cut rule of {@link #onFragment} is played forward with fragments as long as the last one (the next
     *         boundary, less the tolerance), so with steady fragments (a fixed GOP and frame rate, fixed AAC frames per
     *         fragment) the MPD lists the duration the segment will really have and a player's next request by time
     *         lands on the next segment; a cut that waits for a late keyframe ends later, and the MPD shows the real
     *         duration once the segment completes.
     *
     *         <p>Video is played forward with its longest fragment, and no predicted fragment runs past the first frame
     *         at or after the boundary: producers force a keyframe there and cut a fragment at every keyframe, so
     *         keyframes inside the segment (the live ladder's 1 s in 2 s segments) or a part target that is not a
     *         whole number of frames (333 ms at 25 fps: 9 + 9 + 7 frames to the keyframe) make shorter fragments
     *         that are no guide to the next ones.
     */
    long currentPredictedDurationTicks()
    {
        if (current == null || current.parts.isEmpty())
        {
            return -1;
        }
        long endTicks = current.startTicks + current.durationTicks;
        for (int i = 0; i < pending.size(); i++)
        {
            endTicks += pending.get(i).duration();
        }
        if (lastFragmentTicks > 0)
        {
            final boolean video = track.kind() == TrackKind.VIDEO;
            final long stepTicks = video ? maxFragmentTicks : lastFragmentTicks;
            final long keyframeTicks = video ? firstFrameAtOrAfter(boundaryUs(nextBoundary)) : Long.MAX_VALUE;
            final long fragmentUs = toUs(endTicks + stepTicks) - toUs(endTicks);
            final long cutUs = boundaryUs(nextBoundary) - Math.min(session.packager.partTargetUs / 2, fragmentUs / 2);
            for (int steps = 0; toUs(endTicks) < cutUs && endTicks < keyframeTicks && steps < MAX_PREDICTED_FRAGMENTS;
                steps++)
            {
                endTicks = Math.min(endTicks + stepTicks, keyframeTicks);
            }
        }
        return endTicks - current.startTicks;
    }

    /**
     * @return the decode time, in the track's timescale, of the first frame at or after {@code us} on the segment's
     *         frame lattice (its start plus whole frames of the last fragment's frame duration, rounded up); 1 us of
     *         slack for the rounding of the grid to microseconds.
     */
    private long firstFrameAtOrAfter(final long us)
    {
        final long timescale = init.timescale();
        final long deltaTicks = Math.ceilDiv(Math.max(0, us - current.startUs - 1) * timescale, 1_000_000L);
        return lastSampleTicks > 0 ?
            current.startTicks + Math.ceilDiv(deltaTicks, lastSampleTicks) * lastSampleTicks :
            current.startTicks + deltaTicks;
    }

    /** Smallest boundary index whose time is after {@code us + tolerance}. */
    private long boundaryAfter(final long us, final long tolerance)
    {
        return Math.floorDiv(us + tolerance - session.anchorUs(), session.packager.segmentTargetUs) + 1;
    }

    private long boundaryUs(final long index)
    {
        return session.anchorUs() + index * session.packager.segmentTargetUs;
    }

    private long toUs(final long ticks)
    {
        final long timescale = init.timescale();
        return (ticks / timescale) * 1_000_000L + (ticks % timescale) * 1_000_000L / timescale;
    }

    /** Re-renders this rendition's playlists (full and delta). Under the lock. */
    void render()
    {
        playlist = HlsPlaylistWriter.mediaPlaylist(this, false);
        delta = skippableSegments() > 0 ? HlsPlaylistWriter.mediaPlaylist(this, true) : null;
    }

    /** Fires every waiter the window now satisfies, every waiter once the session has ended. Under the lock. */
    void wakeWaiters()
    {
        final Iterator<LiveWaiter> it = waiters.iterator();
        while (it.hasNext())
        {
            final LiveWaiter waiter = it.next();
            if (session.ended || session.replaced || waiter.satisfiedBy(this))
            {
                it.remove();
                waiter.fire();
            }
        }
    }

    void addWaiter(final LiveWaiter waiter)
    {
        waiters.add(waiter);
    }

    void removeWaiter(final LiveWaiter waiter)
    {
        waiters.remove(waiter);
    }

    /**
     * @return how many of the oldest complete segments a delta update skips: those that end at least
     * CAN-SKIP-UNTIL before the end of the playlist; 0 when none can be skipped.
     */
    int skippableSegments()
    {
        final long skipUntilUs = HlsPlaylistWriter.skipUntilSeconds(this) * 1_000_000L;
        final long endUs = playlistEndUs();
        int skippable = 0;
        for (final LiveSegment segment : segments)
        {
            if (endUs - (segment.startUs + segment.durationUs) >= skipUntilUs)
            {
                skippable++;
            }
            else
            {
                break;
            }
        }
        return skippable;
    }

    private long playlistEndUs()
    {
        if (current != null && !current.parts.isEmpty())
        {
            return current.startUs + current.durationUs;
        }
        final LiveSegment last = segments.peekLast();
        return last == null ? 0 : last.startUs + last.durationUs;
    }

    InitSegment init()
    {
        return init;
    }

    ArrayDeque<LiveSegment> segments()
    {
        return segments;
    }

    LiveSegment current()
    {
        return current;
    }

    long nextMsn()
    {
        return current != null ? current.msn : nextMsn;
    }

    /**
     * @return the msn of the first segment this rendition has not opened yet (its PROGRAM-DATE-TIME is not decided).
     */
    long firstUnopenedMsn()
    {
        return current != null ? current.msn + 1 : nextMsn;
    }

    int nextPartIndex()
    {
        return current != null ? current.parts.size() : 0;
    }

    long lastPartMsn()
    {
        return lastPartMsn;
    }

    int lastPartIndex()
    {
        return lastPartIndex;
    }

    long lastCompleteMsn()
    {
        return lastCompleteMsn;
    }

    long firstMsn()
    {
        final LiveSegment first = segments.peekFirst();
        if (first != null)
        {
            return first.msn;
        }
        return nextMsn();
    }

    /**
     * @return true when every segment in the window (and the one being written) starts with an independent frame.
     */
    boolean allIndependent()
    {
        for (final LiveSegment segment : segments)
        {
            if (!segment.independent())
            {
                return false;
            }
        }
        return current == null || current.parts.isEmpty() || current.independent();
    }

    long maxPartUs()
    {
        return maxPartUs;
    }

    long maxSegmentUs()
    {
        return maxSegmentUs;
    }

    boolean inputEnded()
    {
        return inputEnded;
    }

    String playlist()
    {
        return playlist;
    }

    String delta()
    {
        return delta;
    }

    /**
     * @return the part, or null when it is not in the window.
     */
    LivePart part(final long msn, final int index)
    {
        if (current != null && current.msn == msn)
        {
            return index < current.parts.size() ? current.parts.get(index) : null;
        }
        final LiveSegment segment = segment(msn);
        return segment != null && index < segment.parts.size() ? segment.parts.get(index) : null;
    }

    /**
     * @return the complete segment, or null when it is not in the window.
     */
    LiveSegment segment(final long msn)
    {
        final LiveSegment first = segments.peekFirst();
        if (first == null || msn < first.msn || msn > lastCompleteMsn)
        {
            return null;
        }
        for (final LiveSegment segment : segments)
        {
            if (segment.msn == msn)
            {
                return segment;
            }
        }
        return null;
    }
}
