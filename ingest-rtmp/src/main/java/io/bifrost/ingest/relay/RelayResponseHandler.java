package io.bifrost.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The relay connection's inbound side: reads the origin's status line (RFC 9112 4: {@code HTTP/1.1 SP status SP
 * reason CRLF}, at most {@value #MAX_STATUS_LINE} bytes) and ignores the rest of the answer, and tells the stream
 * about writability and the connection's end (and whether anything was answered on it). The body of an answer is not
 * needed: the status says everything. An answer that is no HTTP status line is a port that does not fit
 * {@code ingest.origin-url}: a TLS record (a TLS port answering a plain request with an alert) or anything else
 * ({@link OriginMismatch}).
 */
final class RelayResponseHandler extends ChannelInboundHandlerAdapter
{
    /** Longest status line read. */
    static final int MAX_STATUS_LINE = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(RelayResponseHandler.class);

    private final RelayedStream stream;
    private final StringBuilder statusLine = new StringBuilder();
    private boolean answered;
    private boolean anyByte;

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
            anyByte |= in.isReadable();
            while (!answered && in.isReadable())
            {
                final char c = (char)in.readUnsignedByte();
                if (1 == statusLine.length() && TlsProbe.isTlsRecord(statusLine.charAt(0), c) &&
                    null == ctx.pipeline().get(SslHandler.class))
                {
                    answered = true;
                    stream.onMismatch(OriginMismatch.ORIGIN_TLS, "it answered the plain request with a TLS record");
                    ctx.close();
                }
                else if ('\n' == c || statusLine.length() >= MAX_STATUS_LINE)
                {
                    answered = true;
                    final String line = statusLine.toString().trim();
                    final int status = '\n' == c ? statusOf(line) : 0;
                    if (0 == status)
                    {
                        stream.onMismatch(OriginMismatch.NOT_HTTP, "it answered " + printable(line));
                        ctx.close();
                    }
                    else
                    {
                        stream.onResponse(ctx.channel(), status);
                    }
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
        stream.onClosed(ctx.channel(), anyByte);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        LOG.debug("relay connection to the origin failed: {}", cause.toString());
        ctx.close();
    }

    /**
     * @param line the start of an answer.
     * @return its first 64 characters, anything outside printable ASCII as {@code \xNN}, quoted.
     */
    static String printable(final String line)
    {
        final StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < Math.min(line.length(), 64); i++)
        {
            final char c = line.charAt(i);
            if (c >= 0x20 && c < 0x7f)
            {
                out.append(c);
            }
            else
            {
                out.append(String.format("\\x%02x", (int)c));
            }
        }
        return out.append(line.length() > 64 ? "...\"" : "\"").toString();
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
