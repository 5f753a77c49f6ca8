package io.bifrost.transcoder.scale;

/**
 * Where one output of a canvas {@link ScaleJobTable} is drawn: a rectangle of a larger image (a tile of the sprite
 * sheet, a poster), in luma pixels from the canvas's top-left corner.
 *
 * @param x    left edge, even (4:2:0 chroma lands on whole samples).
 * @param y    top edge, even.
 * @param size the scaled frame's size (even sides, as every output).
 */
public record Placement(int x, int y, FrameSize size)
{
    /**
     * @throws IllegalArgumentException for a negative or odd corner.
     */
    public Placement
    {
        if (x < 0 || y < 0 || (x & 1) != 0 || (y & 1) != 0)
        {
            throw new IllegalArgumentException("a placement's corner must be even and not negative, got " + x + "," +
                y);
        }
    }

    boolean overlaps(final Placement other)
    {
        return x < other.x + other.size.width() && other.x < x + size.width() &&
            y < other.y + other.size.height() && other.y < y + size.height();
    }
}
