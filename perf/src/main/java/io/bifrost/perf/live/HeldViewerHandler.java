package io.bifrost.perf.live;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One viewer connection of {@link HeldViewers}: reads one HTTP/1.1 response per request with a small state machine
 * (head up to the blank line, then exactly Content-Length body bytes, which are skipped, not copied) and notes when its
 * last byte arrived. Only what the edge sends is understood (a status line and a Content-Length); anything else marks
 * the answer failed and closes the connection. Confined to the connection's event loop except {@link #reset()}, which
 * runs between rounds while the connection is idle.
 */
final class HeldViewerHandler extends ChannelInboundHandlerAdapter
{
    private static final int MAX_HEAD_BYTES = 8192;
    private static final byte[] CONTENT_LENGTH = "\r\ncontent-length:".getBytes(StandardCharsets.US_ASCII);

    private final Runnable onAnswer;
    private final byte[] head = new byte[MAX_HEAD_BYTES];
    private Channel channel;
    private int headLength;
    private long bodyLeft = -1;
    private volatile int status;
    private volatile long arrivedNanos;

    /**
     * @param onAnswer called on the event loop once per complete (or failed) answer.
     */
    HeldViewerHandler(final Runnable onAnswer)
    {
        this.onAnswer = onAnswer;
    }

    Channel channel()
    {
        return channel;
    }

    /**
     * @return the answer's status, 0 before it is complete or when it failed.
     */
    int status()
    {
        return status;
    }

    /**
     * @return {@link System#nanoTime()} when the answer's last byte was read, 0 before.
     */
    long arrivedNanos()
    {
        return arrivedNanos;
    }

    /**
     * Forget the last answer before the next request.
     */
    void reset()
    {
        status = 0;
        arrivedNanos = 0;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf in = (ByteBuf)msg;
        try
        {
            while (in.isReadable())
            {
                if (bodyLeft < 0)
                {
                    readHead(ctx, in);
                }
                else
                {
                    final int skip = (int)Math.min(bodyLeft, in.readableBytes());
                    in.skipBytes(skip);
                    bodyLeft -= skip;
                }
                if (bodyLeft == 0)
                {
                    bodyLeft = -1;
                    arrivedNanos = System.nanoTime();
                    onAnswer.run();
                }
            }
        }
        finally
        {
            in.release();
        }
    }

    private void readHead(final ChannelHandlerContext ctx, final ByteBuf in)
    {
        while (in.isReadable())
        {
            if (headLength == head.length)
            {
                fail(ctx, "response head over " + MAX_HEAD_BYTES + " bytes");
                in.skipBytes(in.readableBytes());
                return;
            }
            head[headLength++] = in.readByte();
            if (headLength >= 4 && head[headLength - 1] == '\n' && head[headLength - 2] == '\r' &&
                head[headLength - 3] == '\n' && head[headLength - 4] == '\r')
            {
                final long length = contentLength();
                final int code = headLength > 12 ? parseStatus() : -1;
                headLength = 0;
                if (length < 0 || code < 0)
                {
                    fail(ctx, "response without a status or Content-Length");
                    in.skipBytes(in.readableBytes());
                    return;
                }
                status = code;
                bodyLeft = length;
                return;
            }
        }
    }

    private int parseStatus()
    {
        int code = 0;
        for (int i = 9; i < 12; i++)
        {
            final int digit = head[i] - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }
            code = code * 10 + digit;
        }
        return code;
    }

    private long contentLength()
    {
        outer:
        for (int i = 0; i + CONTENT_LENGTH.length < headLength; i++)
        {
            for (int j = 0; j < CONTENT_LENGTH.length; j++)
            {
                if (Character.toLowerCase(head[i + j]) != CONTENT_LENGTH[j])
                {
                    continue outer;
                }
            }
            long length = 0;
            for (int k = i + CONTENT_LENGTH.length; k < headLength && head[k] != '\r'; k++)
            {
                if (head[k] >= '0' && head[k] <= '9')
                {
                    length = length * 10 + head[k] - '0';
                }
            }
            return length;
        }
        return -1;
    }

    private void fail(final ChannelHandlerContext ctx, final String why)
    {
        System.out.println("# viewer failed: " + why.toLowerCase(Locale.ROOT));
        status = 0;
        arrivedNanos = System.nanoTime();
        headLength = 0;
        bodyLeft = -1;
        onAnswer.run();
        ctx.close();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        fail(ctx, String.valueOf(cause));
    }
}
