/**
 * The origin's end of the ingest-to-origin relay: {@link io.bifrost.origin.live.relay.RelayReceiver} listens on its
 * own port for {@code POST /internal/v1/live/{streamId}/flv} from ingest nodes on other hosts, checks the shared
 * secret, parses the FLV body as it arrives ({@link io.bifrost.origin.live.relay.RelayFlvDecoder}) and feeds the same
 * live ingest a local publisher would ({@code LiveIngestSinkFactory}), with each tag's arrival time at the ingest. The
 * wire format is {@code io.bifrost.ingest.relay.RelayWire}.
 */
package io.bifrost.origin.live.relay;
