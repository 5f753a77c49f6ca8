package io.bifrost.origin.live.ingest;

import java.util.Locale;

/**
 * How a published stream becomes live renditions.
 */
public enum LiveMode
{
    /** One ffmpeg per stream decodes once and encodes the ladder (libx264) plus AAC audio. */
    TRANSCODE,
    /** No ffmpeg: the publisher's H.264/AAC is remuxed to CMAF in Java (one "source" rung); the lowest latency. */
    PASSTHROUGH;

    /**
     * @param text {@code transcode} or {@code passthrough}, any case.
     * @return the mode.
     * @throws IllegalArgumentException for anything else.
     */
    public static LiveMode parse(final String text)
    {
        try
        {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("live mode must be transcode or passthrough, got '" + text + "'", ex);
        }
    }
}
