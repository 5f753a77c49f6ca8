package io.bifrost.transcoder.probe;

/**
 * A frame rate as the rational ffmpeg reports ({@code 30000/1001}), kept exact so GOP sizes and the
 * {@code FRAME-RATE} attribute are computed from the same value. Both terms are positive.
 *
 * @param numerator   frames.
 * @param denominator seconds.
 */
public record FrameRate(long numerator, long denominator)
{
    /**
     * @throws IllegalArgumentException when a term is not positive.
     */
    public FrameRate
    {
        if (numerator <= 0 || denominator <= 0)
        {
            throw new IllegalArgumentException("frame rate terms must be positive: " + numerator + "/" + denominator);
        }
        final long gcd = gcd(numerator, denominator);
        numerator /= gcd;
        denominator /= gcd;
    }

    /**
     * @param framesPerSecond a whole number of frames per second.
     * @return the rate.
     */
    public static FrameRate of(final long framesPerSecond)
    {
        return new FrameRate(framesPerSecond, 1);
    }

    /**
     * Parse ffprobe's {@code num/den} form (or a plain integer).
     *
     * @param text the text, e.g. {@code 25/1}.
     * @return the rate, or {@code null} when the text is absent, malformed, or {@code 0/0} (ffprobe's "unknown").
     */
    public static FrameRate parseOrNull(final String text)
    {
        if (text == null || text.isEmpty() || text.length() > 40)
        {
            return null;
        }
        final int slash = text.indexOf('/');
        try
        {
            final long num = Long.parseLong(slash < 0 ? text : text.substring(0, slash));
            final long den = slash < 0 ? 1 : Long.parseLong(text.substring(slash + 1));
            if (num <= 0 || den <= 0)
            {
                return null;
            }
            return new FrameRate(num, den);
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }

    /**
     * @return frames per second as a double.
     */
    public double toDouble()
    {
        return (double)numerator / denominator;
    }

    /**
     * @param max the cap.
     * @return this rate, or {@code max} when this is faster.
     */
    public FrameRate cappedAt(final FrameRate max)
    {
        return toDouble() > max.toDouble() ? max : this;
    }

    /**
     * @return the rate the way ffmpeg options take it, e.g. {@code 30000/1001} or {@code 25}.
     */
    public String toFfmpeg()
    {
        return denominator == 1 ? Long.toString(numerator) : numerator + "/" + denominator;
    }

    private static long gcd(final long a, final long b)
    {
        long x = a;
        long y = b;
        while (y != 0)
        {
            final long t = x % y;
            x = y;
            y = t;
        }
        return x;
    }
}
