package io.bifrost.ingest.rtmp.session;

import io.bifrost.ingest.rtmp.RejectReason;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.amf.Amf0Exception;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.chunk.RtmpMessage;
import io.bifrost.ingest.rtmp.chunk.RtmpMessageType;
import io.bifrost.ingest.rtmp.flv.FlvTagParser;
import io.bifrost.ingest.sink.StreamEndReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One publisher connection after the handshake: takes whole RTMP messages from the chunk decoder, answers
 * commands ({@link CommandHandler}), turns media into FLV tags for the stream's sink ({@link PublishedStream}),
 * and is the single place where bad input ends a connection: one log line, one counter, close.
 *
 * <p>Flow control: while the sink is paused or a stream key is being authorized, decoded messages wait in a queue
 * (bounded by {@code maxPendingSinkBytes}) and the channel's autoRead is off, so the socket, not the heap, holds the
 * rest. Messages are handled strictly in arrival order. Event-loop confined.
 */
public final class RtmpSession extends ChannelDuplexHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(RtmpSession.class);
    /** How long a publisher whose publish a sink ended has to read the error status and leave. */
    static final long ABORT_LINGER_MS = 2_000;

    private final SessionContext context;
    private final Amf0Reader amfReader;
    private final FlvTagParser tagParser;
    private final ArrayDeque<RtmpMessage> pending = new ArrayDeque<>();
    private final CommandHandler commands;
    private ChannelHandlerContext ctx;
    private long pendingBytes;
    private boolean holding;
    private boolean closed;
    private PublishedStream stream;

    /**
     * @param context what all sessions of the server share.
     */
    public RtmpSession(final SessionContext context)
    {
        this.context = context;
        this.amfReader = new Amf0Reader(context.limits().amf());
        this.tagParser = new FlvTagParser(amfReader);
        this.commands = new CommandHandler(this, context);
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        context.metrics().onConnection();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof RtmpMessage message))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closed && null == stream)
        {
            message.release();
            return;
        }
        if (holding || !pending.isEmpty())
        {
            pending.addLast(message);
            pendingBytes += message.payload().readableBytes();
            context.metrics().onSinkQueue(pendingBytes);
            if (pendingBytes > context.limits().maxPendingSinkBytes())
            {
                reject(new RtmpProtocolException(RejectReason.SINK_OVERFLOW,
                    pendingBytes + " bytes queued for a paused sink, limit " + context.limits().maxPendingSinkBytes()));
            }
            return;
        }
        handle(message);
    }

    private void handle(final RtmpMessage message)
    {
        try
        {
            switch (message.typeId())
            {
                case RtmpMessageType.COMMAND_AMF0 -> commands.onCommand(message, amfReader.readAll(message.payload()));
                case RtmpMessageType.COMMAND_AMF3 -> commands.onCommand(message, readAmf3Wrapped(message.payload()));
                case RtmpMessageType.USER_CONTROL -> onUserControl(message.payload());
                case RtmpMessageType.AUDIO, RtmpMessageType.VIDEO, RtmpMessageType.DATA_AMF0,
                    RtmpMessageType.AGGREGATE -> onMedia(message);
                case RtmpMessageType.DATA_AMF3 ->
                {
                    message.payload().skipBytes(Math.min(1, message.payload().readableBytes()));
                    onMedia(new RtmpMessage(message.chunkStreamId(), RtmpMessageType.DATA_AMF0, message.timestamp(),
                        message.messageStreamId(), message.payload()));
                }
                default -> LOG.debug("rtmp {} ignored message type {}", remote(), message.typeId());
            }
        }
        catch (final RtmpProtocolException | Amf0Exception ex)
        {
            reject(ex);
        }
        finally
        {
            message.release();
        }
    }

    private List<Object> readAmf3Wrapped(final ByteBuf payload)
    {
        if (!payload.isReadable() || 0 != payload.readByte())
        {
            throw new Amf0Exception("AMF3 command without the 0x00 AMF0 format byte");
        }
        return amfReader.readAll(payload);
    }

    private void onUserControl(final ByteBuf payload)
    {
        if (payload.readableBytes() < 2)
        {
            throw new RtmpProtocolException(RejectReason.CHUNK_MALFORMED, "user control message shorter than 2 bytes");
        }
        final int event = payload.readUnsignedShort();
        if (RtmpMessageType.UC_PING_REQUEST == event && payload.readableBytes() >= 4)
        {
            ctx.writeAndFlush(RtmpReplies.userControl(ctx.alloc(), RtmpMessageType.UC_PING_RESPONSE, payload.readInt()));
        }
    }

    private void onMedia(final RtmpMessage message)
    {
        if (null == stream || !stream.accepts(message.messageStreamId()))
        {
            LOG.debug("rtmp {} media before publish dropped: {}", remote(), message);
            return;
        }
        if (!stream.deliver(message, tagParser))
        {
            holding = true;
            ctx.channel().config().setAutoRead(false);
            context.metrics().onSinkPaused();
        }
    }

    void hold()
    {
        holding = true;
        ctx.channel().config().setAutoRead(false);
    }

    /**
     * Deliver what waited, then read again; runs on the event loop (sink resume, authorization answer).
     */
    void release()
    {
        holding = false;
        while (!holding && !pending.isEmpty())
        {
            final RtmpMessage message = pending.pollFirst();
            pendingBytes -= message.payload().readableBytes();
            handle(message);
        }
        if (!holding)
        {
            if (closed)
            {
                endStream(StreamEndReason.DISCONNECTED);
            }
            else
            {
                final IdleStateHandler idle = ctx.pipeline().get(IdleStateHandler.class);
                if (null != idle)
                {
                    idle.resetReadTimeout(); // the pause was ours, not the publisher's silence
                }
                ctx.channel().config().setAutoRead(true);
                ctx.read();
            }
        }
    }

    void startStream(final PublishedStream stream)
    {
        this.stream = stream;
        context.metrics().onPublishStarted();
    }

    PublishedStream stream()
    {
        return stream;
    }

    void endStream(final StreamEndReason reason)
    {
        final PublishedStream ending = stream;
        stream = null;
        if (null != ending)
        {
            ending.end(reason);
        }
    }

    ChannelHandlerContext ctx()
    {
        return ctx;
    }

    boolean isClosed()
    {
        return closed;
    }

    String remote()
    {
        return String.valueOf(null == ctx ? null : ctx.channel().remoteAddress());
    }

    /**
     * Refuse a command: one log line, one counter, a last message (an error status), then close.
     *
     * @param reason      the counter.
     * @param description for the log line.
     * @param lastWords   the message sent before closing.
     */
    void refuse(final RejectReason reason, final String description, final RtmpMessage lastWords)
    {
        context.metrics().onRejected(reason);
        LOG.warn("rtmp {} refused ({}): {}", remote(), reason.tag(), description);
        dropPending();
        closed = true;
        ctx.writeAndFlush(lastWords).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * A sink ended the publish ({@code SinkDemand#abort}): one log line, one counter
     * ({@code bifrost.rtmp.rejected{reason=sink-aborted}}), the stream ends ({@code ABORTED}), a last message (an error
     * status naming the reason), then close. The sink that asked counts why, too. The publisher is still
     * sending media, and closing a socket with unread input resets it, which would discard the status before the
     * publisher reads it; so input is read and dropped until the publisher leaves, for at most
     * {@link #ABORT_LINGER_MS}.
     *
     * @param detail    why, for the log line.
     * @param lastWords the message sent before closing.
     */
    void abortStream(final String detail, final RtmpMessage lastWords)
    {
        context.metrics().onRejected(RejectReason.SINK_ABORTED);
        LOG.warn("rtmp {} publish ended by its sink: {}", remote(), detail);
        dropPending();
        endStream(StreamEndReason.ABORTED);
        closed = true;
        holding = false;
        ctx.writeAndFlush(lastWords);
        ctx.channel().config().setAutoRead(true);
        ctx.read();
        ctx.executor().schedule(() -> ctx.close(), ABORT_LINGER_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Refuse this connection: one log line, one counter, close.
     *
     * @param cause what was wrong.
     */
    void reject(final Throwable cause)
    {
        final RejectReason reason = cause instanceof RtmpProtocolException protocol ? protocol.reason() :
            RejectReason.AMF_MALFORMED;
        context.metrics().onRejected(reason);
        LOG.warn("rtmp {} closed ({}): {}", remote(), reason.tag(), cause.getMessage());
        dropPending();
        endStream(StreamEndReason.PROTOCOL_ERROR);
        closed = true;
        ctx.close();
    }

    private void dropPending()
    {
        RtmpMessage message;
        while (null != (message = pending.pollFirst()))
        {
            message.release();
        }
        pendingBytes = 0;
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) throws Exception
    {
        if (evt instanceof IdleStateEvent && !holding && !closed)
        {
            reject(new RtmpProtocolException(RejectReason.IDLE_TIMEOUT, "no data from the publisher"));
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        final Throwable root = cause instanceof DecoderException && null != cause.getCause() ? cause.getCause() : cause;
        if (closed)
        {
            return;
        }
        if (root instanceof RtmpProtocolException || root instanceof Amf0Exception)
        {
            reject(root);
        }
        else if (root instanceof IOException)
        {
            LOG.debug("rtmp {} connection error: {}", remote(), root.toString());
            ctx.close();
        }
        else
        {
            LOG.warn("rtmp {} closed after an unexpected error", remote(), root);
            dropPending();
            endStream(StreamEndReason.PROTOCOL_ERROR);
            closed = true;
            ctx.close();
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        closed = true;
        if (!holding || pending.isEmpty() || null == stream)
        {
            dropPending();
            endStream(StreamEndReason.DISCONNECTED);
        }
        super.channelInactive(ctx);
    }

    /**
     * Server shutdown: end the stream now, dropping anything a paused sink has not taken.
     */
    public void onServerClose()
    {
        dropPending();
        endStream(StreamEndReason.SERVER_CLOSED);
    }
}
