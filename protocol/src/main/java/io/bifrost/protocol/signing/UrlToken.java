package io.bifrost.protocol.signing;

/**
 * The signed URL token format, version 1. A token is six fields joined by {@code .}:
 * <pre>
 * v1.{keyId}.{expiry}.{prefix}.{clientIp}.{mac}
 *
 * keyId     1..16 characters of [A-Za-z0-9_-], the {@link SigningKey} that signed the token
 * expiry    Unix time in whole seconds, decimal, no sign or leading zeros; the token is valid strictly before it
 * prefix    base64url (RFC 4648 section 5, no padding) of the ASCII path prefix the token covers, e.g. "/vod/abc/"
 * clientIp  base64url of the 4 (IPv4) or 16 (IPv6) address bytes the token is bound to, or empty for any client
 * mac       base64url of HMAC-SHA256(secret, ASCII bytes of everything before the last '.'), 43 characters
 * </pre>
 * Every character is in {@code [A-Za-z0-9_.-]}, RFC 3986 "unreserved", so the token needs no escaping as a query
 * parameter value ({@code ?token=...}) or as a path segment, and never forms a {@code .} or {@code ..} segment.
 * The MAC covers the exact text of every other field, version included, so changing any character invalidates the
 * token; base64url fields must also be canonical (zero unused bits), so no field has two accepted spellings.
 * <p>
 * <b>Prefix semantics.</b> A token covers a request path when the path equals the prefix, or the prefix ends with
 * {@code /} and the path starts with it: {@code /vod/abc/} covers {@code /vod/abc/720p/3.m4s}, while {@code /vod/abc}
 * covers only {@code /vod/abc} itself and never {@code /vod/abcdef/...}. Prefix and path must both be normalised:
 * absolute, printable ASCII, no {@code ?}, {@code #}, {@code %} or backslash, no empty, {@code .} or {@code ..}
 * segment, so nothing can escape the prefix once a later layer decodes or normalises the path.
 */
public final class UrlToken
{
    /**
     * The version field of tokens this code signs and verifies.
     */
    public static final String VERSION = "v1";

    /**
     * Name of the query parameter that carries a token.
     */
    public static final String QUERY_PARAMETER = "token";

    /**
     * What a request path starts with when it carries its token as a leading path segment (the path form):
     * {@code /t/{token}/vod/{id}/master.m3u8}. Players resolve the relative URLs inside playlists and manifests against
     * the playlist's own URL, so every rendition playlist, init segment, segment and part they fetch keeps the
     * {@code /t/{token}} prefix, while a {@code ?token=} query is dropped. An edge strips the prefix and checks the
     * token against the rest of the path exactly as it checks the query form.
     */
    public static final String PATH_PREFIX = "/t/";

    /**
     * Longest token accepted, in characters; longer input is rejected before any decoding.
     */
    public static final int MAX_LENGTH = 1024;

    /**
     * Longest path prefix that can be signed, in characters.
     */
    public static final int MAX_PREFIX_LENGTH = 512;

    static final char SEPARATOR = '.';
    static final int FIELD_COUNT = 6;
    static final int MAC_ENCODED_LENGTH = 43;

    private UrlToken()
    {
    }

    /**
     * The path form of a signed URL's path: {@value #PATH_PREFIX} + token + path.
     *
     * @param token a token as {@link UrlSigner#sign} made it.
     * @param path  the absolute path to play, e.g. {@code /vod/abc/master.m3u8}.
     * @return e.g. {@code /t/v1.k1.1767229200.L3ZvZC9hYmMv..xyz/vod/abc/master.m3u8}.
     * @throws IllegalArgumentException when the token is empty, longer than {@value #MAX_LENGTH} characters or has a
     *                                  character outside the token alphabet, or the path is not absolute.
     */
    public static String inPath(final String token, final String path)
    {
        if (null == token || token.isEmpty() || token.length() > MAX_LENGTH)
        {
            throw new IllegalArgumentException("token must be 1-" + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < token.length(); i++)
        {
            final char c = token.charAt(i);
            if (SEPARATOR != c && !Base64Url.isAlphabet(c))
            {
                throw new IllegalArgumentException("token has a character outside [A-Za-z0-9_.-] at " + i);
            }
        }
        if (null == path || path.isEmpty() || '/' != path.charAt(0))
        {
            throw new IllegalArgumentException("path must be absolute, got " + path);
        }
        return PATH_PREFIX + token + path;
    }

    /**
     * @param path a path or path prefix.
     * @return true when {@code path} is normalised as described in the class Javadoc.
     */
    static boolean isNormalisedPath(final CharSequence path)
    {
        final int length = path.length();
        if (0 == length || '/' != path.charAt(0))
        {
            return false;
        }

        int segmentStart = 1;
        for (int i = 1; i <= length; i++)
        {
            if (i < length)
            {
                final char c = path.charAt(i);
                if (c < 0x21 || c > 0x7E || '?' == c || '#' == c || '%' == c || '\\' == c)
                {
                    return false;
                }
                if ('/' != c)
                {
                    continue;
                }
            }

            final int segmentLength = i - segmentStart;
            if (0 == segmentLength && i < length)
            {
                return false;
            }
            if (segmentLength > 0 && '.' == path.charAt(segmentStart) &&
                (1 == segmentLength || (2 == segmentLength && '.' == path.charAt(segmentStart + 1))))
            {
                return false;
            }
            segmentStart = i + 1;
        }

        return true;
    }
}
