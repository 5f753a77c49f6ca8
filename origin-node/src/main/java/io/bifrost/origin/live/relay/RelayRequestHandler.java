package io.bifrost.origin.live.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bifrost.ingest.relay.RelayWire;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.origin.live.ingest.TimedMediaSink;
import io.bifrost.protocol.node.LingeringClose;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One relay connection (after {@code HttpServerCodec}): checks the request (route 404, method 405, secret 401, stream
 * id 404), opens the stream's sink, feeds it the decoded tags, and answers 200 when the body ends (the publish ended)
 * or 400 when it is not the relay's FLV. One request per connection.
 *
 * <p>Backpressure: when the sink answers false the handler stops reading the socket (autoRead off) and keeps the
 * undelivered bytes (at most one tag plus one read); the sink's resume continues decoding on the event loop and turns
 * reading back on. The idle timeout does not fire while the handler itself holds the relay back. Event-loop confined.
 */
final class RelayRequestHandler extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(RelayRequestHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private enum State
    {
        AWAITING_REQUEST, STREAMING, DISCARDING
    }

    private final RelayReceiver receiver;
    private final RelayReceiverContext context;
    private final RelayReceiverMetrics metrics;
    private final byte[] expectedAuthorization;
    private State state = State.AWAITING_REQUEST;
    private RelayFlvDecoder decoder;
    private ByteBuf received;
    private MediaSink sink;
    private String streamId;
    private Channel channel;
    private boolean paused;
    private boolean lastReceived;
    private long tags;

    RelayRequestHandler(final RelayReceiver receiver)
    {
        this.receiver = receiver;
        this.context = receiver.context();
        this.metrics = receiver.metrics();
        this.expectedAuthorization = ("Bearer " + context.secret()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        try
        {
            if (msg instanceof HttpRequest request)
            {
                onRequest(ctx, request);
            }
            if (msg instanceof HttpContent content && State.STREAMING == state)
            {
                received.writeBytes(content.content());
                lastReceived = content instanceof LastHttpContent;
                drain(ctx);
            }
        }
        finally
        {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(final ChannelHandlerContext ctx, final HttpRequest request)
    {
        if (State.AWAITING_REQUEST != state || !request.decoderResult().isSuccess())
        {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad-request", "relay.bad_request", "malformed HTTP request");
            return;
        }
        final String path = new QueryStringDecoder(request.uri()).path();
        if ("/healthz".equals(path))
        {
            state = State.DISCARDING;
            LingeringClose.writeAndClose(ctx, answer(HttpResponseStatus.OK, Map.of("success", true)));
            return;
        }
        if (!path.startsWith(RelayWire.PATH_PREFIX) || !path.endsWith(RelayWire.PATH_SUFFIX))
        {
            refuse(ctx, HttpResponseStatus.NOT_FOUND, "not-found", "http.not_found", "no such path: " + path);
            return;
        }
        if (!HttpMethod.POST.equals(request.method()))
        {
            refuse(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "bad-method", "http.method_not_allowed",
                "the relay takes POST");
            return;
        }
        final String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION, "");
        if (!MessageDigest.isEqual(expectedAuthorization, authorization.getBytes(StandardCharsets.UTF_8)))
        {
            LOG.warn("relay from {} refused: wrong or missing secret", ctx.channel().remoteAddress());
            refuse(ctx, HttpResponseStatus.UNAUTHORIZED, "unauthorized", "relay.unauthorized",
                "wrong or missing relay secret");
            return;
        }
        final String id = path.substring(RelayWire.PATH_PREFIX.length(), path.length() - RelayWire.PATH_SUFFIX.length());
        if (!RelayWire.STREAM_ID.matcher(id).matches())
        {
            refuse(ctx, HttpResponseStatus.NOT_FOUND, "not-found", "relay.unknown_stream", "unknown stream: " + id);
            return;
        }
        final PublishRequest publish = new PublishRequest("relay", id, "", "", ctx.channel().remoteAddress(),
            List.of(), protocol(request.headers().get(RelayWire.HEADER_PROTOCOL)), id,
            Boolean.parseBoolean(request.headers().get(RelayWire.HEADER_PASSTHROUGH)));
        receiver.claim(id, ctx.channel());
        try
        {
            sink = context.sinkFactory().open(publish, () -> ctx.executor().execute(() -> onResume(ctx)));
        }
        catch (final RuntimeException ex)
        {
            receiver.release(id, ctx.channel());
            LOG.warn("relay {}: the live ingest refused the stream: {}", id, ex.toString());
            refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "relay.unavailable", ex.getMessage());
            return;
        }
        streamId = id;
        channel = ctx.channel();
        state = State.STREAMING;
        decoder = new RelayFlvDecoder(context.maxTagBytes(), System::currentTimeMillis);
        received = ctx.alloc().buffer();
        metrics.onRequest("accepted");
        LOG.info("relay {}: publish relayed from {}", id, ctx.channel().remoteAddress());
    }

    private void drain(final ChannelHandlerContext ctx)
    {
        if (paused || State.STREAMING != state)
        {
            return;
        }
        final boolean more;
        try
        {
            more = decoder.decode(received, this::deliver);
        }
        catch (final RelayFormatException ex)
        {
            metrics.onMalformed();
            LOG.warn("relay {}: refused: {}", streamId, ex.getMessage());
            finish(StreamEndReason.PROTOCOL_ERROR);
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad-request", "relay.malformed", ex.getMessage());
            return;
        }
        received.discardSomeReadBytes();
        if (!more)
        {
            paused = true;
            metrics.onPaused();
            ctx.channel().config().setAutoRead(false);
            return;
        }
        if (lastReceived)
        {
            if (!decoder.atTagBoundary(received))
            {
                metrics.onMalformed();
                finish(StreamEndReason.PROTOCOL_ERROR);
                refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad-request", "relay.malformed",
                    "the relay body ends inside a tag");
                return;
            }
            finish(StreamEndReason.UNPUBLISHED);
            metrics.onCompleted();
            state = State.DISCARDING;
            LingeringClose.writeAndClose(ctx, answer(HttpResponseStatus.OK,
                Map.of("success", true, "data", Map.of("streamId", streamId, "tags", tags))));
        }
    }

    private boolean deliver(final FlvTag tag, final long receivedAtMs)
    {
        tags++;
        metrics.onTag(tag.payload().readableBytes());
        return sink instanceof TimedMediaSink timed ? timed.onTag(tag, receivedAtMs) : sink.onTag(tag);
    }

    private void onResume(final ChannelHandlerContext ctx)
    {
        if (!paused)
        {
            return;
        }
        paused = false;
        drain(ctx);
        if (!paused && State.STREAMING == state)
        {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    private void finish(final StreamEndReason reason)
    {
        if (null != sink)
        {
            final MediaSink ending = sink;
            sink = null;
            receiver.release(streamId, channel);
            ending.onEnd(reason);
        }
        if (null != received)
        {
            received.release();
            received = null;
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        if (State.STREAMING == state)
        {
            state = State.DISCARDING;
            metrics.onDisconnect();
            LOG.info("relay {}: the connection closed before the publish ended", streamId);
            finish(StreamEndReason.DISCONNECTED);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) throws Exception
    {
        if (evt instanceof IdleStateEvent)
        {
            if (!paused)
            {
                LOG.info("relay {}: idle, closing", streamId);
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        LOG.debug("relay {}: connection error: {}", streamId, cause.toString());
        ctx.close();
    }

    private void refuse(final ChannelHandlerContext ctx, final HttpResponseStatus status, final String outcome,
        final String code, final String message)
    {
        metrics.onRequest(outcome);
        state = State.DISCARDING;
        ctx.channel().config().setAutoRead(true);
        final Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", null == message ? "" : message);
        final FullHttpResponse response = answer(status, Map.of("success", false, "error", error));
        if (HttpResponseStatus.UNAUTHORIZED == status)
        {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        LingeringClose.writeAndClose(ctx, response);
    }

    private static FullHttpResponse answer(final HttpResponseStatus status, final Map<String, Object> body)
    {
        byte[] bytes;
        try
        {
            bytes = JSON.writeValueAsBytes(body);
        }
        catch (final JsonProcessingException ex)
        {
            bytes = "{\"success\":false}".getBytes(StandardCharsets.UTF_8);
        }
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }

    private static IngestProtocol protocol(final String header)
    {
        if (null != header)
        {
            for (final IngestProtocol protocol : IngestProtocol.values())
            {
                if (protocol.wireName().equals(header.toLowerCase(Locale.ROOT)))
                {
                    return protocol;
                }
            }
        }
        return IngestProtocol.RTMP;
    }
}
