package io.bifrost.transcoder.packaging;

import java.util.List;

/**
 * Measured bitrates of a rendition, as HLS defines them (RFC 8216 section 4.3.4.2): the peak is the largest
 * segment bitrate (bytes x 8 / duration), the average is total bits over total duration.
 *
 * @param peakBps    peak segment bitrate in bits per second.
 * @param averageBps average bitrate in bits per second.
 */
public record Bandwidth(long peakBps, long averageBps)
{
    /**
     * @param segments segments with sizes measured.
     * @return the bitrates.
     * @throws IllegalArgumentException when a size is unknown.
     */
    public static Bandwidth of(final List<MediaSegment> segments)
    {
        double peak = 0;
        double bits = 0;
        double seconds = 0;
        for (final MediaSegment segment : segments)
        {
            if (segment.sizeBytes() < 0)
            {
                throw new IllegalArgumentException("segment " + segment.uri() + " has no measured size");
            }
            final double segmentBits = segment.sizeBytes() * 8.0;
            peak = Math.max(peak, segmentBits / segment.durationSeconds());
            bits += segmentBits;
            seconds += segment.durationSeconds();
        }
        return new Bandwidth((long)Math.ceil(peak), seconds > 0 ? (long)Math.ceil(bits / seconds) : 0);
    }

    /**
     * @param other another rendition played at the same time (audio with video).
     * @return the sum.
     */
    public Bandwidth plus(final Bandwidth other)
    {
        return new Bandwidth(peakBps + other.peakBps, averageBps + other.averageBps);
    }
}
