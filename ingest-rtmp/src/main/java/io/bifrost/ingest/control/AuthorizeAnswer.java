package io.bifrost.ingest.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bifrost.ingest.sink.StreamAuthorization;

import java.io.IOException;

/**
 * Reads the control plane's answer to {@code POST /api/v1/internal/streams/authorize} (the JSON envelope
 * {@code {"success":true,"data":{"stream_id":"st_...","passthrough":false}}} or
 * {@code {"success":false,"error":{"code":"stream_key.unknown","message":"..."}}}).
 *
 * <p>Fails closed: anything but a 200 with a well-formed stream id is a refusal. Stateless and thread-safe.
 *
 * @param outcome       how the check ended, for the counter and the cache.
 * @param authorization the decision handed to the RTMP session or SRT bridge.
 * @param errorCode     the control plane's error code, or a local one ({@code response.malformed}), null when allowed.
 */
public record AuthorizeAnswer(AuthorizeOutcome outcome, StreamAuthorization authorization, String errorCode)
{
    /** 200 OK. */
    static final int HTTP_OK = 200;
    /** 401 Unauthorized: the ingest token is missing or wrong. */
    static final int HTTP_UNAUTHORIZED = 401;
    /** 403 Forbidden: the key is unknown or revoked. */
    static final int HTTP_FORBIDDEN = 403;
    /** 400 Bad Request. */
    static final int HTTP_BAD_REQUEST = 400;
    /** 503 Service Unavailable: with {@value #SERVER_BUSY}, the control plane's key-check lane was full. */
    static final int HTTP_SERVICE_UNAVAILABLE = 503;
    /** The control plane's error code for a request refused because its workers are all busy. */
    static final String SERVER_BUSY = "server.busy";

    /**
     * @param mapper     the JSON reader.
     * @param statusCode the HTTP status.
     * @param body       the response body (bounded by the caller).
     * @return the answer; never throws for any input.
     */
    public static AuthorizeAnswer parse(final ObjectMapper mapper, final int statusCode, final byte[] body)
    {
        final JsonNode root;
        try
        {
            root = mapper.readTree(body);
        }
        catch (final IOException | RuntimeException ex)
        {
            return unavailable(statusCode, "response.malformed");
        }
        if (HTTP_OK == statusCode)
        {
            final JsonNode data = null == root ? null : root.path("data");
            final JsonNode streamId = null == data ? null : data.get("stream_id");
            if (null == root || !root.path("success").asBoolean(false) || null == streamId || !streamId.isTextual() ||
                !StreamAuthorization.STREAM_ID.matcher(streamId.textValue()).matches())
            {
                return unavailable(statusCode, "response.malformed");
            }
            return new AuthorizeAnswer(AuthorizeOutcome.ALLOWED,
                StreamAuthorization.allow(streamId.textValue(), data.path("passthrough").asBoolean(false)), null);
        }
        final String code = errorCode(root);
        return switch (statusCode)
        {
            case HTTP_FORBIDDEN, HTTP_BAD_REQUEST -> new AuthorizeAnswer(AuthorizeOutcome.REFUSED,
                StreamAuthorization.refuse("stream key refused (" + code + ")"), code);
            case HTTP_UNAUTHORIZED -> new AuthorizeAnswer(AuthorizeOutcome.UNAUTHORIZED,
                StreamAuthorization.refuse("stream key could not be checked: this ingest node is not authorized at " +
                    "the control plane"), code);
            default -> unavailable(statusCode, code);
        };
    }

    /**
     * @param errorCode why (an HTTP status or an exception name).
     * @return the answer for a control plane that could not be asked.
     */
    public static AuthorizeAnswer unavailable(final String errorCode)
    {
        return new AuthorizeAnswer(AuthorizeOutcome.UNAVAILABLE,
            StreamAuthorization.refuse("stream key could not be checked: control plane unavailable"), errorCode);
    }

    /**
     * @return whether the control plane answered {@code 503 server.busy}: it was momentarily full, not down, and the
     *         check may be sent again shortly.
     */
    public boolean serverBusy()
    {
        return AuthorizeOutcome.UNAVAILABLE == outcome &&
            ("http " + HTTP_SERVICE_UNAVAILABLE + " " + SERVER_BUSY).equals(errorCode);
    }

    /**
     * @return whether the answer is definitive enough to cache (allowed, or the key unknown/revoked).
     */
    public boolean cacheable()
    {
        return AuthorizeOutcome.ALLOWED == outcome ||
            (AuthorizeOutcome.REFUSED == outcome && null != errorCode && errorCode.startsWith("stream_key."));
    }

    private static AuthorizeAnswer unavailable(final int statusCode, final String code)
    {
        return unavailable("http " + statusCode + (null == code ? "" : " " + code));
    }

    private static String errorCode(final JsonNode root)
    {
        final JsonNode code = null == root ? null : root.path("error").get("code");
        if (null == code || !code.isTextual())
        {
            return "unknown";
        }
        final String text = code.textValue();
        return text.length() > 64 || !text.matches("[A-Za-z0-9_.-]+") ? "unknown" : text;
    }
}
