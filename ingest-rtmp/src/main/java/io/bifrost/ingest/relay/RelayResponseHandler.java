package io.bifrost.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The relay connection's inbound side: reads the origin's status line (RFC 9112 4: {@code HTTP/1.1 SP status SP
 * reason CRLF}, at most {@value #MAX_STATUS_LINE} bytes) and ignores the rest of the answer, and tells the stream
 * about writability and the connection's end. The body of an answer is not needed: the status says everything.
 */
final class RelayResponseHandler extends ChannelInboundHandlerAdapter
{
    /** Longest status line read. */
    static final int MAX_STATUS_LINE = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(RelayResponseHandler.class);

    private final RelayedStream stream;
    private final StringBuilder statusLine = new StringBuilder();
    private boolean answered;

    RelayResponseHandler(final RelayedStream stream)
    {
        this.stream = stream;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf in = (ByteBuf)msg;
        try
        {
            while (!answered && in.isReadable())
            {
                final char c = (char)in.readByte();
                if ('\n' == c)
                {
                    answered = true;
                    stream.onResponse(ctx.channel(), statusOf(statusLine.toString().trim()));
                }
                else if (statusLine.length() >= MAX_STATUS_LINE)
                {
                    answered = true;
                    stream.onResponse(ctx.channel(), 0);
                }
                else
                {
                    statusLine.append(c);
                }
            }
        }
        finally
        {
            in.release();
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx) throws Exception
    {
        stream.onWritable(ctx.channel());
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        stream.onClosed(ctx.channel());
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        LOG.debug("relay connection to the origin failed: {}", cause.toString());
        ctx.close();
    }

    /**
     * @param line a status line.
     * @return its status code, or 0 when it is not an HTTP/1.x status line.
     */
    static int statusOf(final String line)
    {
        final String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || 3 != parts[1].length())
        {
            return 0;
        }
        try
        {
            return Integer.parseInt(parts[1]);
        }
        catch (final NumberFormatException ex)
        {
            return 0;
        }
    }
}
