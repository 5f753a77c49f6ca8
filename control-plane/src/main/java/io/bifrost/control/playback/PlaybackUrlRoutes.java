package io.bifrost.control.playback;

import io.bifrost.control.http.Access;
import io.bifrost.control.http.ApiException;
import io.bifrost.control.http.ApiRequest;
import io.bifrost.control.http.ApiResponse;
import io.bifrost.control.http.JsonBody;
import io.bifrost.control.http.Router;
import io.bifrost.control.telemetry.ContentNames;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.naming.PathParseResult;
import io.bifrost.protocol.naming.PathRejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Signed playback URLs over the operator API ({@link Access#OPERATOR}: operators and the application server that
 * hands URLs to viewers):
 * <ul>
 *   <li>{@code POST /api/v1/playback-urls} {@code {content, path?, ttl_seconds?, region?, client_ip?, token_in?}}
 *       answers 201 with an {@link IssuedPlaybackUrl}; {@code token_in} is {@code path} (default: the token as the
 *       URL's leading path segment, which survives players' relative URI resolution) or {@code query}. Refusals
 *       (400): {@code content.invalid}, {@code path.invalid}, {@code ttl_seconds.invalid}, {@code region.invalid},
 *       {@code client_ip.invalid}, {@code token_in.invalid}, {@code request.invalid};
 *       409 {@code signing.not_configured} when the control plane has no signing key ({@code control.signing-keys}
 *       or one created through {@code POST /api/v1/signing-keys}).</li>
 * </ul>
 * The keys themselves are managed by {@code io.bifrost.control.signing.SigningKeyRoutes}.
 * Every answer of the first is counted as {@code bifrost.control.playback.urls{outcome}}: {@code steered} (on an
 * edge), {@code fallback} (on the public playback URL: no edge up), {@code invalid}, {@code not_configured}.
 */
public final class PlaybackUrlRoutes
{
    private static final Set<String> FIELDS = Set.of("content", "path", "ttl_seconds", "region", "client_ip", "token_in");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final PlaybackUrlIssuer issuer;
    private final Clock clock;
    private final Counter steered;
    private final Counter fallback;
    private final Counter invalid;
    private final Counter notConfigured;

    /**
     * @param issuer signs and steers.
     * @param clock  the control plane's clock.
     * @param meters where the outcome counters go.
     */
    public PlaybackUrlRoutes(final PlaybackUrlIssuer issuer, final Clock clock, final MeterRegistry meters)
    {
        this.issuer = issuer;
        this.clock = clock;
        steered = outcome(meters, "steered");
        fallback = outcome(meters, "fallback");
        invalid = outcome(meters, "invalid");
        notConfigured = outcome(meters, "not_configured");
    }

    /**
     * @param router where the routes are added.
     * @return the router.
     */
    public Router register(final Router router)
    {
        return router.add(HttpMethod.POST, "/api/v1/playback-urls", Access.OPERATOR, this::issue);
    }

    private ApiResponse issue(final ApiRequest request)
    {
        if (issuer.keys() == null)
        {
            notConfigured.increment();
            throw new ApiException(HttpResponseStatus.CONFLICT, "signing.not_configured", "this control plane has no " +
                "signing keys: create one with POST /api/v1/signing-keys {\"current\": true}, or set " +
                "control.signing-keys (kid:secret, the same keys as the edges' edge.signing-keys)");
        }
        final PlaybackUrlRequest parsed;
        try
        {
            parsed = decode(request.body());
        }
        catch (final ApiException ex)
        {
            invalid.increment();
            throw ex;
        }
        final IssuedPlaybackUrl issued = issuer.issue(parsed, clock.instant());
        (issued.edgeId() == null ? fallback : steered).increment();
        return ApiResponse.created(issued);
    }

    private PlaybackUrlRequest decode(final byte[] body)
    {
        final JsonBody fields = JsonBody.parse(body, FIELDS, "request.invalid");
        final String content = fields.requiredText("content", "content.invalid");
        if (!ContentNames.CONTENT_ID.matcher(content).matches())
        {
            throw ApiException.badRequest("content.invalid", "'content' must be live/{id} or vod/{id} with an id of " +
                "1-64 letters, digits, '_' or '-'");
        }
        final String path = path(content, fields.optionalText("path", "path.invalid"));
        final Integer ttl = fields.optionalInt("ttl_seconds", "ttl_seconds.invalid");
        final long ttlSeconds = ttl == null ? issuer.defaultTtlSeconds() : ttl;
        if (ttlSeconds < PlaybackUrlIssuer.MIN_TTL_SECONDS || ttlSeconds > issuer.maxTtlSeconds())
        {
            throw ApiException.badRequest("ttl_seconds.invalid", "'ttl_seconds' must be " +
                PlaybackUrlIssuer.MIN_TTL_SECONDS + " to " + issuer.maxTtlSeconds() + " (control.playback-url-max-ttl-seconds)");
        }
        final String region = fields.optionalText("region", "region.invalid");
        if (region != null && !ContentNames.REGION.matcher(region).matches())
        {
            throw ApiException.badRequest("region.invalid", "'region' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        final InetAddress clientIp = clientIp(fields.optionalText("client_ip", "client_ip.invalid"));
        return new PlaybackUrlRequest(content, path, ttlSeconds, region, clientIp,
            tokenIn(fields.optionalText("token_in", "token_in.invalid")));
    }

    private static TokenPlacement tokenIn(final String text)
    {
        if (text == null)
        {
            return TokenPlacement.PATH;
        }
        final TokenPlacement placement = TokenPlacement.fromWireName(text);
        if (placement == null)
        {
            throw ApiException.badRequest("token_in.invalid", "'token_in' must be \"path\" (/t/{token}/... : every " +
                "relative URL in the playlists keeps it) or \"query\" (?token=...), got '" + JsonBody.abbreviate(text) + "'");
        }
        return placement;
    }

    private static String path(final String content, final String path)
    {
        if (path == null)
        {
            return "/" + content + "/master.m3u8";
        }
        final String absolute = path.startsWith("/") ? path : "/" + content + "/" + path;
        final PathParseResult parsed = ContentKeyParser.parse(absolute);
        if (!(parsed instanceof ContentKey key) || !key.contentId().equals(content))
        {
            throw ApiException.badRequest("path.invalid", "'path' must name a playlist or media file of " + content +
                ", e.g. /" + content + "/master.m3u8, /" + content + "/720p/index.m3u8 or 720p/index.m3u8 (" +
                (parsed instanceof PathRejection rejection ? rejection.message() : "it names another content") + ")");
        }
        return key.path();
    }

    private static InetAddress clientIp(final String text)
    {
        if (text == null)
        {
            return null;
        }
        // Only literals, parsed without InetAddress.getByName: it falls back to a DNS lookup for what it cannot parse.
        final boolean literal = IPV4.matcher(text).matches() || (text.indexOf(':') >= 0 && IPV6.matcher(text).matches());
        final byte[] address = literal ? NetUtil.createByteArrayFromIpAddressString(text) : null;
        if (address != null)
        {
            try
            {
                return InetAddress.getByAddress(address);
            }
            catch (final UnknownHostException ex)
            {
                // only for a length other than 4 or 16: answered below
            }
        }
        throw ApiException.badRequest("client_ip.invalid", "'client_ip' must be an IPv4 or IPv6 address literal, got '" +
            JsonBody.abbreviate(text) + "'");
    }

    private static Counter outcome(final MeterRegistry meters, final String outcome)
    {
        return Counter.builder("bifrost.control.playback.urls").tag("outcome", outcome)
            .description("signed playback URL requests by outcome").register(meters);
    }
}
