package io.bifrost.ingest.sink;

import java.net.SocketAddress;
import java.util.List;

/**
 * A publisher's request to push a live stream: {@code rtmp://host:1935/{app}/{streamKey}?{query}} (or SRT with the
 * key in its stream id). Immutable.
 *
 * @param app         the application from connect (e.g. {@code live}).
 * @param streamKey   the publish name without its query string; the key that is authorized and kept unique.
 * @param query       the query string after {@code ?} without the {@code ?}, empty when there is none.
 * @param tcUrl       the tcUrl the client sent in connect, empty when absent.
 * @param remote      the publisher's address; null when the bridge cannot know it (SRT).
 * @param fourCcList  the Enhanced RTMP FourCCs the client announced in connect, empty for a legacy client.
 * @param protocol    how the publisher reached the node.
 * @param streamId    the stream id once authorized (what sinks name files and playlists after), null before.
 * @param passthrough whether the authorized stream skips transcoding; false before authorization.
 */
public record PublishRequest(
    String app,
    String streamKey,
    String query,
    String tcUrl,
    SocketAddress remote,
    List<String> fourCcList,
    IngestProtocol protocol,
    String streamId,
    boolean passthrough)
{
    /**
     * @param authorization the accepting answer.
     * @return this request with the stream id and passthrough flag of {@code authorization}.
     */
    public PublishRequest authorized(final StreamAuthorization authorization)
    {
        return new PublishRequest(app, streamKey, query, tcUrl, remote, fourCcList, protocol,
            authorization.streamId(), authorization.passthrough());
    }
}
