package io.bifrost.edge.http;

/**
 * {@code If-None-Match} evaluation (RFC 9110 section 13.1.2): weak comparison, a list of tags or {@code *}.
 */
final class EntityTags
{
    private EntityTags()
    {
    }

    /**
     * @param ifNoneMatch the request header value.
     * @param etag        the representation's ETag.
     * @return true when the condition is false, i.e. the viewer's copy is current (answer 304).
     */
    static boolean matches(final String ifNoneMatch, final String etag)
    {
        final String wanted = opaque(etag);
        int start = 0;
        while (start < ifNoneMatch.length())
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
