package io.bifrost.transcoder.scale;

/**
 * A frame's luma size in pixels.
 *
 * @param width  pixels, 2..{@link #MAX_SIDE}.
 * @param height pixels, 2..{@link #MAX_SIDE}.
 */
public record FrameSize(int width, int height)
{
    /** Largest side accepted: the source limit ({@code SourceLimits}), which keeps the kernel's int math exact. */
    public static final int MAX_SIDE = 8192;

    /**
     * @param width  pixels.
     * @param height pixels.
     */
    public FrameSize
    {
        if (width < 2 || height < 2 || width > MAX_SIDE || height > MAX_SIDE)
        {
            throw new IllegalArgumentException("frame size must be 2.." + MAX_SIDE + " per side, got " + width + "x" +
                height);
        }
    }

    @Override
    public String toString()
    {
        return width + "x" + height;
    }
}
