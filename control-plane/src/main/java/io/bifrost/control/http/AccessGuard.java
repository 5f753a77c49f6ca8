package io.bifrost.control.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Decides whether a caller may use a route, from its {@link Access} level. Thread-safe and immutable.
 *
 * <p>Operator routes need {@code Authorization: Bearer <admin token>}, internal routes (ingest nodes) need
 * {@code Authorization: Bearer <ingest token>}. A level whose token is not configured accepts loopback callers only
 * (zero-configuration {@code bifrost all} on one host) and refuses everyone else. Every refusal is a 401: code
 * {@code auth.missing} when no bearer token was sent, {@code auth.invalid} when the token is wrong or when the caller
 * is not on loopback and no token is configured. Tokens are compared as SHA-256 digests in constant time, so
 * neither their content nor their length leaks through timing.
 */
public final class AccessGuard
{
    private static final String BEARER = "bearer ";

    private final byte[] adminDigest;
    private final byte[] ingestDigest;

    /**
     * @param adminToken  the operator token, or null for loopback-only operator access.
     * @param ingestToken the ingest nodes' token, or null for loopback-only internal access.
     */
    public AccessGuard(final String adminToken, final String ingestToken)
    {
        this.adminDigest = adminToken == null ? null : sha256(adminToken);
        this.ingestDigest = ingestToken == null ? null : sha256(ingestToken);
    }

    /**
     * @param access  the route's level.
     * @param request the request.
     * @throws ApiException 401 when the caller may not use the route.
     */
    public void check(final Access access, final ApiRequest request)
    {
        final byte[] expected;
        final String key;
        switch (access)
        {
            case OPEN ->
            {
                return;
            }
            case OPERATOR ->
            {
                expected = adminDigest;
                key = "control.admin-token";
            }
            case INTERNAL ->
            {
                expected = ingestDigest;
                key = "control.ingest-token";
            }
            default -> throw new IllegalStateException("unknown access level " + access);
        }
        final String presented = bearerToken(request.header(HttpHeaderNames.AUTHORIZATION));
        if (expected == null)
        {
            if (isLoopback(request.remoteAddress()))
            {
                return;
            }
            throw unauthorized(presented == null ? "auth.missing" : "auth.invalid", "no " + key + " is configured, so this " +
                "endpoint accepts only callers on this host (loopback); set " + key + " to allow remote callers");
        }
        if (presented == null)
        {
            throw unauthorized("auth.missing", "send 'Authorization: Bearer <token>' with the " + key);
        }
        if (!MessageDigest.isEqual(expected, sha256(presented)))
        {
            throw unauthorized("auth.invalid", "the bearer token is not the " + key);
        }
    }

    /**
     * @param address a caller's address, or null.
     * @return true for 127.0.0.0/8, ::1 and IPv4-mapped loopback.
     */
    static boolean isLoopback(final InetAddress address)
    {
        return address != null && address.isLoopbackAddress();
    }

    private static String bearerToken(final String authorization)
    {
        if (authorization == null || authorization.length() <= BEARER.length() ||
            !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length()))
        {
            return null;
        }
        final String token = authorization.substring(BEARER.length()).strip();
        return token.isEmpty() ? null : token;
    }

    private static ApiException unauthorized(final String code, final String message)
    {
        return new ApiException(HttpResponseStatus.UNAUTHORIZED, code, message);
    }

    private static byte[] sha256(final String text)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", ex);
        }
    }
}
