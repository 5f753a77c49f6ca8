package io.bifrost.transcoder.thumbnail;

import io.bifrost.transcoder.probe.FrameRate;

/**
 * Thumbnail geometry and timing for one title, derived from its duration and the {@link ThumbnailOptions}: the one
 * plan both stills paths follow, so the CPU path ({@link ThumbnailCommand}) and the JCuda path ({@link FrameStills})
 * make the same number of tiles from the same frames and serve the same {@code sprite.vtt} ({@link SpriteVttWriter}).
 * <p>
 * Tiles: {@code tileCount = max(1, ceil(durationMillis / intervalMillis))}, the duration rounded to whole milliseconds
 * first (WebVTT's resolution, so a sub-millisecond tail never becomes an empty cue). Tile {@code k} covers the cue
 * {@code [k x interval, min((k + 1) x interval, duration))}: the cues cover the whole title without gaps, the last
 * one ends at the duration. Tile {@code k} shows the last frame before {@code (k + 1) x interval}
 * ({@link #tileFrame}); where that is past the end of the video (the last, partial interval, or a video stream
 * shorter than the title) it shows the video's last frame. Every cue therefore points at a real picture; no tile a
 * cue points at is left black.
 *
 * @param durationSeconds       the title's duration.
 * @param posterAtSeconds       poster time (clamped inside the title).
 * @param spriteIntervalSeconds seconds between tiles.
 * @param tileCount             tiles on the sheet (and cues in the VTT), see above.
 * @param columns               tiles per row.
 * @param rows                  rows on the sheet.
 * @param tileWidth             tile width.
 * @param tileHeight            tile height.
 * @param previewStartSeconds   preview clip start.
 * @param previewSeconds        preview clip length (shorter for short titles).
 */
public record ThumbnailPlan(
    double durationSeconds,
    double posterAtSeconds,
    int spriteIntervalSeconds,
    int tileCount,
    int columns,
    int rows,
    int tileWidth,
    int tileHeight,
    double previewStartSeconds,
    double previewSeconds)
{
    /**
     * @param durationSeconds the title's duration (positive).
     * @param options         the options.
     * @return the plan.
     */
    public static ThumbnailPlan of(final double durationSeconds, final ThumbnailOptions options)
    {
        final double lastFrame = Math.max(0, durationSeconds - 0.1);
        final double poster = Math.min(lastFrame,
            options.posterAtSeconds() >= 0 ? options.posterAtSeconds() : durationSeconds * options.posterAtFraction());
        final int interval = Math.max(options.spriteIntervalSeconds(),
            (int)Math.ceil(durationSeconds / options.maxSpriteTiles()));
        final long durationMillis = Math.round(durationSeconds * 1000.0);
        final long intervalMillis = interval * 1000L;
        final int tiles = (int)Math.max(1, (durationMillis + intervalMillis - 1) / intervalMillis);
        final int columns = Math.min(options.spriteColumns(), tiles);
        final int rows = (tiles + columns - 1) / columns;
        final double previewLength = Math.min(options.previewSeconds(), durationSeconds);
        final double previewStart = poster + previewLength <= durationSeconds ? poster : 0;
        return new ThumbnailPlan(durationSeconds, poster, interval, tiles, columns, rows, options.tileWidth(),
            options.tileHeight(), previewStart, previewLength);
    }

    /**
     * @param tile 0..{@link #tileCount()}.
     * @return where the tile's cue starts: {@code tile x interval}.
     */
    public double cueStartSeconds(final int tile)
    {
        return (double)tile * spriteIntervalSeconds;
    }

    /**
     * @param tile 0..{@link #tileCount()}.
     * @return where the tile's cue ends: the next tile's start, the duration for the last tile.
     */
    public double cueEndSeconds(final int tile)
    {
        return tile == tileCount - 1 ? durationSeconds :
            Math.min(durationSeconds, (double)(tile + 1) * spriteIntervalSeconds);
    }

    /**
     * @param tile 0..{@link #tileCount()}.
     * @return the tile's left edge on the sheet.
     */
    public int tileX(final int tile)
    {
        return (tile % columns) * tileWidth;
    }

    /**
     * @param tile 0..{@link #tileCount()}.
     * @return the tile's top edge on the sheet.
     */
    public int tileY(final int tile)
    {
        return (tile / columns) * tileHeight;
    }

    /**
     * The frame tile {@code tile} shows, for constant-rate frames {@code i} at {@code i / rate} seconds: the last one
     * before {@code (tile + 1) x interval}, {@code ceil((tile + 1) x interval x rate) - 1} (what ffmpeg's
     * {@code fps=1/interval:round=down} emits for that interval). It may be past the video's last frame; the tile then
     * shows the last frame.
     *
     * @param tile 0..{@link #tileCount()}.
     * @param rate the frames' rate.
     * @return the frame index.
     */
    public long tileFrame(final int tile, final FrameRate rate)
    {
        final long end = (long)(tile + 1) * spriteIntervalSeconds * rate.numerator();
        return (end + rate.denominator() - 1) / rate.denominator() - 1;
    }

    /**
     * The poster's frame: the first at or after {@link #posterAtSeconds()} (ffmpeg's {@code select=gte(t,T)}). It may
     * be past the video's last frame (a video stream shorter than the title); the poster then shows the last frame.
     *
     * @param rate the frames' rate.
     * @return the frame index.
     */
    public long posterFrame(final FrameRate rate)
    {
        return (long)Math.ceil(posterAtSeconds * rate.numerator() / rate.denominator() - 1e-6);
    }

    /**
     * How long the CPU path repeats the video's last frame so that its {@code fps} filter emits a still for every
     * tile, including the last, partial interval (which it otherwise drops at the end of stream): the whole sheet's
     * span, enough even when the video stream ends before the title's duration.
     *
     * @return seconds of the last frame appended to the sprite branch.
     */
    public long spritePadSeconds()
    {
        return (long)tileCount * spriteIntervalSeconds;
    }

    /**
     * How long the CPU path repeats the video's last frame in front of its poster {@code select}, so that a video
     * stream ending before the poster time still gives a poster (its last frame, as on the JCuda path) instead of
     * none: past the poster time, whatever the video's length.
     *
     * @return seconds of the last frame appended to the poster branch.
     */
    public long posterPadSeconds()
    {
        return (long)Math.ceil(posterAtSeconds) + 1;
    }
}
