package io.bifrost.control.stream;

import io.bifrost.control.http.ApiException;
import io.bifrost.control.http.JsonBody;

/**
 * A validated {@code POST /api/v1/internal/streams/{stream_id}/status} body from an ingest node. Unknown fields are
 * ignored.
 *
 * @param status   {@link StreamStatus#LIVE} or {@link StreamStatus#OFFLINE}.
 * @param protocol the publisher's protocol, or null when not given.
 */
public record StatusReport(StreamStatus status, IngestProtocol protocol)
{
    /**
     * @param body the request body.
     * @return the validated report.
     * @throws ApiException 400 {@code request.invalid} for a body that is not a JSON object, a {@code status} other
     *                      than live or offline, or a {@code protocol} other than rtmp, rtmps or srt.
     */
    public static StatusReport fromJson(final byte[] body)
    {
        final JsonBody json = JsonBody.parse(body, null, "request.invalid");
        final StreamStatus status = StreamStatus.fromLabel(json.requiredText("status", "request.invalid"));
        if (status != StreamStatus.LIVE && status != StreamStatus.OFFLINE)
        {
            throw ApiException.badRequest("request.invalid", "'status' must be live or offline");
        }
        final String protocolLabel = json.optionalText("protocol", "request.invalid");
        final IngestProtocol protocol = protocolLabel == null ? null : IngestProtocol.fromLabel(protocolLabel);
        if (protocolLabel != null && protocol == null)
        {
            throw ApiException.badRequest("request.invalid", "'protocol' must be rtmp, rtmps or srt");
        }
        return new StatusReport(status, protocol);
    }
}
