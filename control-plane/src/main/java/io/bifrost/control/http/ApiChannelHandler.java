package io.bifrost.control.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One API connection's request sequencing. Requests are answered one at a time in arrival order (HTTP/1.1 pipelining
 * needs responses in request order): while one is with the worker pool, later ones wait here, at most
 * {@value #MAX_QUEUED} of them (beyond that the connection is closed). All state is touched only on the connection's
 * event loop; the worker's answer is handed back to it.
 */
final class ApiChannelHandler extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(ApiChannelHandler.class);

    /** Pipelined requests a connection may have waiting behind the one being answered. */
    static final int MAX_QUEUED = 16;

    private final ApiDispatcher dispatcher;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private boolean answering;
    private boolean closing;

    ApiChannelHandler(final ApiDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof FullHttpRequest request) || closing)
        {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (answering)
        {
            if (queued.size() >= MAX_QUEUED)
            {
                request.release();
                closing = true;
                ctx.close();
                return;
            }
            queued.add(request);
            return;
        }
        answer(ctx, request);
    }

    private void answer(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        answering = true;
        try
        {
            final DecoderResult decoded = request.decoderResult();
            if (decoded.isFailure())
            {
                finish(ctx, malformed(decoded.cause()), false);
                return;
            }
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            dispatcher.dispatch(request, remoteAddress(ctx), response ->
                ctx.executor().execute(() -> finish(ctx, response, keepAlive)));
        }
        finally
        {
            request.release();
        }
    }

    private void finish(final ChannelHandlerContext ctx, final FullHttpResponse response, final boolean keepAlive)
    {
        if (closing || !ctx.channel().isActive())
        {
            response.release();
            return;
        }
        if (!keepAlive)
        {
            closing = true;
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            releaseQueued();
            return;
        }
        ctx.writeAndFlush(response);
        answering = false;
        final FullHttpRequest next = queued.poll();
        if (next != null)
        {
            answer(ctx, next);
        }
    }

    private FullHttpResponse malformed(final Throwable cause)
    {
        if (cause instanceof TooLongHttpLineException)
        {
            return dispatcher.error(new ApiException(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request.uri_too_long",
                "the request line is longer than " + ControlHttpServer.MAX_INITIAL_LINE + " bytes"));
        }
        if (cause instanceof TooLongHttpHeaderException)
        {
            return dispatcher.error(new ApiException(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                "request.headers_too_large", "the request headers are larger than " + ControlHttpServer.MAX_HEADER_BYTES +
                " bytes"));
        }
        return dispatcher.error(ApiException.badRequest("request.malformed", "the request is not valid HTTP/1.1"));
    }

    private static InetAddress remoteAddress(final ChannelHandlerContext ctx)
    {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress socket ? socket.getAddress() : null;
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof IdleStateEvent && !answering)
        {
            closing = true;
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        closing = true;
        releaseQueued();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        LOG.debug("control API connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        closing = true;
        ctx.close();
    }

    private void releaseQueued()
    {
        FullHttpRequest request;
        while ((request = queued.poll()) != null)
        {
            request.release();
        }
    }
}
