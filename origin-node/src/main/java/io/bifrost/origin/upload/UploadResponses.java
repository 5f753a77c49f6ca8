package io.bifrost.origin.upload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Date;

/**
 * Builds the upload service's responses: tus headers, CORS for browser clients (tus-js-client, Uppy) and the
 * seed's JSON envelope ({@code {"success":true,"data":...}} / {@code {"success":false,"error":{"code","message"}}})
 * through Jackson. Stateless after construction; thread-safe.
 */
final class UploadResponses
{
    static final String ALLOW_METHODS = "POST, GET, HEAD, PATCH, DELETE, OPTIONS";
    static final String ALLOW_HEADERS = "Authorization, Origin, X-Requested-With, X-Request-ID, " +
        "X-HTTP-Method-Override, Content-Type, Upload-Length, Upload-Offset, Tus-Resumable, Upload-Metadata, " +
        "Upload-Defer-Length, Upload-Concat, Upload-Checksum";
    static final String EXPOSE_HEADERS = "Upload-Offset, Location, Upload-Length, Tus-Version, Tus-Resumable, " +
        "Tus-Max-Size, Tus-Extension, Tus-Checksum-Algorithm, Upload-Metadata, Upload-Defer-Length, Upload-Concat, " +
        "Upload-Expires, Bifrost-Upload-Status, Bifrost-Rejection-Code, Bifrost-Video-Id";
    static final String PREFLIGHT_MAX_AGE_SECONDS = "86400";

    private final ObjectMapper json;
    private final String corsOrigin;
    private final long maxUploadBytes;

    UploadResponses(final ObjectMapper json, final String corsOrigin, final long maxUploadBytes)
    {
        this.json = json;
        this.corsOrigin = corsOrigin;
        this.maxUploadBytes = maxUploadBytes;
    }

    ObjectMapper json()
    {
        return json;
    }

    /**
     * @return a bodiless response with the tus and CORS headers.
     */
    FullHttpResponse empty(final HttpResponseStatus status)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        final HttpHeaders headers = response.headers();
        headers.set(TusProtocol.TUS_RESUMABLE, TusProtocol.VERSION)
            .set(HttpHeaderNames.CONTENT_LENGTH, 0)
            .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        cors(headers);
        return response;
    }

    /**
     * @return the answer to OPTIONS: tus discovery (versions, extensions, limits) and the CORS preflight.
     */
    FullHttpResponse options()
    {
        final FullHttpResponse response = empty(HttpResponseStatus.NO_CONTENT);
        response.headers().remove(HttpHeaderNames.CONTENT_LENGTH)
            .set(TusProtocol.TUS_VERSION, TusProtocol.VERSION)
            .set(TusProtocol.TUS_EXTENSION, TusProtocol.EXTENSIONS)
            .set(TusProtocol.TUS_MAX_SIZE, maxUploadBytes)
            .set(TusProtocol.TUS_CHECKSUM_ALGORITHM, UploadChecksum.SUPPORTED)
            .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS)
            .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS)
            .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE_SECONDS);
        return response;
    }

    /**
     * @param data the {@code data} member.
     * @return a JSON success envelope.
     */
    FullHttpResponse success(final HttpResponseStatus status, final ObjectNode data)
    {
        final ObjectNode envelope = json.createObjectNode();
        envelope.put("success", true);
        envelope.set("data", data);
        return withJson(status, envelope);
    }

    /**
     * @param refusal what went wrong.
     * @return a JSON error envelope, with {@code Tus-Version} on 412 as tus requires.
     */
    FullHttpResponse error(final UploadException refusal)
    {
        final ObjectNode envelope = json.createObjectNode();
        envelope.put("success", false);
        final ObjectNode error = envelope.putObject("error");
        error.put("code", refusal.code());
        error.put("message", refusal.getMessage());
        final FullHttpResponse response = withJson(refusal.status(), envelope);
        if (refusal.status() == HttpResponseStatus.PRECONDITION_FAILED)
        {
            response.headers().set(TusProtocol.TUS_VERSION, TusProtocol.VERSION);
        }
        return response;
    }

    private FullHttpResponse withJson(final HttpResponseStatus status, final ObjectNode body)
    {
        final byte[] bytes;
        try
        {
            bytes = json.writeValueAsBytes(body);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("a tree of strings and numbers always serialises", ex);
        }
        final FullHttpResponse response = empty(status).replace(Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
            .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return response;
    }

    /**
     * Add where an upload stands: offset, length, metadata, expiry, Bifrost's status and rejection code.
     */
    static void state(final HttpHeaders headers, final UploadState state)
    {
        headers.set(TusProtocol.UPLOAD_OFFSET, state.offset())
            .set(TusProtocol.UPLOAD_LENGTH, state.length())
            .set(TusProtocol.UPLOAD_STATUS, state.status().label())
            .set(TusProtocol.VIDEO_ID, state.videoId());
        if (!state.metadata().isEmpty())
        {
            headers.set(TusProtocol.UPLOAD_METADATA, TusUploads.metadataOf(state).toHeader());
        }
        if (state.status() == UploadState.Status.UPLOADING)
        {
            headers.set(TusProtocol.UPLOAD_EXPIRES, DateFormatter.format(new Date(state.expiresAtMs())));
        }
        if (state.rejectionCode() != null)
        {
            headers.set(TusProtocol.REJECTION_CODE, state.rejectionCode());
        }
    }

    private void cors(final HttpHeaders headers)
    {
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, corsOrigin)
            .set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_HEADERS);
        if (!"*".equals(corsOrigin))
        {
            headers.set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        }
    }
}
