package io.bifrost.transcoder.scale;

/**
 * How an 8-bit 4:2:0 frame is laid out in a tightly packed buffer (no row padding): the luma plane of
 * {@code width x height} bytes, then chroma at {@code ceil(width / 2) x ceil(height / 2)} samples per component.
 */
public enum PixelLayout
{
    /** Planar Y, U, V ({@code yuv420p}, what ffmpeg's software decoders and {@code -pix_fmt yuv420p} give). */
    I420,
    /** Y, then one interleaved UV plane ({@code nv12}, what NVDEC and NVENC use). */
    NV12;

    /**
     * @param width  luma width in pixels.
     * @param height luma height in pixels.
     * @return bytes of one frame.
     */
    public long frameBytes(final int width, final int height)
    {
        return (long)width * height + 2L * chromaWidth(width) * chromaHeight(height);
    }

    /**
     * @param width luma width.
     * @return chroma samples per row of one component.
     */
    public static int chromaWidth(final int width)
    {
        return (width + 1) / 2;
    }

    /**
     * @param height luma height.
     * @return chroma rows.
     */
    public static int chromaHeight(final int height)
    {
        return (height + 1) / 2;
    }

    /**
     * @param width     luma width.
     * @param height    luma height.
     * @param component 0 = Y, 1 = U, 2 = V.
     * @return byte offset of the component's first sample within the frame.
     */
    public long componentOffset(final int width, final int height, final int component)
    {
        final long luma = (long)width * height;
        final long chroma = (long)chromaWidth(width) * chromaHeight(height);
        return switch (component)
        {
            case 0 -> 0;
            case 1 -> luma;
            case 2 -> this == I420 ? luma + chroma : luma + 1;
            default -> throw new IllegalArgumentException("component must be 0, 1 or 2: " + component);
        };
    }

    /**
     * @param width     luma width.
     * @param component 0 = Y, 1 = U, 2 = V.
     * @return bytes from one row of the component to the next.
     */
    public int componentPitch(final int width, final int component)
    {
        if (component == 0)
        {
            return width;
        }
        return this == I420 ? chromaWidth(width) : 2 * chromaWidth(width);
    }

    /**
     * @param component 0 = Y, 1 = U, 2 = V.
     * @return bytes from one sample of the component to the next in a row.
     */
    public int componentStep(final int component)
    {
        return component == 0 || this == I420 ? 1 : 2;
    }
}
