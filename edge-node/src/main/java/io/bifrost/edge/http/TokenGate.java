package io.bifrost.edge.http;

import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.TokenVerdict;
import io.bifrost.protocol.signing.UrlToken;
import io.bifrost.protocol.signing.UrlTokenVerifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.net.InetAddress;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The signed-URL check, run before any cache lookup: paths under a protected prefix need a valid token (see
 * {@link UrlToken}) bound to that path and, when the token names one, to the viewer's address. The token comes as the
 * {@code token} query parameter or as the path form {@code /t/{token}/...} ({@link TokenPath}, which the caller has
 * already stripped from the path); the path form wins when a request has both. Paths outside every protected prefix
 * pass without a token. Verdicts are counted as {@code bifrost.edge.tokens{verdict}}, malformed path forms as
 * {@code bifrost.edge.tokens.path.rejected{reason}}.
 */
final class TokenGate
{
    private final List<String> protectedPrefixes;
    private final UrlTokenVerifier verifier;
    private final Map<TokenVerdict, Counter> verdicts = new EnumMap<>(TokenVerdict.class);
    private final Counter missing;
    private final Map<TokenPath.Rejection, Counter> pathRejections = new EnumMap<>(TokenPath.Rejection.class);

    /**
     * @param protectedPrefixes path prefixes that need a token (empty: nothing is protected).
     * @param keys              keys tokens may be signed with; may be null only when nothing is protected.
     * @param registry          where verdict counters go.
     */
    TokenGate(final List<String> protectedPrefixes, final SigningKeyRing keys, final MeterRegistry registry)
    {
        this.protectedPrefixes = List.copyOf(protectedPrefixes);
        this.verifier = keys == null ? null : new UrlTokenVerifier(keys);
        for (final TokenVerdict verdict : TokenVerdict.values())
        {
            verdicts.put(verdict, Counter.builder("bifrost.edge.tokens").description("signed-URL checks by verdict")
                .tag("verdict", verdict.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        missing = Counter.builder("bifrost.edge.tokens").tag("verdict", "missing").register(registry);
        for (final TokenPath.Rejection rejection : TokenPath.Rejection.values())
        {
            pathRejections.put(rejection, Counter.builder("bifrost.edge.tokens.path.rejected")
                .description("requests refused because their /t/{token}/ path prefix is malformed")
                .tag("reason", rejection.tag).register(registry));
        }
        if (!this.protectedPrefixes.isEmpty() && verifier == null)
        {
            throw new IllegalArgumentException("signed prefixes are configured but no signing keys");
        }
    }

    /**
     * @param path     request path without query.
     * @param query    the query string after '?', or null.
     * @param clientIp the viewer's address.
     * @param now      current time.
     * @return null when the path is allowed, otherwise the reason to refuse it (403).
     */
    Refusal check(final String path, final String query, final InetAddress clientIp, final Instant now)
    {
        return check(path, query, null, clientIp, now);
    }

    /**
     * @param path      request path without query and without the {@code /t/{token}} prefix.
     * @param query     the query string after '?', or null.
     * @param pathToken the token of the path form ({@link TokenPath}), or null when the request had none.
     * @param clientIp  the viewer's address.
     * @param now       current time.
     * @return null when the path is allowed, otherwise the reason to refuse it (403).
     */
    Refusal check(
        final String path, final String query, final String pathToken, final InetAddress clientIp, final Instant now)
    {
        if (!isProtected(path))
        {
            return null;
        }
        final String token = pathToken != null ? pathToken : queryParameter(query, UrlToken.QUERY_PARAMETER);
        if (token == null)
        {
            missing.increment();
            return new Refusal("token.missing", "this path needs a signed URL: start the path with " +
                UrlToken.PATH_PREFIX + "{token}/ or add ?" + UrlToken.QUERY_PARAMETER + "=...");
        }
        final TokenVerdict verdict = verifier.verify(token, path, clientIp, now);
        verdicts.get(verdict).increment();
        return verdict.isOk() ? null : new Refusal(verdict.code(), verdict.message());
    }

    /**
     * @param path request path without query and without the {@code /t/{token}} prefix.
     * @return true when the path needs a token (under a signed prefix); a caller may skip {@link #check} otherwise.
     */
    boolean isProtected(final String path)
    {
        for (int i = 0; i < protectedPrefixes.size(); i++)
        {
            if (path.startsWith(protectedPrefixes.get(i)))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Counts a malformed path form; the caller answers 400 with the returned reason.
     *
     * @param split a negative result of {@link TokenPath#split}.
     * @return the code and message to send.
     */
    Refusal refusePathForm(final int split)
    {
        final TokenPath.Rejection rejection = TokenPath.Rejection.of(split);
        pathRejections.get(rejection).increment();
        return new Refusal(rejection.code(), rejection.message());
    }

    /** The value of one query parameter, undecoded (token characters never need decoding), or null. */
    static String queryParameter(final String query, final String name)
    {
        if (query == null)
        {
            return null;
        }
        int start = 0;
        while (start <= query.length())
        {
            int end = query.indexOf('&', start);
            if (end < 0)
            {
                end = query.length();
            }
            if (query.startsWith(name, start) && start + name.length() + 1 < end && query.charAt(start + name.length()) == '=')
            {
                return query.substring(start + name.length() + 1, end);
            }
            start = end + 1;
        }
        return null;
    }

    /**
     * Why a request is refused.
     *
     * @param code    stable code, e.g. {@code token.expired}.
     * @param message what the viewer (or the operator reading logs) can do about it.
     */
    record Refusal(String code, String message)
    {
    }
}
