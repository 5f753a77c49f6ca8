package io.bifrost.ingest.relay;

import io.bifrost.ingest.rtmp.RejectReason;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.VideoPacketKind;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.SinkDemand;
import io.bifrost.ingest.sink.StreamEndReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One published stream's relay to the origin. {@link #onTag} and {@link #onEnd} come from the publisher's thread; the
 * connection's events from the relay's event loop; the state between them is guarded by this object's monitor (held
 * briefly, never across I/O). Each tag is encoded once, as one HTTP chunk, into a pooled buffer that is written and,
 * while it belongs to the current group of pictures, kept (by reference) for a replay after a reconnect.
 */
final class RelayedStream implements MediaSink
{
    private static final Logger LOG = LoggerFactory.getLogger(RelayedStream.class);
    /** How long the origin has to answer the end of a relay before the connection is closed anyway. */
    private static final long END_ANSWER_TIMEOUT_MS = 10_000;

    private final OriginRelaySinkFactory factory;
    private final OriginRelayContext context;
    private final RelayMetrics metrics;
    private final PublishRequest request;
    private final String streamId;
    private final SinkDemand demand;
    private final RelayPause pause;
    private final GopCache gop;
    private final StreamConfigs configs = new StreamConfigs();
    private final RelayOutage outage;
    private boolean sawMedia;
    private Channel channel;
    private boolean connecting;
    private boolean needKeyframe;
    private boolean ended;
    private String failure;
    private boolean failureReported;
    private boolean aborted;

    RelayedStream(final OriginRelaySinkFactory factory, final PublishRequest request, final SinkDemand demand)
    {
        this.factory = factory;
        this.context = factory.context();
        this.metrics = factory.metrics();
        this.request = request;
        this.streamId = request.streamId();
        this.demand = demand;
        this.pause = new RelayPause(demand, metrics);
        this.gop = new GopCache(context.gopCacheBytes());
        this.outage = new RelayOutage(System.currentTimeMillis());
    }

    @Override
    public boolean onTag(final FlvTag tag)
    {
        final long now = System.currentTimeMillis();
        synchronized (this)
        {
            if (null != failure)
            {
                metrics.onDropped();
                if (!aborted && !failureReported)
                {
                    failureReported = true;
                    throw new RtmpProtocolException(RejectReason.PUBLISH_DENIED, failure);
                }
                return true;
            }
            if (ended)
            {
                return true;
            }
            if (StreamConfigs.isConfig(tag))
            {
                configs.keep(tag, now);
                if (null != channel && !needKeyframe)
                {
                    write(channel, RelayChunks.tag(tag.type().id(), tag.timestampMs(), tag.payload(), now));
                    return pause.writable(channel);
                }
                return true;
            }
            sawMedia = true;
            final boolean keyframe = tag.isVideo() && tag.keyframe() && VideoPacketKind.CODED_FRAME == tag.videoPacket();
            final ByteBuf chunk = RelayChunks.tag(tag.type().id(), tag.timestampMs(), tag.payload(), now);
            final boolean cached = gop.add(chunk, keyframe, tag.timestampMs(), now);
            if (null == channel)
            {
                chunk.release();
                if (!cached)
                {
                    metrics.onDropped();
                }
                giveUpIfDownTooLong(now);
                return true;
            }
            if (needKeyframe)
            {
                if (!keyframe)
                {
                    chunk.release();
                    metrics.onDropped();
                    return true;
                }
                needKeyframe = false;
                configs.forEach(tag.timestampMs(), now, config -> write(channel, config));
            }
            write(channel, chunk);
            return pause.writable(channel);
        }
    }

