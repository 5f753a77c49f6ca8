package io.bifrost.edge.fill;

/**
 * The loop guard of tiered fills: how many Bifrost edges a request has already passed through.
 *
 * <p>A regional shield is an edge in other edges' origin lists, so a mistaken origin list (edge A fills from B, B from
 * A) would send a miss round in a circle, and with request coalescing the second visit would wait on the first: a
 * deadlock until the response timeout. Every fill an edge sends therefore carries {@value #HEADER}: the hops of the
 * request that started the fill plus one (a viewer's request has none: 0). An edge that misses on a request which
 * has already passed {@code maxHops} edges does not fill: it answers 508 Loop Detected at once
 * ({@link FillFailure.Reason#LOOP_DETECTED}), so the edge that asked moves on to the next origin in its list (508 is a
 * 5xx: the existing failover). Hits are served whatever the hop count: only forwarding is refused.
 *
 * <p>With the default of {@value #DEFAULT_MAX_HOPS}, one tier of shields works (viewer -> edge (0) -> shield (1) ->
 * origin), and a circle between two edges is cut on its second visit (A (0) -> B (1) -> A (2): 508, B fails over).
 * Deeper hierarchies (edge -> regional shield -> global shield) need {@code maxHops} 3.
 */
public final class FillHops
{
    /** The request header carrying the hop count, sent on every fill. */
    public static final String HEADER = "X-Bifrost-Hop";

    /** Edges a request may have passed through before an edge refuses to forward its miss. */
    public static final int DEFAULT_MAX_HOPS = 2;

    /** Largest hop count a header may carry; larger, like anything malformed, is {@link #MALFORMED}. */
    public static final int MAX_VALUE = 64;

    /** What {@link #parse} returns for a value that is not a small decimal count. */
    public static final int MALFORMED = -1;

    private FillHops()
    {
    }

    /**
     * Parse a hop header from the wire (untrusted): 1-2 ASCII digits, optionally surrounded by spaces or tabs, at most
     * {@value #MAX_VALUE}.
     *
     * @param value the header's value, or null when the request has none.
     * @return the hop count (0 without the header), or {@link #MALFORMED}.
     */
    public static int parse(final CharSequence value)
    {
        if (value == null)
        {
            return 0;
        }
        int start = 0;
        int end = value.length();
        while (start < end && isSpace(value.charAt(start)))
        {
            start++;
        }
        while (end > start && isSpace(value.charAt(end - 1)))
        {
            end--;
        }
        if (end == start || end - start > 2)
        {
            return MALFORMED;
        }
        int hops = 0;
        for (int i = start; i < end; i++)
        {
            final char c = value.charAt(i);
            if (c < '0' || c > '9')
            {
                return MALFORMED;
            }
            hops = hops * 10 + (c - '0');
        }
        return hops > MAX_VALUE ? MALFORMED : hops;
    }

    /**
     * @param hops the hops of the request that starts a fill.
     * @return the value the fill's request carries.
     */
    static int next(final int hops)
    {
        return Math.min(MAX_VALUE, Math.max(0, hops) + 1);
    }

    private static boolean isSpace(final char c)
    {
        return c == ' ' || c == '\t';
    }
}
