package io.bifrost.ingest.srt;

import io.bifrost.ingest.rtmp.session.PublishRegistry;
import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What an {@link SrtBridge} listens on and where its publishes go. Immutable.
 *
 * @param ffmpeg        the ffmpeg executable (built with libsrt, as Debian's 5.1 is).
 * @param bindAddress   the address the SRT listener binds (UDP).
 * @param port          the SRT port (UDP), 1..65535.
 * @param latencyMs     the SRT receiver latency (SRTO_RCVLATENCY) in milliseconds; the connection uses the larger of
 *                      this and the caller's own latency.
 * @param maxTagBytes   the largest FLV tag accepted from the bridge.
 * @param authorizer    decides on stream keys.
 * @param sinkFactory   opens the sinks of an accepted publish.
 * @param registry      the node's live keys (shared with RTMP).
 * @param meterRegistry where the counters go.
 */
public record SrtSettings(
    String ffmpeg,
    String bindAddress,
    int port,
    int latencyMs,
    int maxTagBytes,
    StreamKeyAuthorizer authorizer,
    MediaSinkFactory sinkFactory,
    PublishRegistry registry,
    MeterRegistry meterRegistry)
{
    /**
     * How long one ffmpeg listener waits for a caller before it exits and a fresh one takes its place, milliseconds.
     * It bounds how long an ffmpeg orphaned by a killed JVM keeps the SRT port.
     */
    public static final long LISTEN_RECYCLE_MS = 60_000;

    /**
     * @return the ffmpeg input URL: listener mode, receiver latency and listen timeout in microseconds (ffmpeg's
     * unit for SRT).
     */
    public String listenUrl()
    {
        final String host = bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
        return "srt://" + host + ":" + port + "?mode=listener&transtype=live&latency=" + (latencyMs * 1000L) +
            "&listen_timeout=" + (LISTEN_RECYCLE_MS * 1000L);
    }
}
