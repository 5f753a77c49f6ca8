package io.bifrost.ingest.sink;

import io.bifrost.ingest.rtmp.flv.FlvTag;

/**
 * The sink of a live-only ingest that has nowhere else to send a stream ({@code ingest.recording=false} and no relay
 * or packager): the publish is accepted, checked, reported live and offline like any other, and every tag is parsed
 * and then dropped, as nginx-rtmp's {@code live on; record off;} does with no player attached. Never pauses the
 * publisher. Stateless: one sink serves every stream, so a publish allocates nothing here. Thread-safe.
 */
public final class DiscardingSinkFactory implements MediaSinkFactory
{
    /** The one instance. */
    public static final DiscardingSinkFactory INSTANCE = new DiscardingSinkFactory();

    private static final MediaSink DISCARD = new MediaSink()
    {
        @Override
        public boolean onTag(final FlvTag tag)
        {
            return true;
        }

        @Override
        public void onEnd(final StreamEndReason reason)
        {
        }
    };

    private DiscardingSinkFactory()
    {
    }

    @Override
    public MediaSink open(final PublishRequest request, final SinkDemand demand)
    {
        return DISCARD;
    }
}
