package io.bifrost.ingest.sink;

/**
 * Opens a {@link MediaSink} for each accepted publish (after the key is authorized and known not to be live; the
 * request carries the authorized {@link PublishRequest#streamId()}). Called on the publisher's event loop or the SRT
 * bridge's thread; must not block.
 */
@FunctionalInterface
public interface MediaSinkFactory
{
    /**
     * @param request the accepted publish.
     * @param demand  the handle the sink calls to resume after it paused.
     * @return the sink for this stream.
     */
    MediaSink open(PublishRequest request, SinkDemand demand);
}
