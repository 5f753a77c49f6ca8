/**
 * Aeron stream ids, ports, term lengths and channel strings shared by the origin, the edges and the control plane
 * ({@link io.bifrost.protocol.aeron.AeronChannels}). The messages on those streams are the SBE codecs generated into
 * {@code io.bifrost.protocol.sbe} from {@code src/main/sbe/bifrost-messages.xml}.
 */
package io.bifrost.protocol.aeron;
