package io.bifrost.origin.live;

import io.bifrost.protocol.sbe.WindowKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One publish of one stream at the packager: its renditions, the time anchor they share (the first decode time and the
 * wall clock at that moment, for EXT-X-PROGRAM-DATE-TIME and the DASH availability start), and the stream-wide
 * master playlist and MPD. Guarded by {@link #lock}, the stream's lock, which every rendition takes too.
 */
final class PackagerSession implements LiveSession
{
    private static final Logger LOG = LoggerFactory.getLogger(PackagerSession.class);

    final LivePackager packager;
    final String streamId;
    final Object lock;
    final long epoch;
    final long discontinuitySequence;
    final Map<String, RenditionWindow> renditions = new LinkedHashMap<>();
    boolean ended;
    boolean replaced;
    long endedAtMs;
    private long anchorUs = Long.MIN_VALUE;
    private long anchorWallMs;
    private long captureDecodeUs = Long.MIN_VALUE;
    private long captureWallMs;
    /** Capture clock corrections after the anchor: first msn they apply to -> wall clock at the anchor. */
    private final TreeMap<Long, Long> correctedAnchors = new TreeMap<>();
    private String master;
    private String mpd;

    PackagerSession(final LivePackager packager, final String streamId, final Object lock, final long epoch,
        final long firstMsn, final long discontinuitySequence, final List<LiveTrack> tracks)
    {
        this.packager = packager;
        this.streamId = streamId;
        this.lock = lock;
        this.epoch = epoch;
        this.discontinuitySequence = discontinuitySequence;
        for (final LiveTrack track : tracks)
        {
            renditions.put(track.rendition(), new RenditionWindow(this, track, firstMsn));
        }
    }

    @Override
    public long epoch()
    {
        return epoch;
    }

    @Override
    public CmafTrackSink track(final String rendition)
    {
        final RenditionWindow window = renditions.get(rendition);
        if (window == null)
        {
            throw new IllegalArgumentException("rendition '" + rendition + "' was not announced for live stream " +
                streamId + "; announced: " + renditions.keySet());
        }
        return window;
    }

    @Override
    public void end()
    {
        synchronized (lock)
        {
            endLocked(false);
        }
    }

    /**
     * Ends the session: every track's last part closes its segment, final playlists (EXT-X-ENDLIST) and MPD are
     * published, then END_OF_STREAM per rendition; held requests are answered.
     *
     * @param byReplacement true when a new session of the stream replaces this one.
     */
    void endLocked(final boolean byReplacement)
    {
        if (ended)
        {
            return;
        }
        for (final RenditionWindow window : renditions.values())
        {
            window.finishInput();
        }
        ended = true;
        endedAtMs = packager.clock.millis();
        replaced = byReplacement;
        for (final RenditionWindow window : renditions.values())
        {
            if (window.init() != null)
            {
                window.render();
                packager.publish(window(window, WindowKind.HLS_MEDIA_PLAYLIST, window.playlist()));
            }
        }
        renderMpd();
        if (mpd != null)
        {
            packager.publish(streamWide(WindowKind.DASH_MPD, mpd));
        }
        for (final RenditionWindow window : renditions.values())
        {
            packager.publish(window(window, WindowKind.END_OF_STREAM,
                window.playlist() == null ? "" : window.playlist()));
            window.wakeWaiters();
        }
        if (packager.recorder != null)
        {
            packager.recorder.onEnd(this);
        }
    }

    @Override
    public void captureClock(final long decodeTimeUs, final long wallClockMs)
    {
        synchronized (lock)
        {
            if (anchorUs == Long.MIN_VALUE)
            {
                if (captureDecodeUs == Long.MIN_VALUE ||
                    wallClockMs - Math.floorDiv(decodeTimeUs - captureDecodeUs, 1000) < captureWallMs)
                {
                    captureDecodeUs = decodeTimeUs;
                    captureWallMs = wallClockMs;
                }
                return;
            }
            final long earlierWallMs = wallClockMs + Math.floorDiv(anchorUs - decodeTimeUs, 1000);
            final long latestWallMs = latestAnchorWallMs();
            if (earlierWallMs < latestWallMs && !ended)
            {
                long fromMsn = Long.MIN_VALUE;
                for (final RenditionWindow window : renditions.values())
                {
                    fromMsn = Math.max(fromMsn, window.firstUnopenedMsn());
                }
                correctedAnchors.put(fromMsn, earlierWallMs);
                packager.metrics.captureClockCorrected();
                LOG.debug("live {}: capture clock moved back by {} ms from segment {} (frames arrived sooner than the " +
                    "first ones relative to their timestamps: a publisher that started late and caught up)", streamId,
                    latestWallMs - earlierWallMs, fromMsn);
            }
        }
    }

    /**
     * The first fragment of any rendition anchors the session's timeline (the segment grid). Its wall clock is the
     * producer's capture clock when it gave one, else the time the fragment arrived. Under the lock.
     */
    void anchor(final long firstDecodeUs)
    {
        if (anchorUs == Long.MIN_VALUE)
        {
            anchorUs = firstDecodeUs;
            anchorWallMs = captureDecodeUs == Long.MIN_VALUE ? packager.clock.millis() :
                captureWallMs + Math.floorDiv(firstDecodeUs - captureDecodeUs, 1000);
        }
    }

    long anchorUs()
    {
        return anchorUs;
    }

    /**
     * @return the wall clock at the anchor as the capture clock now estimates it (the DASH availability start): the
     *         first estimate, or the latest correction. Under the lock.
     */
    long latestAnchorWallMs()
    {
        return correctedAnchors.isEmpty() ? anchorWallMs : correctedAnchors.lastEntry().getValue();
    }

    /**
     * The PROGRAM-DATE-TIME of a segment being opened. Under the lock.
     *
     * @param msn      the segment's media sequence number; segments opened after a capture clock correction use it.
     * @param decodeUs its first decode time in microseconds.
     * @return its wall-clock time: the wall clock at the first sample, advanced by media time.
     */
    long programDateTimeMs(final long msn, final long decodeUs)
    {
        final Map.Entry<Long, Long> corrected = correctedAnchors.floorEntry(msn);
        return (corrected == null ? anchorWallMs : corrected.getValue()) + Math.floorDiv(decodeUs - anchorUs, 1000);
    }

    /** A rendition's header arrived: the master playlist may change. Under the lock. */
    void onInit(final RenditionWindow window)
    {
        final String rendered = HlsPlaylistWriter.masterPlaylist(this);
        if (rendered != null && !rendered.equals(master))
        {
            master = rendered;
            packager.publish(streamWide(WindowKind.HLS_MASTER_PLAYLIST, master));
        }
        packager.publish(window(window, WindowKind.HLS_MEDIA_PLAYLIST, window.playlist()));
    }

    void publishPart(final RenditionWindow window, final LivePart part)
    {
        packager.publishPart(new LivePartEvent(streamId, window.track.rendition(), epoch, part.msn, part.index,
            part.programDateTimeMs, part.durationUs, part.independent, part.segmentEnd, false,
            ByteBuffer.wrap(part.bytes).asReadOnlyBuffer()));
    }

    /**
     * A rendition's window changed (its playlists were rendered again). Under the lock.
     *
     * @param mpdChanged true when a segment completed or a new one started: the MPD is rendered and published too.
     */
    void publishRendition(final RenditionWindow window, final boolean mpdChanged)
    {
        packager.publish(window(window, WindowKind.HLS_MEDIA_PLAYLIST, window.playlist()));
        if (window.delta() != null)
        {
            packager.publish(window(window, WindowKind.HLS_MEDIA_PLAYLIST_DELTA, window.delta()));
        }
        if (mpdChanged)
        {
            renderMpd();
            if (mpd != null)
            {
                packager.publish(streamWide(WindowKind.DASH_MPD, mpd));
            }
        }
    }

    private void renderMpd()
    {
        mpd = anchorUs == Long.MIN_VALUE ? null : LiveMpdWriter.mpd(this);
    }

    String master()
    {
        return master;
    }

    String mpd()
    {
        return mpd;
    }

    int targetDurationSeconds(final RenditionWindow window)
    {
        return HlsPlaylistWriter.targetDurationSeconds(window);
    }

    private LiveWindowEvent window(final RenditionWindow window, final WindowKind kind, final String body)
    {
        final LiveSegment first = window.segments().peekFirst();
        final LiveSegment current = window.current();
        return new LiveWindowEvent(streamId, window.track.rendition(), kind, epoch, window.firstMsn(),
            window.lastCompleteMsn(), discontinuitySequence,
            first != null ? first.programDateTimeMs : current != null ? current.programDateTimeMs : -1,
            current != null && !current.parts.isEmpty() ? current.parts.size() - 1 : -1,
            HlsPlaylistWriter.targetDurationSeconds(window) * 1000,
            (int)((HlsPlaylistWriter.partTargetUs(window) + 999) / 1000), body);
    }

    private LiveWindowEvent streamWide(final WindowKind kind, final String body)
    {
        return new LiveWindowEvent(streamId, "", kind, epoch, 0, -1, discontinuitySequence, -1, -1,
            (int)(packager.segmentTargetUs / 1000), (int)(packager.partTargetUs / 1000), body);
    }
}
