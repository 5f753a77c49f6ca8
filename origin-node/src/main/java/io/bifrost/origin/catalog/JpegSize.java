package io.bifrost.origin.catalog;

/**
 * Reads the pixel size of a JPEG (poster, sprite sheet) from its start-of-frame segment (ITU T.81 annex B: markers
 * {@code FFC0}..{@code FFCF} except {@code C4}, {@code C8}, {@code CC} carry precision, height, width), walking the
 * marker segments by their lengths. Bounded by the input; any malformed input gives null, never an exception.
 * Stateless.
 */
public final class JpegSize
{
    /** Start of image (T.81 B.1.1.3). */
    private static final int SOI = 0xD8;
    /** Start of scan: no frame header after it. */
    private static final int SOS = 0xDA;

    /**
     * A JPEG's size in pixels.
     *
     * @param width  pixels, &gt; 0.
     * @param height pixels, &gt; 0.
     */
    public record Size(int width, int height)
    {
    }

    private JpegSize()
    {
    }

    /**
     * @param jpeg the file's bytes.
     * @return its size, or null when the bytes are not a JPEG with a frame header.
     */
    public static Size read(final byte[] jpeg)
    {
        if (jpeg.length < 4 || u8(jpeg, 0) != 0xFF || u8(jpeg, 1) != SOI)
        {
            return null;
        }
        int at = 2;
        while (at + 1 < jpeg.length)
        {
            if (u8(jpeg, at) != 0xFF)
            {
                return null;
            }
            final int marker = u8(jpeg, at + 1);
            at += 2;
            if (marker == 0xFF)
            {
                at--;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            {
                continue;
            }
            if (marker == SOS || marker == 0xD9 || at + 1 >= jpeg.length)
            {
                return null;
            }
            final int length = (u8(jpeg, at) << 8) | u8(jpeg, at + 1);
            if (length < 2)
            {
                return null;
            }
            final boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                marker != 0xCC;
            if (frame)
            {
                if (length < 7 || at + 6 >= jpeg.length)
                {
                    return null;
                }
                final int height = (u8(jpeg, at + 3) << 8) | u8(jpeg, at + 4);
                final int width = (u8(jpeg, at + 5) << 8) | u8(jpeg, at + 6);
                return width > 0 && height > 0 ? new Size(width, height) : null;
            }
            at += length;
        }
        return null;
    }

    private static int u8(final byte[] bytes, final int index)
    {
        return bytes[index] & 0xFF;
    }
}
