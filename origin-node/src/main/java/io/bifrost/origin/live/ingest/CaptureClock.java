package io.bifrost.origin.live.ingest;

import io.bifrost.ingest.rtmp.flv.VideoPacketKind;
import io.bifrost.ingest.rtmp.flv.AudioPacketKind;
import io.bifrost.ingest.rtmp.flv.FlvTag;

/**
 * Estimates the wall clock at a producer's media time zero (the first audio or video sample it was given: the
 * passthrough muxer and ffmpeg both start their output timeline there, sequence headers carry no time) from the
 * arrival times of the coded frames of the first {@link #WINDOW_MS} of media: the minimum over those frames of
 * {@code receivedAtMs - (timestampMs - zeroTimestampMs)}.
 *
 * <p>Why the minimum: a frame can only arrive late, never early (encoder buffering, a TCP retransmit, the relay's
 * reconnect burst all add delay), so the frame that arrived earliest relative to its timestamp is the best estimate of
 * the capture clock. Anchoring on the first tag alone carried that tag's delay (the encoder's start-up, often about
 * 100 ms) into every EXT-X-PROGRAM-DATE-TIME, so latency measured against PDT read low. Sequence headers and script
 * data are not samples and are left out. A publisher that sends faster than real time (a file without {@code -re})
 * makes the estimate early by up to the window; such a stream is not live anyway. The estimate keeps improving over
 * the window after the packager first hears it ({@link ClockedSession} gives it again when it moves earlier), so a
 * publisher that started late and then caught up is corrected within the window.
 *
 * <p>Threading: {@link #observe} from the stream's writer thread; {@link #wallAtZeroMs()} from any thread (the
 * producer's output threads, before the first fragment and then with every chunk).
 */
final class CaptureClock
{
    /** Media time over which the minimum is taken. */
    static final long WINDOW_MS = 5_000;

    private long zeroTimestampMs = Long.MIN_VALUE;
    private volatile long wallAtZeroMs = Long.MAX_VALUE;

    /**
     * @param tag a tag given to the producer, in order.
     */
    void observe(final CopiedTag tag)
    {
        final FlvTag flv = tag.tag();
        if (!flv.isVideo() && !flv.isAudio() || !isSample(flv))
        {
            return;
        }
        if (Long.MIN_VALUE == zeroTimestampMs)
        {
            zeroTimestampMs = flv.timestampMs();
        }
        final long mediaMs = flv.timestampMs() - zeroTimestampMs;
        if (mediaMs < 0 || mediaMs > WINDOW_MS)
        {
            return;
        }
        final long candidate = tag.receivedAtMs() - mediaMs;
        if (candidate < wallAtZeroMs)
        {
            wallAtZeroMs = candidate;
        }
    }

    /**
     * @return the estimated wall clock at media time zero, epoch millis, or -1 before the first frame.
     */
    long wallAtZeroMs()
    {
        final long wall = wallAtZeroMs;
        return Long.MAX_VALUE == wall ? -1 : wall;
    }

    private static boolean isSample(final FlvTag tag)
    {
        return tag.isVideo() ? VideoPacketKind.CODED_FRAME == tag.videoPacket() :
            AudioPacketKind.SEQUENCE_HEADER != tag.audioPacket();
    }
}
