package io.bifrost.edge.http;

import io.bifrost.protocol.node.LingeringClose;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Slowloris guard for HTTP/1.1: once the first byte of a request arrives, its head (request line and headers) must be
 * complete within the deadline, however slowly the bytes trickle in; otherwise the edge answers 408 and closes.
 * An idle keep-alive connection with no bytes pending is left to the idle timeout. Sits before the HTTP decoder;
 * {@link EdgeRequestHandler} calls {@link #headComplete()} for every decoded request. Event-loop confined.
 */
final class RequestHeadDeadline extends ChannelInboundHandlerAdapter
{
    private static final byte[] TIMEOUT_RESPONSE = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\n" +
        "Connection: close\r\nContent-Length: 59\r\n\r\n408 http.head_timeout: request headers took too long to send\n")
        .getBytes(StandardCharsets.US_ASCII);

    private final long deadlineMillis;
    private ScheduledFuture<?> deadline;
    private ChannelHandlerContext ctx;
    private boolean lingering;

    RequestHeadDeadline(final long deadlineMillis)
    {
        this.deadlineMillis = deadlineMillis;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (lingering)
        {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (deadline == null && msg instanceof ByteBuf bytes && bytes.isReadable())
        {
            deadline = ctx.executor().schedule(this::expire, deadlineMillis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * A request head was decoded: the clock stops until the next request's first byte.
     */
    void headComplete()
    {
        if (deadline != null)
        {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /**
     * Answer 408 and close gracefully: half-close our side, then read and drop what the client still sends for
     * {@link LingeringClose#LINGER_MILLIS}, so the close does not reset the connection before the client has read the 408.
     */
    private void expire()
    {
        deadline = null;
        lingering = true;
        LingeringClose.writeAndClose(ctx, Unpooled.wrappedBuffer(TIMEOUT_RESPONSE));
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        headComplete();
        ctx.fireChannelInactive();
    }
}
