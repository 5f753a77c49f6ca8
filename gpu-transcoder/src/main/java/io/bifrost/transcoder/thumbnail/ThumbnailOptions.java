package io.bifrost.transcoder.thumbnail;

/**
 * What thumbnails a title gets. Immutable.
 *
 * @param posterAtFraction      where the poster is taken, as a fraction of the duration (the seed's
 *                              {@code thumbnail_timestamp}; default 0.1), used when {@code posterAtSeconds < 0}.
 * @param posterAtSeconds       an explicit poster time in seconds, or -1 to use the fraction.
 * @param spriteIntervalSeconds one sprite tile every this many seconds (grown when the sheet would be too large).
 * @param spriteColumns         tiles per sprite row.
 * @param maxSpriteTiles        tiles per sheet at most (one sheet per title).
 * @param tileWidth             tile width in pixels (frames are letterboxed into the tile).
 * @param tileHeight            tile height in pixels.
 * @param previewSeconds        length of the muted low-resolution preview clip.
 */
public record ThumbnailOptions(
    double posterAtFraction,
    double posterAtSeconds,
    int spriteIntervalSeconds,
    int spriteColumns,
    int maxSpriteTiles,
    int tileWidth,
    int tileHeight,
    double previewSeconds)
{
    /** Poster at 10 %, a 160x90 tile every 2 s (at most 100, 10 per row), a 3 s preview. */
    public static final ThumbnailOptions DEFAULTS = new ThumbnailOptions(0.1, -1, 2, 10, 100, 160, 90, 3.0);

    /**
     * @throws IllegalArgumentException naming the bad setting.
     */
    public ThumbnailOptions
    {
        if (!(posterAtFraction >= 0 && posterAtFraction < 1))
        {
            throw new IllegalArgumentException("thumbnail poster fraction must be in [0, 1), got " + posterAtFraction);
        }
        if (spriteIntervalSeconds < 1 || spriteColumns < 1 || maxSpriteTiles < 1 || tileWidth < 16 ||
            tileHeight < 16 || tileWidth % 2 != 0 || tileHeight % 2 != 0 || !(previewSeconds > 0))
        {
            throw new IllegalArgumentException("thumbnail sprite and preview settings must be positive " +
                "(tiles even and at least 16 px)");
        }
    }

    /**
     * @param seconds explicit poster time.
     * @return a copy.
     */
    public ThumbnailOptions withPosterAtSeconds(final double seconds)
    {
        return new ThumbnailOptions(posterAtFraction, seconds, spriteIntervalSeconds, spriteColumns, maxSpriteTiles,
            tileWidth, tileHeight, previewSeconds);
    }
}
