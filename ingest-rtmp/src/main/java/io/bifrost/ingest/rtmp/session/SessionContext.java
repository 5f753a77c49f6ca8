package io.bifrost.ingest.rtmp.session;

import io.bifrost.ingest.rtmp.RtmpLimits;
import io.bifrost.ingest.rtmp.RtmpMetrics;
import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;

/**
 * What every session of one server shares. Immutable; the members are thread-safe.
 *
 * @param app                the only application publishers may connect to (e.g. {@code live}).
 * @param outboundChunkSize  the chunk size the server announces and sends with, bytes.
 * @param windowAckSizeBytes the acknowledgement window announced to clients, bytes.
 * @param limits             the input bounds.
 * @param authorizer         decides on stream keys.
 * @param sinkFactory        opens a sink per accepted publish.
 * @param registry           the live keys of this server.
 * @param metrics            the counters.
 * @param protocol           what publishers of this server are counted and authorized as (rtmp or rtmps).
 */
public record SessionContext(
    String app,
    int outboundChunkSize,
    int windowAckSizeBytes,
    RtmpLimits limits,
    StreamKeyAuthorizer authorizer,
    MediaSinkFactory sinkFactory,
    PublishRegistry registry,
    RtmpMetrics metrics,
    IngestProtocol protocol)
{
}
