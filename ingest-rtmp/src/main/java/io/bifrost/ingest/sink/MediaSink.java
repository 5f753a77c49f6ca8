package io.bifrost.ingest.sink;

import io.bifrost.ingest.rtmp.flv.FlvTag;

/**
 * Receives the FLV tags of one published stream, in the order the publisher sent them, then exactly one
 * {@link #onEnd}.
 *
 * <p>Threading: calls come one at a time, from the publisher connection's Netty event loop (RTMP, RTMPS) or from the
 * SRT bridge's thread; an implementation must not block either. Backpressure: {@link #onTag} returns whether the sink can take the next tag now. After
 * {@code false} the session stops reading from the socket (Netty autoRead off), queues at most what was already
 * decoded (bounded by {@code RtmpLimits.maxPendingSinkBytes}, past which the connection is closed), and delivers
 * nothing more until the sink calls {@link SinkDemand#resume()}; the SRT bridge stops reading its pipe. Nothing is
 * dropped on the way. Several sinks per stream: {@link FanOutSinkFactory}.
 *
 * <p>Ownership: a tag's payload is valid only during the {@code onTag} call (see {@link FlvTag}).
 */
public interface MediaSink
{
    /**
     * @param tag the next tag; its timestamps are 64-bit and do not wrap.
     * @return true to receive the next tag straight away, false to pause until {@link SinkDemand#resume()}.
     */
    boolean onTag(FlvTag tag);

    /**
     * The stream ended; no more calls follow. The stream key is free to publish again when this is called.
     *
     * @param reason why it ended.
     */
    void onEnd(StreamEndReason reason);
}
