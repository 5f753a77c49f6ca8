package io.bifrost.ingest.sink;

import io.bifrost.ingest.rtmp.flv.FlvTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Gives every published stream several sinks (the recorder now; the live packager and transcoder later), each tag
 * handed to all of them in order.
 *
 * <p>Backpressure: the fan-out pauses the session when any sink pauses, and resumes it once every sink that paused
 * has called {@link SinkDemand#resume()}. A resume that races with the {@code false} it answers is never lost: each
 * sink's resumes are counted, and a sink counts as paused only while no resume came after the call that returned
 * {@code false}. Nothing is dropped. A sink that throws from {@code onTag} or {@code onEnd} is logged and dropped from
 * that stream; the others carry on. A sink that aborts ({@link SinkDemand#abort}) aborts the whole publish: every
 * sink of the stream gets {@code onEnd(ABORTED)}. Sinks are peers here, and one that cannot go on (the relay that is
 * the stream's only way to viewers) decides for all; a sink whose loss should not end the stream must not abort.
 */
public final class FanOutSinkFactory implements MediaSinkFactory
{
    private static final Logger LOG = LoggerFactory.getLogger(FanOutSinkFactory.class);

    private final List<MediaSinkFactory> factories;

    /**
     * @param factories the sinks every stream gets, in delivery order; at least one.
     */
    public FanOutSinkFactory(final List<MediaSinkFactory> factories)
    {
        if (factories.isEmpty())
        {
            throw new IllegalArgumentException("a fan-out needs at least one sink factory");
        }
        this.factories = List.copyOf(factories);
    }

    @Override
    public MediaSink open(final PublishRequest request, final SinkDemand demand)
    {
        if (1 == factories.size())
        {
            return factories.get(0).open(request, demand);
        }
        final FanOut fanOut = new FanOut(request, demand, factories.size());
        final List<MediaSink> opened = new ArrayList<>(factories.size());
        try
        {
            for (int i = 0; i < factories.size(); i++)
            {
                opened.add(factories.get(i).open(request, fanOut.demand(i)));
            }
        }
        catch (final RuntimeException ex)
        {
            for (final MediaSink sink : opened)
            {
                sink.onEnd(StreamEndReason.PROTOCOL_ERROR);
            }
            throw ex;
        }
        fanOut.sinks = opened.toArray(new MediaSink[0]);
        return fanOut;
    }

    private static final class FanOut implements MediaSink
    {
        private final PublishRequest request;
        private final SinkDemand upstream;
        private final AtomicIntegerArray resumes;
        private final AtomicIntegerArray pausedAtResume;
        private final AtomicBoolean paused = new AtomicBoolean();
        private final boolean[] failed;
        private MediaSink[] sinks;

        FanOut(final PublishRequest request, final SinkDemand upstream, final int count)
        {
            this.request = request;
            this.upstream = upstream;
            this.resumes = new AtomicIntegerArray(count);
            this.pausedAtResume = new AtomicIntegerArray(count);
            this.failed = new boolean[count];
            for (int i = 0; i < count; i++)
            {
                pausedAtResume.set(i, -1);
            }
        }

        @Override
        public boolean onTag(final FlvTag tag)
        {
            for (int i = 0; i < sinks.length; i++)
            {
                if (failed[i])
                {
                    continue;
                }
                final int before = resumes.get(i);
                try
                {
                    if (!sinks[i].onTag(tag))
                    {
                        pausedAtResume.set(i, before);
                    }
                }
                catch (final RuntimeException ex)
                {
                    failed[i] = true;
                    pausedAtResume.set(i, -1);
                    LOG.warn("ingest: sink {} of {} failed and is dropped from the stream", i, request.streamId(), ex);
                }
            }
            if (nonePaused())
            {
                return true;
            }
            paused.set(true);
            // a resume may have come between the check above and the flag: then whoever clears the flag goes on
            return nonePaused() && paused.compareAndSet(true, false);
        }

        private boolean nonePaused()
        {
            for (int i = 0; i < pausedAtResume.length(); i++)
            {
                final int at = pausedAtResume.get(i);
                if (at >= 0 && resumes.get(i) == at)
                {
                    return false;
                }
            }
            return true;
        }

        SinkDemand demand(final int index)
        {
            return new SinkDemand()
            {
                @Override
                public void resume()
                {
                    onResume(index);
                }

                @Override
                public boolean abort(final String reason)
                {
                    return upstream.abort(reason);
                }
            };
        }

        void onResume(final int index)
        {
            resumes.incrementAndGet(index);
            if (nonePaused() && paused.compareAndSet(true, false))
            {
                upstream.resume();
            }
        }

        @Override
        public void onEnd(final StreamEndReason reason)
        {
            for (int i = 0; i < sinks.length; i++)
            {
                try
                {
                    sinks[i].onEnd(reason);
                }
                catch (final RuntimeException ex)
                {
                    LOG.warn("ingest: sink {} of {} failed in onEnd", i, request.streamId(), ex);
                }
            }
        }
    }
}
