package io.bifrost.control.playback;

import io.bifrost.control.steer.EdgeSteering;
import io.bifrost.control.steer.SteerDecision;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.UrlSigner;
import io.bifrost.protocol.signing.UrlToken;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Issues signed playback URLs: a {@link UrlToken} signed with the current key of the control plane's ring, covering
 * the content's folder ({@code /vod/{id}/} or {@code /live/{id}/}: every playlist, init segment, segment and part of
 * it, exactly what an edge's token gate checks with its own {@code edge.signing-keys}), valid until
 * {@code now + ttl}, optionally bound to one viewer address; on the edge that {@link EdgeSteering} picks for that
 * viewer, or on the public playback URL when no edge serves viewers. The token goes into the path
 * ({@code {edge}/t/{token}/vod/{id}/master.m3u8}, {@link UrlToken#inPath}), where every relative URI a player
 * resolves from the playlist keeps it, or into the {@code token} query parameter ({@link TokenPlacement}).
 *
 * <p>The ring is read on every call (from a supplier: the control plane's {@code SigningKeys}, whose ring changes
 * when an operator makes another key current), so a change takes effect for the next URL. Thread-safe.
 */
public final class PlaybackUrlIssuer
{
    /** Default lifetime of a URL when the request names none. */
    public static final long DEFAULT_TTL_SECONDS = 3600;
    /** Default longest lifetime a request may ask for: one day. */
    public static final long DEFAULT_MAX_TTL_SECONDS = 86_400;
    /** Shortest lifetime a request may ask for. */
    public static final long MIN_TTL_SECONDS = 10;

    private final Supplier<SigningKeyRing> keys;
    private final EdgeSteering steering;
    private final String fallbackBaseUrl;
    private final long maxTtlSeconds;

    /**
     * @param keys            the control plane's signing keys, or null when none are configured (nothing is issued).
     * @param steering        picks the edge.
     * @param fallbackBaseUrl base URL used when no edge is up, e.g. the load balancer in front of the edges.
     * @param maxTtlSeconds   longest lifetime a request may ask for, at least {@link #MIN_TTL_SECONDS}.
     */
    public PlaybackUrlIssuer(
        final SigningKeyRing keys, final EdgeSteering steering, final String fallbackBaseUrl, final long maxTtlSeconds)
    {
        this(() -> keys, steering, fallbackBaseUrl, maxTtlSeconds);
    }

    /**
     * @param keys            the signing keys as of now: called for every URL; answers null when there are none.
     * @param steering        picks the edge.
     * @param fallbackBaseUrl base URL used when no edge is up, e.g. the load balancer in front of the edges.
     * @param maxTtlSeconds   longest lifetime a request may ask for, at least {@link #MIN_TTL_SECONDS}.
     */
    public PlaybackUrlIssuer(
        final Supplier<SigningKeyRing> keys,
        final EdgeSteering steering,
        final String fallbackBaseUrl,
        final long maxTtlSeconds)
    {
        if (maxTtlSeconds < MIN_TTL_SECONDS)
        {
            throw new IllegalArgumentException("control.playback-url-max-ttl-seconds must be at least " + MIN_TTL_SECONDS +
                " seconds, got " + maxTtlSeconds);
        }
        this.keys = Objects.requireNonNull(keys, "keys");
        this.steering = Objects.requireNonNull(steering, "steering");
        this.fallbackBaseUrl = stripTrailingSlash(Objects.requireNonNull(fallbackBaseUrl, "fallbackBaseUrl"));
        this.maxTtlSeconds = maxTtlSeconds;
    }

    /**
     * @return the signing keys as of now, or null when there are none.
     */
    public SigningKeyRing keys()
    {
        return keys.get();
    }

    /**
     * @return the longest lifetime a request may ask for, in seconds.
     */
    public long maxTtlSeconds()
    {
        return maxTtlSeconds;
    }

    /**
     * @return the lifetime of a URL whose request names none: {@link #DEFAULT_TTL_SECONDS}, or the maximum when lower.
     */
    public long defaultTtlSeconds()
    {
        return Math.min(DEFAULT_TTL_SECONDS, maxTtlSeconds);
    }

    /**
     * @param request a validated request ({@link PlaybackUrlRequest#ttlSeconds()} within bounds).
     * @param now     the control plane's clock.
     * @return the URL.
     * @throws IllegalStateException when there is no signing key.
     */
    public IssuedPlaybackUrl issue(final PlaybackUrlRequest request, final Instant now)
    {
        final SigningKeyRing ring = keys.get();
        if (ring == null)
        {
            throw new IllegalStateException("no signing keys are configured or created");
        }
        final Instant expiry = Instant.ofEpochSecond(now.getEpochSecond() + request.ttlSeconds());
        final String kid = ring.current().keyId();
        final String token = new UrlSigner(ring).sign(request.pathPrefix(), expiry, request.clientIp());
        final String client = request.clientIp() == null ? null : request.clientIp().getHostAddress();
        final SteerDecision decision = steering.steer(request.contentId(), request.path(), request.region(), client,
            now.toEpochMilli());
        final String base = decision == null ? fallbackBaseUrl : edgeBase(decision.url(), request.path());
        final String url = request.tokenIn() == TokenPlacement.PATH ? base + UrlToken.inPath(token, request.path()) :
            base + request.path() + '?' + UrlToken.QUERY_PARAMETER + '=' + token;
        return new IssuedPlaybackUrl(url, expiry.toString(), kidOf(token, kid), token, request.pathPrefix(),
            decision == null ? null : decision.edgeId(), request.contentId(), request.tokenIn().wireName());
    }

    /** Steering answers the edge's base URL followed by the path it was given; the token goes between them. */
    private static String edgeBase(final String steeredUrl, final String path)
    {
        if (!steeredUrl.endsWith(path))
        {
            throw new IllegalStateException("steering answered " + steeredUrl + " for " + path);
        }
        return steeredUrl.substring(0, steeredUrl.length() - path.length());
    }

    private static String kidOf(final String token, final String fallback)
    {
        // v1.{kid}.{expiry}...: the key that really signed, even if the ring's current key changed meanwhile.
        final int first = token.indexOf('.');
        final int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        return second < 0 ? fallback : token.substring(first + 1, second);
    }

    private static String stripTrailingSlash(final String url)
    {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