    @Override
    public void onEnd(final StreamEndReason reason)
    {
        final Channel open;
        synchronized (this)
        {
            if (ended)
            {
                return;
            }
            ended = true;
            gop.clear();
            open = channel;
            channel = null;
        }
        factory.forget(this);
        if (null != open)
        {
            LOG.info("relay {}: publish ended ({}), ending the request to the origin", streamId, reason);
            open.writeAndFlush(Unpooled.wrappedBuffer(RelayChunks.LAST_CHUNK));
            try
            {
                open.eventLoop().schedule(() -> open.close(), END_ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final RejectedExecutionException ex)
            {
                open.close(); // the relay is shutting down
            }
        }
    }

    /** Start (or retry) the connection; any thread. */
    void connect()
    {
        synchronized (this)
        {
            if (ended || null != failure || connecting || null != channel)
            {
                return;
            }
            connecting = true;
        }
        RelayDialer.dial(factory, this);
    }

    /** The server shuts down: end the request now. */
    void shutdown()
    {
        onEnd(StreamEndReason.SERVER_CLOSED);
    }

    /** A connection attempt failed (TCP or TLS): retried like an unreachable origin. Event loop. */
    void onConnectFailed(final String error)
    {
        metrics.onConnect(false);
        synchronized (this)
        {
            connecting = false;
            if (null != failure)
            {
                return;
            }
            if (outage.onConnectFailed(error))
            {
                LOG.warn("relay {}: cannot reach the origin at {}: {}; retrying for up to {} s", streamId,
                    context.originUrl(), error, context.reconnectTimeout().toSeconds());
            }
        }
        retryLater();
    }

    /** A connection is up (and verified, over TLS): send the request and what the origin needs first. Event loop. */
    void onConnected(final Channel ch)
    {
        metrics.onConnect(true);
        synchronized (this)
        {
            connecting = false;
            if (ended || null != failure)
            {
                ch.close();
                return;
            }
            ch.write(RelayChunks.requestHead(ch.alloc(), context, request));
            ch.write(RelayChunks.chunkOf(ch.alloc(), Unpooled.wrappedBuffer(RelayWire.FILE_HEADER)));
            final GopCache.CachedTag first = gop.first();
            if (null != first)
            {
                configs.forEach(first.timestampMs(), first.receivedAtMs(), chunk -> write(ch, chunk));
                metrics.onReplayed(gop.bytes());
                gop.replay(chunk -> write(ch, chunk));
                needKeyframe = false;
            }
            else if (sawMedia)
            {
                needKeyframe = true;
            }
            else
            {
                configs.forEach(-1, -1, chunk -> write(ch, chunk));
                needKeyframe = false;
            }
            ch.flush();
            final long downMs = outage.onConnected(System.currentTimeMillis());
            if (downMs >= 0)
            {
                LOG.info("relay {}: connected to the origin at {} after {} ms", streamId, context.originUrl(), downMs);
            }
            channel = ch;
        }
    }

    /** The origin answered; 200 ends a finished relay, anything else refuses it. Event loop. */
    void onResponse(final Channel ch, final int status)
    {
        if (200 == status || 204 == status)
        {
            ch.close();
            return;
        }
        metrics.onRefused(status);
        if (401 == status || 403 == status || 404 == status || 400 == status)
        {
            giveUp("the origin refused the relay of stream " + streamId + " with HTTP " + status +
                (401 == status || 403 == status ? " (ingest.relay-secret does not match origin.relay-secret)" : ""),
                false);
        }
        else
        {
            LOG.warn("relay {}: the origin answered HTTP {}; reconnecting", streamId, status);
        }
        ch.close();
    }

    /**
     * The connection closed; reconnect unless the stream ended or was given up. A connection the origin closed within
     * the connect timeout without a byte of answer did not end the outage (it still counts toward the reconnect
     * bound, and backs off), so an origin that drops every request at once is given up like an unreachable one; over
     * plain HTTP it is also probed once per outage for TLS ({@link TlsProbe}), which is what a TLS port does with a
     * plain request. The probe runs beside the next attempt, so a healthy origin's reconnect never waits for it.
     * Event loop.
     *
     * @param ch       the connection.
     * @param answered whether the origin sent any byte on it.
     */
    void onClosed(final Channel ch, final boolean answered)
    {
        final boolean probe;
        synchronized (this)
        {
            if (channel != ch)
            {
                return;
            }
            channel = null;
            metrics.onDisconnect();
            final RelayOutage.Close close = outage.onClosed(answered, System.currentTimeMillis(),
                context.connectTimeout().toMillis());
            probe = RelayOutage.Close.SILENT_FIRST == close && null == context.sslContext();
            if (RelayOutage.Close.DROPPED == close)
            {
                LOG.warn("relay {}: the connection to the origin dropped mid-stream; reconnecting", streamId);
            }
            else if (RelayOutage.Close.SILENT_FIRST == close)
            {
                LOG.warn("relay {}: the origin at {} closed the connection at once without an answer; retrying for " +
                    "up to {} s", streamId, context.originUrl(), context.reconnectTimeout().toSeconds());
            }
        }
        if (probe)
        {
            RelayDialer.probeForTls(factory, this);
        }
        pause.release();
        retryLater();
    }

    /**
     * The origin's answer, silence or handshake shows that {@code ingest.origin-url} does not fit the port it names:
     * retrying cannot help, so the stream is given up at once with an error that says what to set. Event loop.
     *
     * @param mismatch what does not fit.
     * @param detail   what was seen.
     */
    void onMismatch(final OriginMismatch mismatch, final String detail)
    {
        synchronized (this)
        {
            if (ended || null != failure)
            {
                return;
            }
        }
        metrics.onConfigError(mismatch);
        giveUp(mismatch.explain(context, detail), true);
    }

    /** The connection drained below its low-water mark. Event loop. */
    void onWritable(final Channel ch)
    {
        pause.onWritable(ch);
    }

    private void retryLater()
    {
        final long delayMs;
        synchronized (this)
        {
            if (ended || null != failure || giveUpIfDownTooLong(System.currentTimeMillis()))
            {
                return;
            }
            delayMs = outage.backoffMs();
        }
        try
        {
            factory.group().schedule(this::connect, delayMs, TimeUnit.MILLISECONDS);
        }
        catch (final RejectedExecutionException ex)
        {
            LOG.debug("relay {}: not retried, the relay is shutting down", streamId);
        }
    }

    /** Under the monitor. */
    private boolean giveUpIfDownTooLong(final long now)
    {
        if (outage.downLongerThan(now, context.reconnectTimeout().toMillis()))
        {
            giveUp("the origin at " + context.originUrl() + " was unreachable for " +
                context.reconnectTimeout().toSeconds() + " s (ingest.relay-reconnect-timeout-ms); stream " + streamId +
                " is no longer relayed" + (null == outage.lastError() ? "" : "; last error: " + outage.lastError()),
                false);
            return true;
        }
        return false;
    }

    /**
     * Give the stream up and end its publish ({@link SinkDemand#abort}): this relay is the stream's only way to
     * viewers. The abort is asked under the monitor, so no later {@link #onTag} can see the failure before it knows
     * whether the publish is ending; the demand only schedules the end, it never blocks or calls back.
     */
    private void giveUp(final String reason, final boolean configError)
    {
        final Channel open;
        final boolean ending;
        synchronized (this)
        {
            if (null != failure)
            {
                return;
            }
            failure = reason;
            gop.clear();
            open = channel;
            channel = null;
            ending = !ended && demand.abort(reason);
            aborted = ending;
        }
        metrics.onGaveUp();
        if (ending)
        {
            metrics.onPublishEnded();
        }
        if (configError)
        {
            LOG.error("relay {}: {}{}", streamId, reason, ending ? "; the publish is ended" : "");
        }
        else
        {
            LOG.warn("relay {}: {}{}", streamId, reason, ending ? "; the publish is ended" : "");
        }
        if (null != open)
        {
            open.close();
        }
        pause.release();
    }

    private void write(final Channel ch, final ByteBuf chunk)
    {
        metrics.onBytes(chunk.readableBytes());
        ch.writeAndFlush(chunk, ch.voidPromise());
        final ChannelOutboundBuffer outbound = ch.unsafe().outboundBuffer();
        if (null != outbound)
        {
            metrics.onBuffered(outbound.totalPendingWriteBytes());
        }
    }
}
