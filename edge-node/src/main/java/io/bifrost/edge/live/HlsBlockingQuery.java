package io.bifrost.edge.live;

import io.bifrost.protocol.naming.ContentKey;

/**
 * The LL-HLS delivery directives of a media playlist request (RFC 8216bis section 6.2.5): {@code _HLS_msn},
 * {@code _HLS_part} and {@code _HLS_skip}. Other query parameters (signed-URL tokens) are ignored.
 *
 * @param msn   the media sequence number to wait for, -1 for a plain (non-blocking) request.
 * @param part  the part of {@code msn} to wait for, -1 for the whole segment.
 * @param skip  true for {@code _HLS_skip=YES} or {@code v2}: a delta update is wanted.
 * @param error why the directives are invalid (answered 400), null when they are valid.
 */
public record HlsBlockingQuery(long msn, int part, boolean skip, String error)
{
    /** A request with no directives. */
    public static final HlsBlockingQuery PLAIN = new HlsBlockingQuery(-1, -1, false, null);

    private static final int MAX_QUERY_LENGTH = 2048;

    /**
     * @return true when the request blocks until the playlist reaches {@link #msn()} (and {@link #part()}).
     */
    public boolean blocking()
    {
        return msn >= 0;
    }

    /**
     * Parse a raw query string; never throws.
     *
     * @param query the text after {@code ?}, or null.
     * @return the directives, or one with {@link #error()} set.
     */
    public static HlsBlockingQuery parse(final String query)
    {
        if (query == null || query.isEmpty())
        {
            return PLAIN;
        }
        if (query.length() > MAX_QUERY_LENGTH)
        {
            return invalid("query longer than " + MAX_QUERY_LENGTH + " characters");
        }
        long msn = -1;
        int part = -1;
        boolean skip = false;
        boolean sawMsn = false;
        boolean sawPart = false;
        boolean sawSkip = false;
        int start = 0;
        while (start <= query.length())
        {
            int end = query.indexOf('&', start);
            if (end < 0)
            {
                end = query.length();
            }
            final int equals = query.indexOf('=', start);
            final int nameEnd = equals < 0 || equals > end ? end : equals;
            final String name = query.substring(start, nameEnd);
            final String value = nameEnd == end ? null : query.substring(nameEnd + 1, end);
            switch (name)
            {
                case "_HLS_msn" ->
                {
                    if (sawMsn)
                    {
                        return invalid("_HLS_msn given twice");
                    }
                    sawMsn = true;
                    msn = decimal(value, Long.MAX_VALUE - 1);
                    if (msn < 0)
                    {
                        return invalid("_HLS_msn must be a non-negative decimal integer");
                    }
                }
                case "_HLS_part" ->
                {
                    if (sawPart)
                    {
                        return invalid("_HLS_part given twice");
                    }
                    sawPart = true;
                    part = (int)decimal(value, ContentKey.MAX_PART);
                    if (part < 0)
                    {
                        return invalid("_HLS_part must be a decimal integer from 0 to " + ContentKey.MAX_PART);
                    }
                }
                case "_HLS_skip" ->
                {
                    if (sawSkip)
                    {
                        return invalid("_HLS_skip given twice");
                    }
                    sawSkip = true;
                    if (!"YES".equals(value) && !"v2".equals(value))
                    {
                        return invalid("_HLS_skip must be YES or v2");
                    }
                    skip = true;
                }
                default ->
                {
                }
            }
            start = end + 1;
        }
        if (sawPart && !sawMsn)
        {
            return invalid("_HLS_part needs _HLS_msn");
        }
        return msn < 0 && !skip ? PLAIN : new HlsBlockingQuery(msn, part, skip, null);
    }

    private static HlsBlockingQuery invalid(final String error)
    {
        return new HlsBlockingQuery(-1, -1, false, error);
    }

    private static long decimal(final String value, final long max)
    {
        if (value == null || value.isEmpty() || value.length() > 19 || (value.length() > 1 && value.charAt(0) == '0'))
        {
            return -1;
        }
        long result = 0;
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            final int digit = c - '0';
            if (result > (max - digit) / 10)
            {
                return -1;
            }
            result = result * 10 + digit;
        }
        return result;
    }
}
