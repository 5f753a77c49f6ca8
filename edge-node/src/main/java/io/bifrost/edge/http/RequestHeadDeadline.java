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
 *
 * <p>The timer is lazy (as Netty's {@code IdleStateHandler}): one task is scheduled when a head starts with none
 * pending, and a completed head only clears the start time; when the task runs it answers 408 if the head now pending
 * started a whole deadline ago, re-arms for the rest of the time if a later head is pending, and else ends. A busy
 * keep-alive connection so schedules one task per deadline instead of one per request (issue #3: a scheduled task and
 * its cancellation per request were part of the RAM-hit path's garbage).
 */
final class RequestHeadDeadline extends ChannelInboundHandlerAdapter
{
    private static final byte[] TIMEOUT_RESPONSE = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\n" +
        "Connection: close\r\nContent-Length: 59\r\n\r\n408 http.head_timeout: request headers took too long to send\n")
        .getBytes(StandardCharsets.US_ASCII);

    private final long deadlineNanos;
    private final Runnable expiry = this::expire;
    private ScheduledFuture<?> deadline;
    /** {@link System#nanoTime()} when the pending head's first byte arrived; {@link #NONE} when no head is pending. */
    private long headStartNanos = NONE;
    private ChannelHandlerContext ctx;
    private boolean lingering;

    private static final long NONE = Long.MIN_VALUE;

    RequestHeadDeadline(final long deadlineMillis)
    {
        this.deadlineNanos = TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
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
        if (headStartNanos == NONE && msg instanceof ByteBuf bytes && bytes.isReadable())
        {
            headStartNanos = System.nanoTime();
            if (deadline == null)
            {
                deadline = ctx.executor().schedule(expiry, deadlineNanos, TimeUnit.NANOSECONDS);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * A request head was decoded: the clock stops until the next request's first byte.
     */
    void headComplete()
    {
        headStartNanos = NONE;
    }

    private void cancel()
    {
        headStartNanos = NONE;
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
        if (headStartNanos == NONE || lingering)
        {
            return;
        }
        final long left = headStartNanos + deadlineNanos - System.nanoTime();
        if (left > 0)
        {
            deadline = ctx.executor().schedule(expiry, left, TimeUnit.NANOSECONDS);
            return;
        }
        headStartNanos = NONE;
        lingering = true;
        LingeringClose.writeAndClose(ctx, Unpooled.wrappedBuffer(TIMEOUT_RESPONSE));
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        cancel();
    }
}
