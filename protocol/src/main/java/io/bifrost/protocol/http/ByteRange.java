package io.bifrost.protocol.http;

/**
 * A single byte range from a {@code Range} header (RFC 9110 section 14), resolved against a representation length;
 * shared by the edge and the origin, which answer ranges the same way.
 *
 * <p>Only single ranges are served: multiple ranges, other units and syntactically invalid values are ignored (the
 * full representation is sent), as RFC 9110 allows. Numbers are bounded, so absurd values cannot overflow.
 *
 * @param first first byte offset, inclusive.
 * @param last  last byte offset, inclusive.
 */
public record ByteRange(long first, long last)
{
    /** Marker for "no usable Range header": serve the whole representation. */
    public static final ByteRange WHOLE = new ByteRange(-1, -1);
    /** Marker for a valid range that lies beyond the representation: answer 416. */
    public static final ByteRange UNSATISFIABLE = new ByteRange(-2, -2);

    private static final int MAX_DIGITS = 18;

    /**
     * @param header the Range header value, or null.
     * @param length the representation length in bytes.
     * @return the resolved range, {@link #WHOLE} or {@link #UNSATISFIABLE}.
     */
    public static ByteRange resolve(final String header, final long length)
    {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0)
        {
            return WHOLE;
        }
        final String spec = header.substring(6).strip();
        final int dash = spec.indexOf('-');
        if (dash < 0)
        {
            return WHOLE;
        }
        final long start = parse(spec, 0, dash);
        final long end = parse(spec, dash + 1, spec.length());
        if (start == -1 && end >= 0)
        {
            if (end == 0)
            {
                return UNSATISFIABLE;
            }
            final long suffix = Math.min(end, length);
            return length == 0 ? UNSATISFIABLE : new ByteRange(length - suffix, length - 1);
        }
        if (start < 0 || end == -2 || (end >= 0 && end < start))
        {
            return WHOLE;
        }
        if (start >= length)
        {
            return UNSATISFIABLE;
        }
        return new ByteRange(start, end < 0 ? length - 1 : Math.min(end, length - 1));
    }

    /**
     * @return bytes in the range.
     */
    public long length()
    {
        return last - first + 1;
    }

    /** @return -1 when empty, -2 when not a bounded decimal, the value otherwise. */
    private static long parse(final String text, final int from, final int to)
    {
        if (from == to)
        {
            return -1;
        }
        if (to - from > MAX_DIGITS)
        {
            return -2;
        }
        long value = 0;
        for (int i = from; i < to; i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -2;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
