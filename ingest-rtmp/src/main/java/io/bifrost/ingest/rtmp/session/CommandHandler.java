package io.bifrost.ingest.rtmp.session;

import io.bifrost.ingest.rtmp.RejectReason;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.chunk.RtmpMessage;
import io.bifrost.ingest.rtmp.chunk.RtmpMessageType;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.SinkDemand;
import io.bifrost.ingest.sink.StreamAuthorization;
import io.bifrost.ingest.sink.StreamEndReason;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * The NetConnection and NetStream commands of a publisher (RTMP 1.0 section 7.2): connect, releaseStream, FCPublish,
 * createStream, publish, FCUnpublish, deleteStream, closeStream. Anything else with a transaction id gets
 * {@code _error}. Event-loop confined; part of {@link RtmpSession}.
 */
final class CommandHandler
{
    /** Largest number of createStream calls per connection; publishers need one. */
    static final int MAX_STREAMS_PER_CONNECTION = 8;
    /** Capabilities advertised in the connect reply (the value FMS and nginx-rtmp send). */
    static final double SERVER_CAPABILITIES = 31;

    private final RtmpSession session;
    private final SessionContext context;
    private String app;
    private String tcUrl = "";
    private List<String> fourCcList = List.of();
    private int streamsCreated;

    CommandHandler(final RtmpSession session, final SessionContext context)
    {
        this.session = session;
        this.context = context;
    }

    void onCommand(final RtmpMessage message, final List<Object> values)
    {
        if (values.size() < 2 || !(values.get(0) instanceof String name) || !(values.get(1) instanceof Number tx))
        {
            throw new RtmpProtocolException(RejectReason.COMMAND_INVALID, "command without a name and transaction id");
        }
        final double txId = tx.doubleValue();
        if (null == app && !"connect".equals(name))
        {
            throw new RtmpProtocolException(RejectReason.COMMAND_INVALID, name + " before connect");
        }
        final ChannelHandlerContext ctx = session.ctx();
        final ByteBufAllocator alloc = ctx.alloc();
        switch (name)
        {
            case "connect" -> onConnect(txId, values);
            case "releaseStream" ->
                ctx.writeAndFlush(RtmpReplies.command(alloc, RtmpMessageType.CSID_COMMAND, 0, "_result", txId, null));
            case "FCPublish" -> ctx.writeAndFlush(RtmpReplies.command(alloc, RtmpMessageType.CSID_COMMAND, 0,
                "onFCPublish", 0, null, RtmpReplies.status("status", RtmpReplies.PUBLISH_START, streamName(values))));
            case "createStream" -> onCreateStream(txId);
            case "publish" -> onPublish(txId, message.messageStreamId(), values);
            case "FCUnpublish" ->
            {
                ctx.writeAndFlush(RtmpReplies.command(alloc, RtmpMessageType.CSID_COMMAND, 0, "onFCUnpublish", 0, null,
                    RtmpReplies.status("status", RtmpReplies.UNPUBLISH_SUCCESS, streamName(values))));
                session.endStream(StreamEndReason.UNPUBLISHED);
            }
            case "deleteStream", "closeStream" -> session.endStream(StreamEndReason.UNPUBLISHED);
            default ->
            {
                if (txId > 0)
                {
                    ctx.writeAndFlush(RtmpReplies.command(alloc, RtmpMessageType.CSID_COMMAND, 0, "_error", txId, null,
                        RtmpReplies.status("error", "NetConnection.Call.Failed", name + " is not supported")));
                }
            }
        }
    }

