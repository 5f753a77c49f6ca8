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
     * {@code NetStream.Failed}, with {@code reason} as its description, then the connection is closed; SRT: the
     * bridge's ffmpeg listener is stopped, which drops the caller), and every sink of the stream gets
     * {@link MediaSink#onEnd} with {@link StreamEndReason#ABORTED}. Asynchronous: tags already on their way may still
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
