package io.bifrost.ingest.rtmp.flv;

/**
 * Extends 32-bit RTMP timestamps (milliseconds, wrapping after about 49.7 days) to a 64-bit timeline.
 * A step back of more than half the 32-bit range is taken as a wrap forward; a step forward of more than half the
 * range right after a wrap is a late message from before it. Small steps back (audio and video interleave) are kept
 * as they are. Not thread-safe: one per published stream.
 */
public final class TimestampExtender
{
    private static final long RANGE = 1L << 32;
    private static final long HALF_RANGE = 1L << 31;

    private long epoch;
    private long last32 = -1;

    /**
     * @param timestamp32 the message timestamp, unsigned 32-bit.
     * @return the timestamp on the 64-bit timeline.
     */
    public long extend(final long timestamp32)
    {
        final long ts = timestamp32 & 0xFFFF_FFFFL;
        if (last32 < 0)
        {
            last32 = ts;
            return ts;
        }
        if (ts < last32 && last32 - ts > HALF_RANGE)
        {
            epoch++;
            last32 = ts;
            return epoch * RANGE + ts;
        }
        if (ts > last32 && ts - last32 > HALF_RANGE && epoch > 0)
        {
            return (epoch - 1) * RANGE + ts;
        }
        if (ts > last32)
        {
            last32 = ts;
        }
        return epoch * RANGE + ts;
    }
}
