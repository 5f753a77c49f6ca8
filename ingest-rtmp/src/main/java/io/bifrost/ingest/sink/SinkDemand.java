package io.bifrost.ingest.sink;

/**
 * The handle a {@link MediaSink} uses to steer its publish: ask for more tags after it returned {@code false} from
 * {@link MediaSink#onTag} ({@link #resume()}), or end the publish when the sink cannot go on and the stream is
 * pointless without it ({@link #abort(String)}: the relay to the origin gave up). Thread-safe: call either from any
 * thread, as often as needed.
 */
@FunctionalInterface
public interface SinkDemand
{
    /**
     * The sink can take tags again: the session delivers what it queued, then reads from the socket again.
     */
    void resume();

    /**
     * End the publish: the publisher is told why (RTMP: {@code onStatus} level {@code error}, code
     * {@code NetStream.Failed}, with {@code reason} as its description, then the connection is closed, counted as
     * {@code bifrost.rtmp.rejected{reason=sink-aborted}}; SRT: the bridge's ffmpeg listener is stopped, which drops the
     * caller, counted as {@code bifrost.ingest.srt.rejected{reason=sink-aborted}}), and every sink of the stream gets
     * {@link MediaSink#onEnd} with {@link StreamEndReason#ABORTED}; the control plane hears the stream go
     * {@code offline}, and the key is free to publish again (an encoder's auto-reconnect can try at once).
     * {@code NetStream.Failed} rather than a {@code NetStream.Publish.*} code: it is the code librtmp (and so OBS)
     * closes its connection on, and ffmpeg prints the description of any error status as {@code Server error: ...}
     * (its first 255 characters: put what to do first). Asynchronous: tags already on their way may still
     * reach the sink before {@code onEnd}; it should drop them. Several calls end it once.
     *
     * <p>The default ends nothing and answers false: a handle with no publisher behind it (a test harness, a sink
     * nested where the owner decides). A sink that gets false must refuse the stream itself.
     *
     * @param reason why, phrased for the publisher and the operator (e.g. which origin was unreachable for how long).
     * @return true when the publish will end, false when this handle cannot end it.
     */
    default boolean abort(final String reason)
    {
        return false;
    }
}
