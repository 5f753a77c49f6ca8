package io.bifrost.origin.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bifrost.origin.catalog.KeyPaths;
import io.bifrost.origin.catalog.VideoCatalog;
import io.bifrost.origin.catalog.VideoRecord;
import io.bifrost.origin.catalog.VideoStatus;
import io.bifrost.transcoder.protection.ContentProtection;
import io.bifrost.transcoder.protection.TitleKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The key URLs of protected titles, answered with raw bodies (not the API's JSON envelope, which players cannot read):
 * <pre>
 * GET  /api/v1/videos/{id}/hls-key    the 16-byte AES-128 key of a published aes-128 title (application/octet-stream)
 * POST /api/v1/videos/{id}/clearkey   W3C ClearKey licence: {"kids":[...],"type":...} -> {"keys":[{"kty":"oct",
 *                                     "kid":...,"k":...}],"type":...} for a published clearkey title
 * </pre>
 * Every answer is {@code Cache-Control: private, no-store} (a shared cache must never keep a key) and CORS-readable.
 * Outcomes are counted as {@code bifrost.origin.keys{outcome}}; keys are never logged. Neither scheme is DRM: whoever
 * can fetch these URLs can decrypt the title, so put them behind the same access control as the title. Thread-safe;
 * blocking (reads the store), so call it off the event loop.
 */
public final class KeyEndpoints
{
    /** Cache-Control of every key answer. */
    public static final String CACHE_CONTROL = "private, no-store";
    private static final String PREFIX = KeyPaths.PREFIX;
    private static final String HLS_KEY = KeyPaths.HLS_KEY;
    private static final String LICENSE = KeyPaths.CLEARKEY_LICENSE;

    /** What a key request came to. */
    public enum Outcome
    {
        /** An AES-128 key was served. */
        KEY,
        /** A ClearKey licence was served. */
        LICENSE,
        /** The request was malformed. */
        MALFORMED,
        /** No such protected, published title, or it has no such key. */
        NOT_FOUND,
        /** Wrong method for the path. */
        METHOD_NOT_ALLOWED
    }

    private final VideoCatalog catalog;
    private final TitleKeyStore keys;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);

    /**
     * @param catalog  the catalog.
     * @param keys     the key store.
     * @param registry where outcome counters go.
     */
    public KeyEndpoints(final VideoCatalog catalog, final TitleKeyStore keys, final MeterRegistry registry)
    {
        this.catalog = catalog;
        this.keys = keys;
        for (final Outcome outcome : Outcome.values())
        {
            counters.put(outcome, Counter.builder("bifrost.origin.keys").description("key and licence requests")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry));
        }
    }

    /**
     * @param request the request (body aggregated).
     * @param path    its path without query.
     * @return the answer, or null when the path is not a key URL (the caller handles it).
     */
    public FullHttpResponse respond(final FullHttpRequest request, final String path)
    {
        if (!path.startsWith(PREFIX) || !(path.endsWith(HLS_KEY) || path.endsWith(LICENSE)))
        {
            return null;
        }
        final boolean hls = path.endsWith(HLS_KEY);
        final String videoId = path.substring(PREFIX.length(), path.length() - (hls ? HLS_KEY : LICENSE).length());
        if (!isVideoId(videoId))
        {
            return null;
        }
        final HttpMethod expected = hls ? HttpMethod.GET : HttpMethod.POST;
        if (!expected.equals(request.method()) && !(hls && HttpMethod.HEAD.equals(request.method())))
        {
            final FullHttpResponse refused = text(HttpResponseStatus.METHOD_NOT_ALLOWED, Outcome.METHOD_NOT_ALLOWED,
                path + " is read with " + expected.name());
            refused.headers().set(HttpHeaderNames.ALLOW, expected.name() + ", OPTIONS");
            return refused;
        }
        final TitleKey key = keyOf(videoId, hls ? ContentProtection.AES_128 : ContentProtection.CLEARKEY);
        if (key == null)
        {
            return text(HttpResponseStatus.NOT_FOUND, Outcome.NOT_FOUND, "no published " + (hls ? "aes-128" :
                "clearkey") + " title " + videoId);
        }
        return hls ? hlsKey(key, HttpMethod.HEAD.equals(request.method())) : license(request, key);
    }

    private TitleKey keyOf(final String videoId, final ContentProtection scheme)
    {
        final VideoRecord record = catalog.find(videoId);
        if (record == null || record.status() != VideoStatus.PUBLISHED ||
            !scheme.label().equals(record.metadata().protection()))
        {
            return null;
        }
        return keys.find(videoId);
    }

    private FullHttpResponse hlsKey(final TitleKey key, final boolean head)
    {
        final byte[] bytes = key.key();
        return raw(HttpResponseStatus.OK, Outcome.KEY, "application/octet-stream",
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes), bytes.length);
    }

    private FullHttpResponse license(final FullHttpRequest request, final TitleKey key)
    {
        final byte[] body = new byte[Math.min(request.content().readableBytes(),
            ClearKeyLicenseRequest.MAX_BODY_BYTES + 1)];
        request.content().getBytes(request.content().readerIndex(), body);
        final ClearKeyLicenseRequest parsed;
        try
        {
            parsed = ClearKeyLicenseRequest.parse(body);
        }
        catch (final ClearKeyLicenseRequest.Malformed ex)
        {
            return text(HttpResponseStatus.BAD_REQUEST, Outcome.MALFORMED, ex.getMessage());
        }
        final byte[] kid = key.kid();
        final boolean asked = parsed.kids().stream().anyMatch(candidate -> Arrays.equals(candidate, kid));
        if (!asked)
        {
            return text(HttpResponseStatus.NOT_FOUND, Outcome.NOT_FOUND, "this title has none of the kids asked for");
        }
        final byte[] licence;
        try
        {
            licence = json.writeValueAsBytes(Map.of("keys", List.of(Map.of("kty", "oct",
                "kid", key.kidBase64Url(), "k", key.keyBase64Url())), "type", parsed.type()));
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write a licence", ex);
        }
        return raw(HttpResponseStatus.OK, Outcome.LICENSE, "application/json", Unpooled.wrappedBuffer(licence),
            licence.length);
    }

    private FullHttpResponse text(final HttpResponseStatus status, final Outcome outcome, final String message)
    {
        final byte[] bytes = (status.code() + " " + message + "\n").getBytes(StandardCharsets.UTF_8);
        return raw(status, outcome, "text/plain; charset=utf-8", Unpooled.wrappedBuffer(bytes), bytes.length);
    }

    private FullHttpResponse raw(final HttpResponseStatus status, final Outcome outcome, final String type,
        final ByteBuf body, final int length)
    {
        counters.get(outcome).increment();
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, type)
            .set(HttpHeaderNames.CONTENT_LENGTH, length)
            .set(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL)
            .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        return response;
    }

    private static boolean isVideoId(final String value)
    {
        if (value.isEmpty() || value.length() > 64)
        {
            return false;
        }
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            {
                return false;
            }
        }
        return true;
    }
}
