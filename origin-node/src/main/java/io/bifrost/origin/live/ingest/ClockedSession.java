package io.bifrost.origin.live.ingest;

import io.bifrost.origin.live.CmafTrackSink;
import io.bifrost.origin.live.LiveSession;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A packager session that is told its capture clock at the last moment it can still use it: just before the first
 * {@code moof} of any track reaches the packager (the first fragment anchors the session's timeline). By then the
 * {@link CaptureClock} has seen every tag the producer read while it started (ffmpeg probing its input, the
 * passthrough muxer's first part), so the estimate rests on more than the first tag.
 *
 * <p>The clock keeps learning for {@link CaptureClock#WINDOW_MS} of media: when its estimate has moved earlier by at
 * least {@link #CORRECTION_STEP_MS} since it was last given (a publisher whose first frames were all late, e.g. one that
 * started slowly and then caught up), the packager is given the new one before the next bytes pass, and moves the
 * clock back for the segments it has not opened yet. Without that, every PROGRAM-DATE-TIME of the session stayed late
 * by the publisher's start-up lag, i.e. in the future.
 *
 * <p>Each track's bytes are walked box header by box header (ISO/IEC 14496-12 4.2: 32-bit size, type, optional
 * 64-bit size) until the first {@code moof}; after that the bytes pass with one look at the clock. Thread-safe: every track has its
 * own walker; the clock is given at the first moof and then only when earlier.
 */
final class ClockedSession implements LiveSession
{
    /** Box type {@code moof} (ISO/IEC 14496-12 8.8.4). */
    static final int MOOF = 0x6D6F6F66;

    /** How much earlier the estimate must have become before the packager hears it again. */
    static final long CORRECTION_STEP_MS = 20;

    private final LiveSession session;
    private final CaptureClock clock;
    /** The estimate last given, epoch millis; {@link Long#MAX_VALUE} before the first moof. */
    private final AtomicLong givenWallMs = new AtomicLong(Long.MAX_VALUE);

    ClockedSession(final LiveSession session, final CaptureClock clock)
    {
        this.session = session;
        this.clock = clock;
    }

    @Override
    public long epoch()
    {
        return session.epoch();
    }

    @Override
    public CmafTrackSink track(final String rendition)
    {
        return new AnchoringSink(session.track(rendition));
    }

    @Override
    public void captureClock(final long decodeTimeUs, final long wallClockMs)
    {
        session.captureClock(decodeTimeUs, wallClockMs);
    }

    @Override
    public void end()
    {
        session.end();
    }

    /** Give the estimate when it is the first, or earlier than the last one given by the correction step. */
    private void giveClock()
    {
        final long wallAtZero = clock.wallAtZeroMs();
        if (wallAtZero < 0)
        {
            return;
        }
        long given = givenWallMs.get();
        while (given == Long.MAX_VALUE || wallAtZero <= given - CORRECTION_STEP_MS)
        {
            if (givenWallMs.compareAndSet(given, wallAtZero))
            {
                session.captureClock(0, wallAtZero);
                return;
            }
            given = givenWallMs.get();
        }
    }

    /** Walks box headers until the first moof, then gives the clock before passing that chunk on. */
    private final class AnchoringSink implements CmafTrackSink
    {
        private final CmafTrackSink sink;
        private final byte[] header = new byte[16];
        private int headerFilled;
        private long skip;
        private boolean walking = true;

        AnchoringSink(final CmafTrackSink sink)
        {
            this.sink = sink;
        }

        @Override
        public void accept(final ByteBuffer chunk)
        {
            if (walking)
            {
                walk(chunk);
            }
            else
            {
                giveClock();
            }
            sink.accept(chunk);
        }

        @Override
        public void end()
        {
            sink.end();
        }

        private void walk(final ByteBuffer chunk)
        {
            int at = chunk.position();
            final int end = chunk.limit();
            while (walking && at < end)
            {
                if (skip > 0)
                {
                    final int n = (int)Math.min(skip, end - at);
                    skip -= n;
                    at += n;
                    continue;
                }
                header[headerFilled++] = chunk.get(at++);
                if (8 == headerFilled)
                {
                    final long size = intAt(0) & 0xFFFF_FFFFL;
                    if (MOOF == intAt(4) || 0 == size || (1 != size && size < 8))
                    {
                        stop(); // the first fragment, a box to the end of the stream, or bytes the packager refuses
                    }
                    else if (1 != size)
                    {
                        skip = size - 8;
                        headerFilled = 0;
                    }
                }
                else if (16 == headerFilled)
                {
                    final long size = ((intAt(8) & 0xFFFF_FFFFL) << 32) | (intAt(12) & 0xFFFF_FFFFL);
                    if (size < 16)
                    {
                        stop();
                    }
                    skip = size - 16;
                    headerFilled = 0;
                }
            }
        }

        private void stop()
        {
            walking = false;
            giveClock();
        }

        private int intAt(final int at)
        {
            return ((header[at] & 0xFF) << 24) | ((header[at + 1] & 0xFF) << 16) | ((header[at + 2] & 0xFF) << 8) |
                (header[at + 3] & 0xFF);
        }
    }
}
