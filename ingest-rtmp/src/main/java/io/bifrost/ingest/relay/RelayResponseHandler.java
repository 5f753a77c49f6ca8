package io.bifrost.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay connection's inbound side: reads the origin's status line ({@link RelayAnswerReader}) and ignores the rest
 * of the answer, and tells the stream about writability and the connection's end (and whether anything was answered
 * on it). The body of an answer is not needed: the status says everything. An answer that is no HTTP status line is
 * a port that does not fit {@code ingest.origin-url}: a TLS record (a TLS port answering a plain request with an
 * alert) or anything else ({@link OriginMismatch}); the connection is closed.
 */
final class RelayResponseHandler extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(RelayResponseHandler.class);

    private final RelayedStream stream;
    private RelayAnswerReader answer;
    private boolean told;
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
            if (told || !in.isReadable())
            {
                return;
            }
            if (null == answer)
            {
                answer = new RelayAnswerReader(null == ctx.pipeline().get(SslHandler.class));
            }
            final int verdict = answer.read(in);
            if (RelayAnswerReader.MORE == verdict)
            {
                return;
            }
            told = true;
            if (RelayAnswerReader.TLS_RECORD == verdict)
            {
                stream.onMismatch(OriginMismatch.ORIGIN_TLS, "it answered the plain request with a TLS record");
                ctx.close();
            }
            else if (RelayAnswerReader.NOT_HTTP == verdict)
            {
                stream.onMismatch(OriginMismatch.NOT_HTTP, "it answered " + answer.seen());
                ctx.close();
            }
            else
            {
                stream.onResponse(ctx.channel(), verdict);
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
}
