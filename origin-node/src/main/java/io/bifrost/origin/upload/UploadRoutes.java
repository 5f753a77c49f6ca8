package io.bifrost.origin.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bifrost.origin.upload.UploadState.Status;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * What each upload request means and how it is answered (tus 1.0.0 core, creation, termination, checksum, expiration,
 * plus the seed's upload-url API and a JSON status view). Stateless; called on event loops; anything that touches the
 * disk is handed to the service and completes asynchronously. The PATCH body itself is streamed by
 * {@link TusUploadHandler} through a {@link PatchWriter}.
 */
final class UploadRoutes
{
    /** tus upload collection; uploads are {@code /api/v1/uploads/{id}}. */
    static final String UPLOADS_PATH = "/api/v1/uploads";
    /** The seed's upload session API. */
    static final String UPLOAD_URL_PATH = "/api/v1/videos/upload-url";

    private static final Pattern HOST = Pattern.compile("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}])(:[0-9]{1,5})?");

    /** What a request asks for. */
    enum Kind
    {
        OPTIONS, UPLOAD_URL, CREATE, HEAD, STATUS, PATCH, DELETE
    }

    /**
     * @param kind     what is asked.
     * @param uploadId the upload named in the path, or null.
     */
    record Route(Kind kind, String uploadId)
    {
    }

    /**
     * A PATCH that may start: the caller holds the upload's lock.
     *
     * @param upload   the upload.
     * @param offset   where the body goes.
     * @param checksum the body's expected checksum, or null.
     */
    record PatchStart(Upload upload, long offset, UploadChecksum checksum)
    {
    }

    private final TusUploads service;
    private final UploadResponses responses;
    private final UploadContext context;

    UploadRoutes(final TusUploads service, final ObjectMapper json)
    {
        this.service = service;
        this.context = service.context();
        this.responses = new UploadResponses(json, context.corsAllowOrigin(), context.maxUploadBytes());
    }

    UploadResponses responses()
    {
        return responses;
    }

    /**
     * @param uri a request URI.
     * @return true when the upload service answers it.
     */
    static boolean handles(final String uri)
    {
        final String path = pathOf(uri);
        return path.equals(UPLOAD_URL_PATH) || path.equals(UPLOADS_PATH) || path.startsWith(UPLOADS_PATH + "/");
    }

    private static String pathOf(final String uri)
    {
        final int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /**
     * @return the route of a request this service {@link #handles}.
     * @throws UploadException 404, 405 or 412 (wrong {@code Tus-Resumable}).
     */
    static Route route(final HttpRequest request) throws UploadException
    {
        final String path = pathOf(request.uri());
        HttpMethod method = request.method();
        final String override = request.headers().get(TusProtocol.METHOD_OVERRIDE);
        if (override != null && HttpMethod.POST.equals(method))
        {
            try
            {
                method = HttpMethod.valueOf(override.strip().toUpperCase(Locale.ROOT));
            }
            catch (final IllegalArgumentException ex)
            {
                throw UploadException.badRequest("request.bad_method_override", "X-HTTP-Method-Override is not a method");
            }
        }
        if (HttpMethod.OPTIONS.equals(method))
        {
            return new Route(Kind.OPTIONS, null);
        }
        if (path.equals(UPLOAD_URL_PATH))
        {
            requireMethod(method, HttpMethod.POST);
            return new Route(Kind.UPLOAD_URL, null);
        }
        if (path.equals(UPLOADS_PATH) || path.equals(UPLOADS_PATH + "/"))
        {
            requireMethod(method, HttpMethod.POST);
            requireTusResumable(request);
            return new Route(Kind.CREATE, null);
        }
        final String id = path.substring(UPLOADS_PATH.length() + 1);
        if (!UploadStore.ID.matcher(id).matches())
        {
            throw new UploadException(HttpResponseStatus.NOT_FOUND, "upload.not_found", "no such upload");
        }
        if (HttpMethod.GET.equals(method))
        {
            return new Route(Kind.STATUS, id);
        }
        final Kind kind;
        if (HttpMethod.HEAD.equals(method))
        {
            kind = Kind.HEAD;
        }
        else if (HttpMethod.PATCH.equals(method))
        {
            kind = Kind.PATCH;
        }
        else if (HttpMethod.DELETE.equals(method))
        {
            kind = Kind.DELETE;
        }
        else
        {
            throw notAllowed(method);
        }
        requireTusResumable(request);
        return new Route(kind, id);
    }

    private static void requireMethod(final HttpMethod method, final HttpMethod expected) throws UploadException
    {
        if (!expected.equals(method))
        {
            throw notAllowed(method);
        }
    }

    private static UploadException notAllowed(final HttpMethod method)
    {
        return new UploadException(HttpResponseStatus.METHOD_NOT_ALLOWED, "request.method_not_allowed",
            method.name() + " is not allowed here");
    }

    private static void requireTusResumable(final HttpRequest request) throws UploadException
    {
        if (!TusProtocol.VERSION.equals(request.headers().get(TusProtocol.TUS_RESUMABLE)))
        {
            throw new UploadException(HttpResponseStatus.PRECONDITION_FAILED, "tus.unsupported_version",
                "Tus-Resumable must be " + TusProtocol.VERSION);
        }
    }

    /**
     * Answer a request whose body (at most {@link UploadUrlRequest#MAX_BODY_BYTES}, else empty) has fully arrived.
     *
     * @return the response, completing on any thread.
     * @throws UploadException when refused before any asynchronous step.
     */
    CompletableFuture<FullHttpResponse> answer(final Route route, final HttpRequest request, final byte[] body)
        throws UploadException
    {
        return switch (route.kind())
        {
            case OPTIONS -> CompletableFuture.completedFuture(responses.options());
            case UPLOAD_URL -> uploadUrl(request, body);
            case CREATE -> create(request);
            case HEAD -> CompletableFuture.completedFuture(head(route.uploadId()));
            case STATUS -> CompletableFuture.completedFuture(status(route.uploadId()));
            case DELETE -> terminate(route.uploadId());
            case PATCH -> throw new IllegalStateException("PATCH bodies are streamed, not answered here");
        };
    }

    private CompletableFuture<FullHttpResponse> create(final HttpRequest request) throws UploadException
    {
        final HttpHeaders headers = request.headers();
        if (headers.contains(TusProtocol.UPLOAD_DEFER_LENGTH))
        {
            throw UploadException.badRequest("tus.defer_length_unsupported",
                "Upload-Defer-Length is not supported; send Upload-Length");
        }
        final String length = headers.get(TusProtocol.UPLOAD_LENGTH);
        if (length == null)
        {
            throw UploadException.badRequest("tus.missing_length", "Upload-Length is required");
        }
        final long bytes = TusProtocol.parseNonNegative(TusProtocol.UPLOAD_LENGTH, length);
        final UploadMetadata metadata = UploadMetadata.parse(headers.get(TusProtocol.UPLOAD_METADATA));
        final String base = baseUrl(request);
        return service.create(bytes, metadata).thenApply(state ->
        {
            final FullHttpResponse response = responses.empty(HttpResponseStatus.CREATED);
            response.headers().set(HttpHeaderNames.LOCATION, base + UPLOADS_PATH + "/" + state.uploadId())
                .set(TusProtocol.UPLOAD_EXPIRES, DateFormatter.format(new Date(state.expiresAtMs())))
                .set(TusProtocol.VIDEO_ID, state.videoId());
            return response;
        });
    }

    private CompletableFuture<FullHttpResponse> uploadUrl(final HttpRequest request, final byte[] body)
        throws UploadException
    {
        final UploadUrlRequest parsed = UploadUrlRequest.parse(responses.json(), body);
        final String base = baseUrl(request);
        return service.create(parsed.fileSize(), parsed.metadata()).thenApply(state ->
        {
            final ObjectNode data = responses.json().createObjectNode();
            data.put("upload_id", state.uploadId());
            data.put("upload_url", base + UPLOADS_PATH + "/" + state.uploadId());
            data.put("video_id", state.videoId());
            data.put("expires_at", Instant.ofEpochMilli(state.expiresAtMs()).truncatedTo(ChronoUnit.SECONDS).toString());
            data.put("chunk_size", context.chunkSizeBytes());
            data.put("protocol", "tus/" + TusProtocol.VERSION);
            return responses.success(HttpResponseStatus.CREATED, data);
        });
    }

    private FullHttpResponse head(final String uploadId)
    {
        final Upload upload = service.lookup(uploadId);
        if (upload == null)
        {
            return responses.empty(HttpResponseStatus.NOT_FOUND);
        }
        final UploadState state = upload.state();
        final FullHttpResponse response = responses.empty(
            state.status().isTombstone() || isExpired(state) ? HttpResponseStatus.GONE : HttpResponseStatus.OK);
        UploadResponses.state(response.headers(), state);
        return response;
    }

    private FullHttpResponse status(final String uploadId) throws UploadException
    {
        final Upload upload = service.lookup(uploadId);
        if (upload == null)
        {
            throw new UploadException(HttpResponseStatus.NOT_FOUND, "upload.not_found", "no such upload");
        }
        final UploadState state = upload.state();
        final ObjectNode data = responses.json().createObjectNode();
        data.put("upload_id", state.uploadId());
        data.put("video_id", state.videoId());
        data.put("status", isExpired(state) ? Status.EXPIRED.label() : state.status().label());
        data.put("offset", state.offset());
        data.put("length", state.length());
        if (state.status() == Status.UPLOADING)
        {
            data.put("expires_at", Instant.ofEpochMilli(state.expiresAtMs()).truncatedTo(ChronoUnit.SECONDS).toString());
        }
        final ObjectNode metadata = data.putObject("metadata");
        for (final Map.Entry<String, String> pair : state.metadata().entrySet())
        {
            metadata.put(pair.getKey(), pair.getValue());
        }
        if (state.rejectionCode() != null)
        {
            final ObjectNode error = data.putObject("error");
            error.put("code", state.rejectionCode());
            error.put("message", state.rejectionMessage());
        }
        return responses.success(HttpResponseStatus.OK, data);
    }

    private CompletableFuture<FullHttpResponse> terminate(final String uploadId) throws UploadException
    {
        final Upload upload = writable(uploadId);
        if (!upload.tryLock())
        {
            throw locked();
        }
        return service.terminate(upload).thenApply(done -> responses.empty(HttpResponseStatus.NO_CONTENT));
    }

    /**
     * Check a PATCH and take the upload's lock.
     *
     * @return where the body goes; the caller must hand the lock to a {@link PatchWriter}.
     * @throws UploadException 404/410 unknown or gone, 403 finished, 415 wrong content type, 409 offset mismatch, 413
     *                         body beyond the upload's length, 423 another request holds the upload.
     */
    PatchStart preparePatch(final Route route, final HttpRequest request) throws UploadException
    {
        final Upload upload = writable(route.uploadId());
        final HttpHeaders headers = request.headers();
        final String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || !TusProtocol.OFFSET_OCTET_STREAM.equalsIgnoreCase(contentType.strip()))
        {
            throw new UploadException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "tus.bad_content_type",
                "PATCH requires Content-Type: " + TusProtocol.OFFSET_OCTET_STREAM);
        }
        final String offsetHeader = headers.get(TusProtocol.UPLOAD_OFFSET);
        if (offsetHeader == null)
        {
            throw UploadException.badRequest("tus.missing_offset", "Upload-Offset is required");
        }
        final long offset = TusProtocol.parseNonNegative(TusProtocol.UPLOAD_OFFSET, offsetHeader);
        final String checksumHeader = headers.get(TusProtocol.UPLOAD_CHECKSUM);
        final UploadChecksum checksum = checksumHeader == null ? null : UploadChecksum.parse(checksumHeader);
        final long declared = HttpUtil.getContentLength(request, -1L);
        final UploadState state = upload.state();
        if (declared > state.length() - offset)
        {
            throw new UploadException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "tus.too_large",
                "the body would end past Upload-Length " + state.length());
        }
        if (!upload.tryLock())
        {
            throw locked();
        }
        final long current = upload.state().offset();
        if (offset != current || upload.state().status() != Status.UPLOADING)
        {
            upload.unlock();
            throw new UploadException(HttpResponseStatus.CONFLICT, "tus.offset_mismatch",
                "Upload-Offset " + offset + " does not match the upload's offset " + current + "; HEAD it and resume");
        }
        return new PatchStart(upload, offset, checksum);
    }

    private Upload writable(final String uploadId) throws UploadException
    {
        final Upload upload = service.lookup(uploadId);
        if (upload == null)
        {
            throw new UploadException(HttpResponseStatus.NOT_FOUND, "upload.not_found", "no such upload");
        }
        final UploadState state = upload.state();
        if (state.status() == Status.REJECTED)
        {
            throw new UploadException(HttpResponseStatus.GONE, state.rejectionCode(), state.rejectionMessage());
        }
        if (state.status().isTombstone() || isExpired(state))
        {
            final Status gone = state.status().isTombstone() ? state.status() : Status.EXPIRED;
            throw new UploadException(HttpResponseStatus.GONE, "upload." + gone.label(), "the upload was " +
                gone.label() + "; start a new one");
        }
        if (state.status() != Status.UPLOADING)
        {
            throw new UploadException(HttpResponseStatus.FORBIDDEN, "upload.finished",
                "the upload is complete (" + state.status().label() + ")");
        }
        return upload;
    }

    private boolean isExpired(final UploadState state)
    {
        return state.status() == Status.UPLOADING && state.expiresAtMs() <= context.clock().getAsLong();
    }

    private static UploadException locked()
    {
        return new UploadException(TusProtocol.LOCKED, "upload.locked",
            "another request is writing this upload; retry shortly");
    }

    private String baseUrl(final HttpRequest request)
    {
        if (context.publicUrl() != null)
        {
            return context.publicUrl();
        }
        final String host = request.headers().get(HttpHeaderNames.HOST);
        return host != null && HOST.matcher(host).matches() ? "http://" + host : "";
    }
}
