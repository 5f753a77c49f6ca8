package io.bifrost.origin.http;

/**
 * Conditional request evaluation (RFC 9110 section 13): {@code If-None-Match} with weak comparison, a list of tags or
 * {@code *}. Stateless.
 */
final class HttpValidators
{
    private static final int MAX_TAGS = 64;

    private HttpValidators()
    {
    }

    /**
     * @param ifNoneMatch the request header value.
     * @param etag        the representation's ETag.
     * @return true when the client's copy is current (answer 304).
     */
    static boolean noneMatchFails(final String ifNoneMatch, final String etag)
    {
        final String wanted = opaque(etag);
        int start = 0;
        int tags = 0;
        while (start < ifNoneMatch.length() && tags++ < MAX_TAGS)
        {
            int end = ifNoneMatch.indexOf(',', start);
            if (end < 0)
            {
                end = ifNoneMatch.length();
            }
            final String candidate = ifNoneMatch.substring(start, end).strip();
            if ("*".equals(candidate) || opaque(candidate).equals(wanted))
            {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static String opaque(final String tag)
    {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
