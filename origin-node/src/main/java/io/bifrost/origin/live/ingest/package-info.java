/**
 * The ingest side of the live pipeline: {@link io.bifrost.origin.live.ingest.LiveIngestSinkFactory} is the
 * {@code MediaSinkFactory} the RTMP/SRT ingest hands every accepted publish to. Each publish gets a bounded queue
 * (backpressure to the publisher), a writer thread that learns the source from its first tags, and a
 * {@link io.bifrost.origin.live.ingest.LiveProducer}: the live transcoder or the passthrough muxer, chosen per
 * publish ({@link io.bifrost.origin.live.ingest.LiveMode}). Settings: {@link io.bifrost.origin.live.ingest.LiveIngestContext}.
 */
package io.bifrost.origin.live.ingest;
