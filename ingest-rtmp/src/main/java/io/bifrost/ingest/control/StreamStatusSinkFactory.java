package io.bifrost.ingest.control;

import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.SinkDemand;
import io.bifrost.ingest.sink.StreamEndReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * Wraps the node's sinks so the control plane hears when a stream goes {@code live} (its sink opened) and
 * {@code offline} (its sink ended). Reports are asynchronous; the client's status queue keeps one call per stream
 * in flight, so the control plane never sees them in the wrong order, and sends only the latest state when both
 * wait (a mass disconnect). Thread-safe.
 */
public final class StreamStatusSinkFactory implements MediaSinkFactory
{
    /** Status of a stream that is being published. */
    public static final String LIVE = "live";
    /** Status of a stream whose publisher left. */
    public static final String OFFLINE = "offline";

    private static final Logger LOG = LoggerFactory.getLogger(StreamStatusSinkFactory.class);

    private final ControlPlaneClient client;
    private final MediaSinkFactory delegate;

    /**
     * @param client   the control plane.
     * @param delegate the sinks that receive the media.
     */
    public StreamStatusSinkFactory(final ControlPlaneClient client, final MediaSinkFactory delegate)
    {
        this.client = client;
        this.delegate = delegate;
    }

    @Override
    public MediaSink open(final PublishRequest request, final SinkDemand demand)
    {
        final MediaSink inner = delegate.open(request, demand);
        report(request, LIVE);
        return new MediaSink()
        {
            @Override
            public boolean onTag(final FlvTag tag)
            {
                return inner.onTag(tag);
            }

            @Override
            public void onEnd(final StreamEndReason reason)
            {
                try
                {
                    inner.onEnd(reason);
                }
                finally
                {
                    report(request, OFFLINE);
                }
            }
        };
    }

    private CompletableFuture<Boolean> report(final PublishRequest request, final String status)
    {
        try
        {
            return client.reportStatus(request.streamId(), status, request.protocol());
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("ingest: status '{}' of {} not sent: {}", status, request.streamId(), ex.toString());
            return CompletableFuture.completedFuture(false);
        }
    }
}