    private void onConnect(final double txId, final List<Object> values)
    {
        if (null != app)
        {
            throw new RtmpProtocolException(RejectReason.COMMAND_INVALID, "second connect on one connection");
        }
        if (values.size() < 3 || !(values.get(2) instanceof Map<?, ?> command))
        {
            throw new RtmpProtocolException(RejectReason.COMMAND_INVALID, "connect without a command object");
        }
        final String requested = normaliseApp(String.valueOf(command.get("app")));
        final ChannelHandlerContext ctx = session.ctx();
        if (!context.app().equals(requested))
        {
            session.refuse(RejectReason.APP_UNKNOWN, "unknown application " + requested,
                RtmpReplies.command(ctx.alloc(), RtmpMessageType.CSID_COMMAND, 0, "_error", txId, null,
                RtmpReplies.status("error", RtmpReplies.CONNECT_REJECTED, "unknown application " + requested)));
            return;
        }
        app = requested;
        if (command.get("tcUrl") instanceof String url)
        {
            tcUrl = url;
        }
        if (command.get("fourCcList") instanceof List<?> list)
        {
            final List<String> codecs = new ArrayList<>();
            for (final Object entry : list)
            {
                codecs.add(String.valueOf(entry));
            }
            fourCcList = List.copyOf(codecs);
        }

        final ByteBufAllocator alloc = ctx.alloc();
        ctx.write(RtmpReplies.control(alloc, RtmpMessageType.WINDOW_ACK_SIZE, context.windowAckSizeBytes()));
        ctx.write(RtmpReplies.setPeerBandwidth(alloc, context.windowAckSizeBytes()));
        ctx.write(RtmpReplies.control(alloc, RtmpMessageType.SET_CHUNK_SIZE, context.outboundChunkSize()));
        final Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fmsVer", "FMS/3,0,1,123");
        properties.put("capabilities", SERVER_CAPABILITIES);
        properties.put("mode", 1.0);
        if (!fourCcList.isEmpty())
        {
            properties.put("fourCcList", fourCcList);
        }
        final Map<String, Object> info = RtmpReplies.status("status", RtmpReplies.CONNECT_SUCCESS, "Connection succeeded.");
        info.put("objectEncoding", 0.0);
        ctx.writeAndFlush(RtmpReplies.command(alloc, RtmpMessageType.CSID_COMMAND, 0, "_result", txId, properties, info));
    }

    private void onCreateStream(final double txId)
    {
        if (streamsCreated >= MAX_STREAMS_PER_CONNECTION)
        {
            throw new RtmpProtocolException(RejectReason.COMMAND_INVALID,
                "more than " + MAX_STREAMS_PER_CONNECTION + " createStream calls");
        }
        streamsCreated++;
        final ChannelHandlerContext ctx = session.ctx();
        ctx.writeAndFlush(RtmpReplies.command(ctx.alloc(), RtmpMessageType.CSID_COMMAND, 0, "_result", txId, null,
            (double)streamsCreated));
    }

    private void onPublish(final double txId, final int messageStreamId, final List<Object> values)
    {
        if (messageStreamId < 1 || messageStreamId > streamsCreated)
        {
            throw new RtmpProtocolException(RejectReason.COMMAND_INVALID,
                "publish on message stream " + messageStreamId + " that createStream did not return");
        }
        if (null != session.stream())
        {
            throw new RtmpProtocolException(RejectReason.COMMAND_INVALID, "second publish on one connection");
        }
        final String name = streamName(values);
        final int queryAt = name.indexOf('?');
        final String key = queryAt < 0 ? name : name.substring(0, queryAt);
        final String query = queryAt < 0 ? "" : name.substring(queryAt + 1);
        final ChannelHandlerContext ctx = session.ctx();
        if (key.isEmpty())
        {
            refusePublish(messageStreamId, RejectReason.PUBLISH_DENIED, RtmpReplies.PUBLISH_BAD_NAME, "empty stream key");
            return;
        }
        final PublishRequest unchecked = new PublishRequest(
            app, key, query, tcUrl, ctx.channel().remoteAddress(), fourCcList, context.protocol(), null, false);
        session.hold();
        final CompletionStage<StreamAuthorization> answer;
        try
        {
            answer = context.authorizer().authorize(unchecked);
        }
        catch (final RuntimeException ex)
        {
            onAuthorized(unchecked, messageStreamId, StreamAuthorization.refuse("stream key could not be checked (" +
                ex.getClass().getSimpleName() + ")"));
            return;
        }
        answer.whenComplete((authorization, error) -> ctx.executor().execute(() -> onAuthorized(unchecked,
            messageStreamId, null != error || null == authorization ?
            StreamAuthorization.refuse("stream key could not be checked (" +
                (null == error ? "no answer" : error.getClass().getSimpleName()) + ")") : authorization)));
    }

