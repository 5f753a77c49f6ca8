package io.bifrost.origin.live.ingest;

import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.sink.MediaSink;

/**
 * A {@link MediaSink} that can be told when a tag reached the ingest, for tags that travelled further before they got
 * here (the ingest-to-origin relay): the capture clock, and so EXT-X-PROGRAM-DATE-TIME, is then the moment the
 * publisher's tag reached the ingest host, not the moment the relay delivered it. Same contract as
 * {@link MediaSink#onTag}; {@link #onTag(FlvTag)} stamps the tag with the current time.
 */
public interface TimedMediaSink extends MediaSink
{
    /**
     * @param tag          the next tag; its payload is valid only during the call.
     * @param receivedAtMs when the tag reached the ingest, epoch milliseconds.
     * @return true to receive the next tag straight away, false to pause until the demand is resumed.
     */
    boolean onTag(FlvTag tag, long receivedAtMs);

    @Override
    default boolean onTag(final FlvTag tag)
    {
        return onTag(tag, System.currentTimeMillis());
    }
}
