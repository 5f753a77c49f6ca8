package io.bifrost.ingest.sink;

/**
 * The handle a {@link MediaSink} uses to ask for more tags after it returned {@code false} from
 * {@link MediaSink#onTag}. Thread-safe: call {@link #resume()} from any thread, as often as needed.
 */
@FunctionalInterface
public interface SinkDemand
{
    /**
     * The sink can take tags again: the session delivers what it queued, then reads from the socket again.
     */
    void resume();
}
