package io.bifrost.ingest.sink;

import java.net.SocketAddress;
import java.util.List;

/**
 * A publisher's request to push a live stream: {@code rtmp://host:1935/{app}/{streamKey}?{query}}.
 *
 * @param app         the application from connect (e.g. {@code live}).
 * @param streamKey   the publish name without its query string; the key that is authorized and kept unique.
 * @param query       the query string after {@code ?} without the {@code ?}, empty when there is none.
 * @param tcUrl       the tcUrl the client sent in connect, empty when absent.
 * @param remote      the publisher's address.
 * @param fourCcList  the Enhanced RTMP FourCCs the client announced in connect, empty for a legacy client.
 */
public record PublishRequest(
    String app, String streamKey, String query, String tcUrl, SocketAddress remote, List<String> fourCcList)
{
}
