package io.bifrost.edge.http;

import io.bifrost.protocol.signing.UrlToken;

import java.util.Locale;

/**
 * The path form of a signed URL: {@code /t/{token}/vod/{id}/...} (see {@link UrlToken#PATH_PREFIX}). Players keep
 * a leading path segment when they resolve the relative URLs of playlists and manifests, so a token given once on
 * the master playlist reaches every rendition playlist, init segment, segment and part; a {@code ?token=} query does
 * not survive that resolution.
 *
 * <p>{@link #split} finds where the token ends without allocating: the edge then serves the rest of the path as if it
 * had been asked for without the prefix (same cache key, same origin fill, the token never leaves the edge) and
 * checks the token against that rest exactly like the query form. Only the prefix's shape is checked here: an empty
 * token, one longer than {@value UrlToken#MAX_LENGTH} characters, or no path after it is a {@link Rejection}; what is
 * inside the token is the verifier's business. A path under {@code /t/} is never a content path, so a prefix inside
 * the rest ({@code /t/a/t/b/...}) is simply an invalid content path, never unwrapped twice.
 */
final class TokenPath
{
    /** {@link #split}: the path does not start with the prefix. */
    static final int ABSENT = 0;

    private static final String PREFIX = UrlToken.PATH_PREFIX;
    private static final String BARE = PREFIX.substring(0, PREFIX.length() - 1);

    /** Why a path that starts with the prefix is not a well-formed path form; each is a 400 and a counter. */
    enum Rejection
    {
        /** {@code /t//vod/...}: nothing between the slashes. */
        EMPTY("token.path_empty", "the path form is /t/{token}/{path}: the token segment is empty"),
        /** The segment is longer than any token can be. */
        TOO_LONG("token.path_too_long", "the token segment is longer than " + UrlToken.MAX_LENGTH + " characters"),
        /** {@code /t}, {@code /t/} or {@code /t/{token}} with no path after the token. */
        INCOMPLETE("token.path_incomplete", "the path form is /t/{token}/{path}: no path follows the token");

        private static final Rejection[] BY_ORDINAL = values();

        private final String code;
        private final String message;
        /** The metrics tag value. */
        final String tag;

        Rejection(final String code, final String message)
        {
            this.code = code;
            this.message = message;
            this.tag = name().toLowerCase(Locale.ROOT);
        }

        /** @return the stable code sent in the 400 body, e.g. {@code token.path_empty}. */
        String code()
        {
            return code;
        }

        /** @return what the client should change. */
        String message()
        {
            return message;
        }

        /**
         * @param split a negative result of {@link #split}.
         * @return the rejection it stands for.
         */
        static Rejection of(final int split)
        {
            return BY_ORDINAL[-split - 1];
        }
    }

    private TokenPath()
    {
    }

    /**
     * @param path a request path, query removed.
     * @return {@link #ABSENT} when the path does not start with {@code /t/} (and is not {@code /t}); the index of the
     * {@code /} that starts the rest of the path when it is a well-formed path form (the token is
     * {@code path.substring(3, index)}); or a negative value, {@code -(ordinal + 1)} of the {@link Rejection}.
     */
    static int split(final String path)
    {
        if (!path.startsWith(PREFIX))
        {
            return path.equals(BARE) ? reject(Rejection.INCOMPLETE) : ABSENT;
        }
        final int start = PREFIX.length();
        final int length = path.length();
        final int limit = Math.min(length, start + UrlToken.MAX_LENGTH + 1);
        for (int i = start; i < limit; i++)
        {
            if (path.charAt(i) == '/')
            {
                return i == start ? reject(Rejection.EMPTY) : i;
            }
        }
        if (limit - start > UrlToken.MAX_LENGTH)
        {
            return reject(Rejection.TOO_LONG);
        }
        return reject(Rejection.INCOMPLETE);
    }

    /**
     * @param path  a path {@link #split} found well-formed.
     * @param split what it answered (positive).
     * @return the token.
     */
    static String token(final String path, final int split)
    {
        return path.substring(PREFIX.length(), split);
    }

    private static int reject(final Rejection rejection)
    {
        return -(rejection.ordinal() + 1);
    }
}
