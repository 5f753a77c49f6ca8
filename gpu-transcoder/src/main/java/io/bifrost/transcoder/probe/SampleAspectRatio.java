package io.bifrost.transcoder.probe;

/**
 * The shape of a stored pixel (ffprobe's {@code sample_aspect_ratio}): 1:1 for almost everything today, other values
 * for anamorphic sources (DV, DVD, broadcast SD, some camera modes), which are displayed wider or narrower than they
 * are stored. Both terms are positive.
 *
 * @param numerator   horizontal.
 * @param denominator vertical.
 */
public record SampleAspectRatio(int numerator, int denominator)
{
    /** Square pixels. */
    public static final SampleAspectRatio SQUARE = new SampleAspectRatio(1, 1);
    /** Ratios beyond this (either way) are treated as square: no real format is that anamorphic. */
    static final double MAX_RATIO = 4.0;

    /**
     * @throws IllegalArgumentException when a term is not positive.
     */
    public SampleAspectRatio
    {
        if (numerator <= 0 || denominator <= 0)
        {
            throw new IllegalArgumentException("sample aspect ratio terms must be positive: " + numerator + ":" +
                denominator);
        }
    }

    /**
     * @param text ffprobe's {@code num:den}; {@code 0:1}, {@code N/A}, absent or absurd mean square.
     * @return the ratio.
     */
    public static SampleAspectRatio parseOrSquare(final String text)
    {
        if (text == null || text.length() > 24)
        {
            return SQUARE;
        }
        final int colon = text.indexOf(':');
        if (colon <= 0)
        {
            return SQUARE;
        }
        try
        {
            final int num = Integer.parseInt(text.substring(0, colon));
            final int den = Integer.parseInt(text.substring(colon + 1));
            if (num <= 0 || den <= 0 || num == den)
            {
                return SQUARE;
            }
            final double ratio = (double)num / den;
            return ratio > MAX_RATIO || ratio < 1.0 / MAX_RATIO ? SQUARE : new SampleAspectRatio(num, den);
        }
        catch (final NumberFormatException ex)
        {
            return SQUARE;
        }
    }

    /**
     * @param storedWidth the stored width.
     * @return the width as displayed, rounded to an even number (at least 2).
     */
    public int displayWidth(final int storedWidth)
    {
        if (numerator == denominator)
        {
            return storedWidth;
        }
        return Math.max(2, (int)Math.round((double)storedWidth * numerator / denominator / 2.0) * 2);
    }
}
