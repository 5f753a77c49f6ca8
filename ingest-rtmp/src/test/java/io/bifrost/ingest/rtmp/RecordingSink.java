package io.bifrost.ingest.rtmp;

import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.SinkDemand;
import io.bifrost.ingest.sink.StreamEndReason;
import io.netty.buffer.ByteBufUtil;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A sink that keeps a copy of every tag it gets, for assertions from the test thread.
 */
final class RecordingSink implements MediaSink
{
    /** A tag as the sink saw it, payload copied out. */
    record Received(FlvTag tag, byte[] payload)
    {
    }

    final PublishRequest request;
    final SinkDemand demand;
    final List<Received> tags = new CopyOnWriteArrayList<>();
    final AtomicReference<StreamEndReason> ended = new AtomicReference<>();

    RecordingSink(final PublishRequest request, final SinkDemand demand)
    {
        this.request = request;
        this.demand = demand;
    }

    @Override
    public boolean onTag(final FlvTag tag)
    {
        tags.add(new Received(tag, ByteBufUtil.getBytes(tag.payload())));
        return true;
    }

    @Override
    public void onEnd(final StreamEndReason reason)
    {
        ended.compareAndSet(null, reason);
    }

    List<Received> video()
    {
        return tags.stream().filter(r -> r.tag().isVideo()).toList();
    }

    List<Received> audio()
    {
        return tags.stream().filter(r -> r.tag().isAudio()).toList();
    }

    /**
     * A factory that remembers every sink it opened.
     */
    static final class Factory implements MediaSinkFactory
    {
        final List<RecordingSink> sinks = new CopyOnWriteArrayList<>();

        @Override
        public MediaSink open(final PublishRequest request, final SinkDemand demand)
        {
            final RecordingSink sink = new RecordingSink(request, demand);
            sinks.add(sink);
            return sink;
        }

        RecordingSink last()
        {
            return sinks.get(sinks.size() - 1);
        }
    }
}
