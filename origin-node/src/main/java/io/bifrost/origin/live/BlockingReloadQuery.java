package io.bifrost.origin.live;

import io.bifrost.protocol.naming.ContentKey;

/**
 * The LL-HLS delivery directives of a media playlist request (RFC 8216bis 6.2.5): {@code _HLS_msn}, {@code _HLS_part}
 * and {@code _HLS_skip}, read from the raw query string without decoding (the values are digits, {@code YES} or
 * {@code v2}; anything percent-encoded is not one of them). Other parameters are ignored; the first occurrence of a
 * directive counts. Allocation-light and total: every input gives a query or a refusal, never an exception.
 *
 * @param msn   _HLS_msn, or -1 when absent.
 * @param part  _HLS_part, or -1 when absent.
 * @param skip  true for {@code _HLS_skip=YES} or {@code _HLS_skip=v2}.
 * @param error why the directives are refused (a 400), or null when they are usable.
 */
record BlockingReloadQuery(long msn, int part, boolean skip, String error)
{
    /** Longest number accepted: 18 digits never overflow a long. */
    static final int MAX_DIGITS = 18;

    private static final BlockingReloadQuery NONE = new BlockingReloadQuery(-1, -1, false, null);

    /**
     * @param uri the request URI (path and query).
     * @return the directives.
     */
    static BlockingReloadQuery parse(final String uri)
    {
        final int queryStart = uri.indexOf('?');
        if (queryStart < 0)
        {
            return NONE;
        }
        long msn = -1;
        long part = -1;
        boolean skip = false;
        boolean seenMsn = false;
        boolean seenPart = false;
        boolean seenSkip = false;
        int start = queryStart + 1;
        final int end = uri.indexOf('#') < 0 ? uri.length() : uri.indexOf('#');
        while (start <= end)
        {
            int amp = uri.indexOf('&', start);
            if (amp < 0 || amp > end)
            {
                amp = end;
            }
            final int eq = uri.indexOf('=', start);
            final boolean hasValue = eq >= 0 && eq < amp;
            final String name = uri.substring(start, hasValue ? eq : amp);
            final String value = hasValue ? uri.substring(eq + 1, amp) : "";
            switch (name)
            {
                case "_HLS_msn" ->
                {
                    if (!seenMsn)
                    {
                        seenMsn = true;
                        msn = number(value);
                        if (msn < 0)
                        {
                            return refused("_HLS_msn must be a decimal number of at most " + MAX_DIGITS + " digits");
                        }
                    }
                }
                case "_HLS_part" ->
                {
                    if (!seenPart)
                    {
                        seenPart = true;
                        part = number(value);
                        if (part < 0 || part > ContentKey.MAX_PART)
                        {
                            return refused("_HLS_part must be a decimal number from 0 to " + ContentKey.MAX_PART);
                        }
                    }
                }
                case "_HLS_skip" ->
                {
                    if (!seenSkip)
                    {
                        seenSkip = true;
                        skip = "YES".equals(value) || "v2".equals(value);
                    }
                }
                default ->
                {
                }
            }
            start = amp + 1;
        }
        if (seenPart && !seenMsn)
        {
            return refused("_HLS_part needs _HLS_msn");
        }
        return new BlockingReloadQuery(msn, (int)part, skip, null);
    }

    /**
     * @return true when the request asks to be held until msn (and part) exist.
     */
    boolean blocking()
    {
        return msn >= 0;
    }

    private static BlockingReloadQuery refused(final String error)
    {
        return new BlockingReloadQuery(-1, -1, false, error);
    }

    /** @return the value, or -1 when not 1..18 decimal digits. */
    private static long number(final String text)
    {
        if (text.isEmpty() || text.length() > MAX_DIGITS)
        {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
