/**
 * The ingest-to-origin relay: when the ingest and the origin run on different hosts, every published stream is sent
 * to the origin as one chunked HTTP/1.1 request ({@code POST /internal/v1/live/{streamId}/flv}) whose body is an FLV
 * stream in which each tag is preceded by a small script-data tag carrying the moment the tag reached the ingest
 * ({@link io.bifrost.ingest.relay.RelayWire}). {@link io.bifrost.ingest.relay.OriginRelaySinkFactory} is the
 * {@code MediaSinkFactory}; settings in {@link io.bifrost.ingest.relay.OriginRelayContext}. The origin's side lives in
 * origin-node ({@code io.bifrost.origin.live.relay}).
 */
package io.bifrost.ingest.relay;
