package io.bifrost.origin.http;

import io.bifrost.origin.live.LiveReply;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A held or streamed live answer on its request's connection (HTTP/1.1) or stream (HTTP/2), written through the
 * {@link OriginRequestHandler}'s context on the connection's executor; after it the handler goes on with the requests
 * pipelined behind it. An abort closes the context's channel: the HTTP/1.1 connection, or the HTTP/2 stream (reset).
 */
final class HeldLiveReply implements LiveReply
{
    private final OriginRequestHandler handler;
    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;

    HeldLiveReply(final OriginRequestHandler handler, final ChannelHandlerContext ctx, final boolean keepAlive)
    {
        this.handler = handler;
        this.ctx = ctx;
        this.keepAlive = keepAlive;
    }

    @Override
    public void answer(final FullHttpResponse response)
    {
        handler.answerHeld(ctx, response, keepAlive);
    }

    @Override
    public void startStream(final HttpResponse head)
    {
        Cors.apply(head.headers());
        head.headers().set(HttpHeaderNames.CONNECTION,
            keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.write(head, ctx.voidPromise());
    }

    @Override
    public ChannelFuture writeChunk(final ByteBuf chunk)
    {
        return ctx.writeAndFlush(new DefaultHttpContent(chunk));
    }

    @Override
    public void endStream(final boolean complete)
    {
        if (!complete)
        {
            // HTTP/1.1: the connection closes without the terminating chunk; HTTP/2: the stream is reset
            ctx.close();
            return;
        }
        if (keepAlive)
        {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
            handler.handleBehindHeld(ctx);
        }
        else
        {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
