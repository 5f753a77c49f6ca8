package io.bifrost.control.signing;

import io.bifrost.control.http.Access;
import io.bifrost.control.http.ApiException;
import io.bifrost.control.http.ApiRequest;
import io.bifrost.control.http.ApiResponse;
import io.bifrost.control.http.JsonBody;
import io.bifrost.control.http.Router;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;
import java.util.Set;

/**
 * The signing keys over the operator API ({@link Access#OPERATOR}); no answer ever carries a secret:
 * <ul>
 *   <li>{@code GET /api/v1/signing-keys}: every key (configured and API), which one signs, the TTL bounds.</li>
 *   <li>{@code POST /api/v1/signing-keys} {@code {current?, kid?}}: 201, a new API key with a 256-bit secret the
 *       control plane generates; {@code current: true} signs with it at once.</li>
 *   <li>{@code POST /api/v1/signing-keys/{kid}/current}: sign with that API key from now on.</li>
 *   <li>{@code DELETE /api/v1/signing-keys/{kid}}: retire an API key; edges accept it until {@code accepted_until}.</li>
 * </ul>
 * Refusals: 400 {@code request.invalid}, {@code kid.invalid}; 404 {@code signing_key.not_found}; 409
 * {@code signing_key.exists}, {@code signing_key.configured} (a {@code control.signing-keys} key),
 * {@code signing_key.current} (retiring the signing key), {@code signing_key.retired} (making a retired key current),
 * {@code signing_key.too_many}. Changes are counted as {@code bifrost.control.signing.keys.changes{action}}.
 */
public final class SigningKeyRoutes
{
    private static final Set<String> FIELDS = Set.of("current", "kid");

    private final SigningKeys keys;
    private final long defaultTtlSeconds;
    private final long maxTtlSeconds;
    private final Counter created;
    private final Counter madeCurrent;
    private final Counter retired;

    /**
     * The key ring without secrets.
     *
     * @param signingKid        the key new URLs are signed with, or null when there is none.
     * @param keys              every key, the signing one first.
     * @param defaultTtlSeconds lifetime of a URL whose request names none.
     * @param maxTtlSeconds     longest lifetime a request may ask for: how long edges keep accepting a retired key.
     */
    record KeyRingView(String signingKid, List<SigningKeyView> keys, long defaultTtlSeconds, long maxTtlSeconds)
    {
    }

    /**
     * @param keys              the keys.
     * @param defaultTtlSeconds lifetime of a playback URL whose request names none.
     * @param maxTtlSeconds     {@code control.playback-url-max-ttl-seconds}.
     * @param meters            where the change counters go.
     */
    public SigningKeyRoutes(
        final SigningKeys keys, final long defaultTtlSeconds, final long maxTtlSeconds, final MeterRegistry meters)
    {
        this.keys = keys;
        this.defaultTtlSeconds = defaultTtlSeconds;
        this.maxTtlSeconds = maxTtlSeconds;
        created = change(meters, "created");
        madeCurrent = change(meters, "made_current");
        retired = change(meters, "retired");
    }

    /**
     * @param router where the routes are added.
     * @return the router.
     */
    public Router register(final Router router)
    {
        return router
            .add(HttpMethod.GET, "/api/v1/signing-keys", Access.OPERATOR, request -> ApiResponse.ok(ring()))
            .add(HttpMethod.POST, "/api/v1/signing-keys", Access.OPERATOR, this::create)
            .add(HttpMethod.POST, "/api/v1/signing-keys/{kid}/current", Access.OPERATOR, request ->
            {
                final SigningKeyView view = refusing(() -> keys.makeCurrent(request.pathParam("kid")));
                madeCurrent.increment();
                return ApiResponse.ok(view);
            })
            .add(HttpMethod.DELETE, "/api/v1/signing-keys/{kid}", Access.OPERATOR, request ->
            {
                final SigningKeyView view = refusing(() -> keys.retire(request.pathParam("kid")));
                retired.increment();
                return ApiResponse.ok(view);
            });
    }

    private ApiResponse create(final ApiRequest request)
    {
        final byte[] body = request.body();
        final JsonBody fields = body == null || body.length == 0 ? null : JsonBody.parse(body, FIELDS, "request.invalid");
        final Boolean current = fields == null ? null : fields.optionalBoolean("current", "request.invalid");
        final String kid = fields == null ? null : fields.optionalText("kid", "kid.invalid");
        final SigningKeyView view = refusing(() ->
        {
            try
            {
                return keys.create(kid, Boolean.TRUE.equals(current));
            }
            catch (final IllegalArgumentException ex)
            {
                throw ApiException.badRequest("kid.invalid", "'kid' " + ex.getMessage().substring("kid ".length()));
            }
        });
        created.increment();
        return ApiResponse.created(view);
    }

    private KeyRingView ring()
    {
        final List<SigningKeyView> views = keys.views();
        final String signing = views.isEmpty() || !views.get(0).signs() ? null : views.get(0).kid();
        return new KeyRingView(signing, views, defaultTtlSeconds, maxTtlSeconds);
    }

    private static SigningKeyView refusing(final java.util.function.Supplier<SigningKeyView> change)
    {
        try
        {
            return change.get();
        }
        catch (final SigningKeys.RefusedException ex)
        {
            final HttpResponseStatus status = ex.refusal() == SigningKeys.Refusal.NOT_FOUND ?
                HttpResponseStatus.NOT_FOUND : HttpResponseStatus.CONFLICT;
            throw new ApiException(status, "signing_key." + ex.refusal().name().toLowerCase(java.util.Locale.ROOT),
                ex.getMessage());
        }
    }

    private static Counter change(final MeterRegistry meters, final String action)
    {
        return Counter.builder("bifrost.control.signing.keys.changes").tag("action", action)
            .description("signing key changes made through the operator API").register(meters);
    }
}
