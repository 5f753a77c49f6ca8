package io.bifrost.ingest.relay;

import io.bifrost.ingest.rtmp.RejectReason;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.flv.AudioPacketKind;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagType;
import io.bifrost.ingest.rtmp.flv.VideoPacketKind;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.SinkDemand;
import io.bifrost.ingest.sink.StreamEndReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One published stream's relay to the origin. {@link #onTag} and {@link #onEnd} come from the publisher's thread; the
 * connection's events from the relay's event loop; the state between them is guarded by this object's monitor (held
 * briefly, never across I/O). Each tag is encoded once, as one HTTP chunk, into a pooled buffer that is written and,
 * while it belongs to the current group of pictures, kept (by reference) for a replay after a reconnect.
 */
final class RelayedStream implements MediaSink
{
    private static final Logger LOG = LoggerFactory.getLogger(RelayedStream.class);
    private static final short CRLF = ('\r' << 8) | '\n';
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** How long the origin has to answer the end of a relay before the connection is closed anyway. */
    private static final long END_ANSWER_TIMEOUT_MS = 10_000;

    private record ConfigTag(int type, long timestampMs, byte[] body, long receivedAtMs)
    {
    }

    private final OriginRelaySinkFactory factory;
    private final OriginRelayContext context;
    private final RelayMetrics metrics;
    private final PublishRequest request;
    private final String streamId;
    private final SinkDemand demand;
    private final AtomicBoolean paused = new AtomicBoolean();
    private final GopCache gop;
    private boolean sawMedia;
    private ConfigTag metadata;
    private ConfigTag videoConfig;
    private ConfigTag audioConfig;
    private Channel channel;
    private boolean connecting;
    private boolean needKeyframe;
    private boolean ended;
    private long downSinceMs;
    private int failedAttempts;
    private String failure;
    private String lastError;
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
        this.gop = new GopCache(context.gopCacheBytes());
        this.downSinceMs = System.currentTimeMillis();
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
            if (isConfig(tag))
            {
                final ConfigTag config = new ConfigTag(tag.type().id(), tag.timestampMs(),
                    ByteBufUtil.getBytes(tag.payload()), now);
                switch (tag.type())
                {
                    case SCRIPT -> metadata = config;
                    case VIDEO -> videoConfig = config;
                    default -> audioConfig = config;
                }
                if (null != channel && !needKeyframe)
                {
                    write(channel, encode(config.type, config.timestampMs, tag.payload(), now));
                    return writable(channel);
                }
                return true;
            }
            sawMedia = true;
            final boolean keyframe = tag.isVideo() && tag.keyframe() && VideoPacketKind.CODED_FRAME == tag.videoPacket();
            final ByteBuf chunk = encode(tag.type().id(), tag.timestampMs(), tag.payload(), now);
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
                writeConfigs(channel, tag.timestampMs(), now);
            }
            write(channel, chunk);
            return writable(channel);
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
            open.writeAndFlush(Unpooled.wrappedBuffer(LAST_CHUNK));
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
        final RelayedStream self = this;
        factory.bootstrap().clone().handler(new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel ch)
            {
                RelayTls.install(ch, context);
                ch.pipeline().addLast(new RelayResponseHandler(self));
            }
        }).connect(context.host(), context.port()).addListener((ChannelFuture future) ->
        {
            if (!future.isSuccess())
            {
                onConnectFailed(future.cause().toString());
                return;
            }
            RelayTls.whenVerified(future.channel(), context, this::onConnected, error ->
            {
                metrics.onTlsFailure();
                onConnectFailed(error);
            });
        });
    }

    /** The server shuts down: end the request now. */
    void shutdown()
    {
        onEnd(StreamEndReason.SERVER_CLOSED);
    }

    /** A connection attempt failed (TCP or TLS): retried like an unreachable origin. Event loop. */
    private void onConnectFailed(final String error)
    {
        metrics.onConnect(false);
        synchronized (this)
        {
            connecting = false;
            if (0 == failedAttempts++ || !error.equals(lastError))
            {
                LOG.warn("relay {}: cannot reach the origin at {}: {}; retrying for up to {} s", streamId,
                    context.originUrl(), error, context.reconnectTimeout().toSeconds());
            }
            lastError = error;
        }
        retryLater();
    }

    private void onConnected(final Channel ch)
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
            ch.write(requestHead(ch.alloc()));
            ch.write(chunkOf(ch.alloc(), Unpooled.wrappedBuffer(RelayWire.FILE_HEADER)));
            final GopCache.CachedTag first = gop.first();
            if (null != first)
            {
                writeConfigs(ch, first.timestampMs(), first.receivedAtMs());
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
                writeConfigs(ch, -1, -1);
                needKeyframe = false;
            }
            ch.flush();
            if (failedAttempts > 0 || downSinceMs < 0)
            {
                LOG.info("relay {}: connected to the origin at {} after {} ms", streamId, context.originUrl(),
                    System.currentTimeMillis() - downSinceMs);
            }
            channel = ch;
            downSinceMs = -1;
            failedAttempts = 0;
            lastError = null;
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
                (401 == status || 403 == status ? " (ingest.relay-secret does not match origin.relay-secret)" : ""));
        }
        else
        {
            LOG.warn("relay {}: the origin answered HTTP {}; reconnecting", streamId, status);
        }
        ch.close();
    }

    /** The connection closed; reconnect unless the stream ended or was given up. Event loop. */
    void onClosed(final Channel ch)
    {
        synchronized (this)
        {
            if (channel != ch)
            {
                return;
            }
            channel = null;
            downSinceMs = System.currentTimeMillis();
            metrics.onDisconnect();
            LOG.warn("relay {}: the connection to the origin dropped mid-stream; reconnecting", streamId);
        }
        if (paused.compareAndSet(true, false))
        {
            demand.resume();
        }
        retryLater();
    }

    /** The connection drained below its low-water mark. Event loop. */
    void onWritable(final Channel ch)
    {
        if (ch.isWritable() && paused.compareAndSet(true, false))
        {
            demand.resume();
        }
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
            delayMs = Math.min(OriginRelayContext.MAX_BACKOFF.toMillis(),
                OriginRelayContext.INITIAL_BACKOFF.toMillis() << Math.min(failedAttempts, 5));
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
        if (downSinceMs >= 0 && now - downSinceMs > context.reconnectTimeout().toMillis())
        {
            giveUp("the origin at " + context.originUrl() + " was unreachable for " +
                context.reconnectTimeout().toSeconds() + " s (ingest.relay-reconnect-timeout-ms); stream " + streamId +
                " is no longer relayed" + (null == lastError ? "" : "; last error: " + lastError));
            return true;
        }
        return false;
    }

    /**
     * Give the stream up and end its publish ({@link SinkDemand#abort}): this relay is the stream's only way to
     * viewers. The abort is asked under the monitor, so no later {@link #onTag} can see the failure before it knows
     * whether the publish is ending; the demand only schedules the end, it never blocks or calls back.
     */
    private void giveUp(final String reason)
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
        LOG.warn("relay {}: {}{}", streamId, reason, ending ? "; the publish is ended" : "");
        if (null != open)
        {
            open.close();
        }
        if (paused.compareAndSet(true, false))
        {
            demand.resume();
        }
    }

    private boolean writable(final Channel ch)
    {
        if (ch.isWritable())
        {
            return true;
        }
        paused.set(true);
        metrics.onPaused();
        // the channel may have drained between the check and the flag: whoever clears the flag goes on
        return ch.isWritable() && paused.compareAndSet(true, false);
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

    private void writeConfigs(final Channel ch, final long timestampMs, final long receivedAtMs)
    {
        for (final ConfigTag config : new ConfigTag[]{metadata, videoConfig, audioConfig})
        {
            if (null != config)
            {
                write(ch, encode(config.type(), timestampMs < 0 ? config.timestampMs() : timestampMs,
                    Unpooled.wrappedBuffer(config.body()), receivedAtMs < 0 ? config.receivedAtMs() : receivedAtMs));
            }
        }
    }

    private ByteBuf requestHead(final ByteBufAllocator alloc)
    {
        final String head = "POST " + RelayWire.path(streamId) + " HTTP/1.1\r\n" +
            "Host: " + context.host() + ':' + context.port() + "\r\n" +
            "Authorization: Bearer " + context.secret() + "\r\n" +
            "Content-Type: video/x-flv\r\n" +
            "Transfer-Encoding: chunked\r\n" +
            RelayWire.HEADER_PROTOCOL + ": " + request.protocol().wireName() + "\r\n" +
            RelayWire.HEADER_PASSTHROUGH + ": " + request.passthrough() + "\r\n\r\n";
        final ByteBuf buf = alloc.buffer(head.length());
        buf.writeCharSequence(head, StandardCharsets.US_ASCII);
        return buf;
    }

    /** One HTTP/1.1 chunk (RFC 9112 7.1): size in hex, CRLF, the arrival tag and the tag, CRLF. */
    private static ByteBuf encode(final int type, final long timestampMs, final ByteBuf payload, final long receivedAtMs)
    {
        final int framed = RelayWire.framedSize(payload.readableBytes());
        final String size = Integer.toHexString(framed);
        final ByteBuf chunk = ByteBufAllocator.DEFAULT.directBuffer(size.length() + 2 + framed + 2);
        chunk.writeCharSequence(size, StandardCharsets.US_ASCII);
        chunk.writeShort(CRLF);
        RelayWire.writeTag(chunk, type, timestampMs, payload, receivedAtMs);
        chunk.writeShort(CRLF);
        return chunk;
    }

    private static ByteBuf chunkOf(final ByteBufAllocator alloc, final ByteBuf data)
    {
        final String size = Integer.toHexString(data.readableBytes());
        final ByteBuf chunk = alloc.buffer(size.length() + 4 + data.readableBytes());
        chunk.writeCharSequence(size, StandardCharsets.US_ASCII);
        chunk.writeShort(CRLF);
        chunk.writeBytes(data);
        chunk.writeShort(CRLF);
        data.release();
        return chunk;
    }

    private static boolean isConfig(final FlvTag tag)
    {
        return FlvTagType.SCRIPT == tag.type() && !tag.metadata().isEmpty() ||
            tag.isVideo() && VideoPacketKind.SEQUENCE_HEADER == tag.videoPacket() ||
            tag.isAudio() && AudioPacketKind.SEQUENCE_HEADER == tag.audioPacket();
    }
}
