package io.bifrost.control.stream;

import io.bifrost.control.http.ApiException;
import io.bifrost.control.http.JsonBody;

/**
 * A validated {@code POST /api/v1/internal/streams/authorize} body from an ingest node. Unknown fields are ignored, so
 * ingest nodes may send more than this version reads.
 *
 * @param streamKey     the key the publisher presented (any string up to 256 characters; its shape is not checked
 *                      here, an unrecognisable key is simply unknown).
 * @param protocol      how the publisher connected.
 * @param remoteAddress the publisher's address as the ingest node saw it, for logs, or null.
 */
public record AuthorizeRequest(String streamKey, IngestProtocol protocol, String remoteAddress)
{
    /** Longest stream key looked up. */
    static final int MAX_KEY_LENGTH = 256;

    /**
     * @param body the request body.
     * @return the validated request.
     * @throws ApiException 400 {@code request.invalid} for a body that is not a JSON object, a missing or non-string
     *                      {@code stream_key}, or a {@code protocol} other than rtmp, rtmps or srt.
     */
    public static AuthorizeRequest fromJson(final byte[] body)
    {
        final JsonBody json = JsonBody.parse(body, null, "request.invalid");
        final String key = json.requiredText("stream_key", "request.invalid");
        if (key.length() > MAX_KEY_LENGTH)
        {
            throw ApiException.badRequest("request.invalid", "'stream_key' is longer than " + MAX_KEY_LENGTH + " characters");
        }
        final String protocolLabel = json.requiredText("protocol", "request.invalid");
        final IngestProtocol protocol = IngestProtocol.fromLabel(protocolLabel);
        if (protocol == null)
        {
            throw ApiException.badRequest("request.invalid", "'protocol' must be rtmp, rtmps or srt");
        }
        final String remote = json.optionalText("remote_address", "request.invalid");
        return new AuthorizeRequest(key, protocol, remote == null ? null : JsonBody.abbreviate(remote));
    }
}
