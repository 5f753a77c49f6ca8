package io.bifrost.transcoder.thumbnail;

/**
 * Thumbnail geometry for one title, derived from its duration and the {@link ThumbnailOptions}.
 *
 * @param durationSeconds       the title's duration.
 * @param posterAtSeconds       poster time (clamped inside the title).
 * @param spriteIntervalSeconds seconds between tiles.
 * @param tileCount             tiles on the sheet: ceil(duration / interval).
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
        final int tiles = Math.max(1, (int)Math.ceil(durationSeconds / interval - 1e-9));
        final int columns = Math.min(options.spriteColumns(), tiles);
        final int rows = (tiles + columns - 1) / columns;
        final double previewLength = Math.min(options.previewSeconds(), durationSeconds);
        final double previewStart = poster + previewLength <= durationSeconds ? poster : 0;
        return new ThumbnailPlan(durationSeconds, poster, interval, tiles, columns, rows, options.tileWidth(),
            options.tileHeight(), previewStart, previewLength);
    }
}
