package io.bifrost.protocol.node;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;

import java.util.concurrent.TimeUnit;

/**
 * Closing a connection right after answering a request whose body is still arriving (413 for an oversized body, 408
 * for trickled headers) lets the kernel reset it, and a reset discards the answer before the client reads it. So:
 * write the answer, half-close our side, keep reading and dropping what the client still sends for a short while, then
 * close. Needs Netty on the class path (the node roles have it).
 */
public final class LingeringClose
{
    /** How long a connection keeps reading after its final answer. */
    public static final long LINGER_MILLIS = 1000;

    private LingeringClose()
    {
    }

    /**
     * Write a final answer and close the connection gracefully. Inbound bytes that arrive meanwhile must be released
     * by the pipeline (an aggregator that has refused a message does that for the rest of it).
     *
     * @param ctx    the handler context to write on.
     * @param answer the final response (or raw bytes).
     */
    public static void writeAndClose(final ChannelHandlerContext ctx, final Object answer)
    {
        ctx.writeAndFlush(answer).addListener(written ->
        {
            if (ctx.channel() instanceof DuplexChannel duplex && written.isSuccess())
            {
                duplex.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
            }
            else
            {
                ctx.close();
            }
        });
    }
}