    private void onAuthorized(final PublishRequest unchecked, final int messageStreamId,
        final StreamAuthorization authorization)
    {
        if (session.isClosed())
        {
            session.release();
            return;
        }
        if (!authorization.allowed())
        {
            refusePublish(messageStreamId, RejectReason.PUBLISH_DENIED, RtmpReplies.PUBLISH_DENIED,
                authorization.detail());
            return;
        }
        final PublishRequest request = unchecked.authorized(authorization);
        final PublishedStream stream = new PublishedStream(request, messageStreamId, context.registry(), session);
        if (!context.registry().claim(request.streamKey(), session))
        {
            refusePublish(messageStreamId, RejectReason.PUBLISH_DUPLICATE, RtmpReplies.PUBLISH_BAD_NAME,
                "stream key is already being published");
            return;
        }
        final ChannelHandlerContext ctx = session.ctx();
        try
        {
            final MediaSink sink = context.sinkFactory().open(request, new SinkDemand()
            {
                @Override
                public void resume()
                {
                    CommandHandler.this.resume(ctx, stream);
                }

                @Override
                public boolean abort(final String reason)
                {
                    return CommandHandler.this.abort(ctx, stream, reason);
                }
            });
            stream.sink(sink);
        }
        catch (final RuntimeException ex)
        {
            stream.end(StreamEndReason.PROTOCOL_ERROR);
            throw ex;
        }
        session.startStream(stream);
        ctx.write(RtmpReplies.userControl(ctx.alloc(), RtmpMessageType.UC_STREAM_BEGIN, messageStreamId));
        ctx.writeAndFlush(RtmpReplies.command(ctx.alloc(), RtmpMessageType.CSID_STREAM_STATUS, messageStreamId,
            "onStatus", 0, null, RtmpReplies.status("status", RtmpReplies.PUBLISH_START,
                request.streamKey() + " is now published.")));
        session.release();
    }

    private void resume(final ChannelHandlerContext ctx, final PublishedStream stream)
    {
        try
        {
            ctx.executor().execute(() ->
            {
                if (session.stream() == stream)
                {
                    session.release();
                }
            });
        }
        catch (final RejectedExecutionException ex)
        {
            // the event loop is shut down: the stream has ended, nothing is left to resume
        }
    }

    /** A sink ended the publish (any thread): tell the publisher why on its stream, then close. */
    private boolean abort(final ChannelHandlerContext ctx, final PublishedStream stream, final String reason)
    {
        try
        {
            ctx.executor().execute(() ->
            {
                if (session.stream() == stream && !session.isClosed())
                {
                    session.abortStream(reason, RtmpReplies.command(ctx.alloc(), RtmpMessageType.CSID_STREAM_STATUS,
                        stream.messageStreamId(), "onStatus", 0, null,
                        RtmpReplies.status("error", RtmpReplies.STREAM_FAILED, reason)));
                }
            });
            return true;
        }
        catch (final RejectedExecutionException ex)
        {
            return false; // the event loop is shut down: the stream is ending anyway
        }
    }

    private void refusePublish(final int messageStreamId, final RejectReason reason, final String code,
        final String description)
    {
        final ChannelHandlerContext ctx = session.ctx();
        session.refuse(reason, description, RtmpReplies.command(ctx.alloc(), RtmpMessageType.CSID_STREAM_STATUS, messageStreamId,
            "onStatus", 0, null, RtmpReplies.status("error", code, description)));
    }

    private static String streamName(final List<Object> values)
    {
        return values.size() > 3 && values.get(3) instanceof String name ? name : "";
    }

    private static String normaliseApp(final String app)
    {
        final int queryAt = app.indexOf('?');
        String name = queryAt < 0 ? app : app.substring(0, queryAt);
        while (name.endsWith("/"))
        {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }
}
