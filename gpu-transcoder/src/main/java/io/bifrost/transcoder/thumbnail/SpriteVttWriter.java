package io.bifrost.transcoder.thumbnail;

import java.util.Locale;

/**
 * Writes the WebVTT thumbnail track for a sprite sheet: one cue per tile, covering that tile's interval
 * ({@link ThumbnailPlan#cueStartSeconds}, {@link ThumbnailPlan#cueEndSeconds}: no gaps, the last one ends at the
 * title's end), whose payload is {@code sprite.jpg#xywh=x,y,w,h} (the media fragment players such as
 * hls.js, Video.js and JW Player use for seek previews). Pure function.
 */
public final class SpriteVttWriter
{
    private SpriteVttWriter()
    {
    }

    /**
     * @param plan      the sprite geometry.
     * @param spriteUri the sheet's URI relative to the VTT file, e.g. {@code sprite.jpg}.
     * @return the WebVTT text.
     */
    public static String write(final ThumbnailPlan plan, final String spriteUri)
    {
        final StringBuilder vtt = new StringBuilder(64 + plan.tileCount() * 64);
        vtt.append("WEBVTT\n");
        for (int i = 0; i < plan.tileCount(); i++)
        {
            vtt.append('\n').append(timestamp(plan.cueStartSeconds(i))).append(" --> ")
                .append(timestamp(plan.cueEndSeconds(i))).append('\n')
                .append(spriteUri).append("#xywh=").append(plan.tileX(i)).append(',').append(plan.tileY(i))
                .append(',').append(plan.tileWidth()).append(',').append(plan.tileHeight()).append('\n');
        }
        return vtt.toString();
    }

    /**
     * @param seconds a time.
     * @return it as {@code HH:MM:SS.mmm}.
     */
    static String timestamp(final double seconds)
    {
        final long millis = Math.round(seconds * 1000.0);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", millis / 3_600_000, (millis / 60_000) % 60,
            (millis / 1000) % 60, millis % 1000);
    }
}
