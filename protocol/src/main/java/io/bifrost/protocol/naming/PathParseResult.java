package io.bifrost.protocol.naming;

/**
 * Outcome of {@link ContentKeyParser#parse(CharSequence)}: either the {@link ContentKey} the path names or the
 * {@link PathRejection} that says why it names nothing. Both are ready-made values, so parsing allocates no result
 * wrapper; callers switch on the type:
 * <pre>{@code
 * switch (ContentKeyParser.parse(path))
 * {
 *     case ContentKey key -> serve(key);
 *     case PathRejection rejection -> respondBadRequest(rejection.code(), rejection.message());
 * }
 * }</pre>
 */
public sealed interface PathParseResult permits ContentKey, PathRejection
{
}
