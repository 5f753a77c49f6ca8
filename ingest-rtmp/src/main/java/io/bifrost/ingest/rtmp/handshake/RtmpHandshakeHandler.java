package io.bifrost.ingest.rtmp.handshake;

import io.bifrost.ingest.rtmp.RejectReason;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The server side of the RTMP handshake (RTMP 1.0 section 5.2): reads C0+C1, answers S0+S1+S2 at once, reads C2,
 * then removes itself so the bytes after C2 reach the chunk decoder.
 *
 * <p>The simple handshake is answered to every client. S1 carries zeros where a Flash-style "complex" handshake
 * would carry a server version, which tells digest-capable clients (ffmpeg, OBS/librtmp) not to look for a server
 * digest; C1 and C2 are therefore not validated. A C0 version other than 3 is refused. A client that has not
 * finished within the handshake timeout is refused too. Not thread-safe: one per connection.
 */
public final class RtmpHandshakeHandler extends ByteToMessageDecoder
{
    /** The only RTMP version (section 5.2.2). */
    public static final int RTMP_VERSION = 3;
    /** Length of C1/S1/C2/S2 (section 5.2.3). */
    public static final int HANDSHAKE_SIZE = 1536;

    private final long timeoutMs;
    private final long startNanos = System.nanoTime();
    private boolean c1Received;
    private ScheduledFuture<?> timeout;

    /**
     * @param timeoutMs how long the client has to complete the handshake, milliseconds.
     */
    public RtmpHandshakeHandler(final long timeoutMs)
    {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx) throws Exception
    {
        super.handlerAdded(ctx);
        timeout = ctx.executor().schedule(
            () -> ctx.fireExceptionCaught(new RtmpProtocolException(RejectReason.HANDSHAKE_TIMEOUT,
                "no complete handshake within " + timeoutMs + " ms")),
            timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handlerRemoved0(final ChannelHandlerContext ctx)
    {
        cancelTimeout();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        cancelTimeout();
        super.channelInactive(ctx);
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        if (!c1Received)
        {
            if (!in.isReadable())
            {
                return;
            }
            final int version = in.getUnsignedByte(in.readerIndex());
            if (RTMP_VERSION != version)
            {
                in.skipBytes(in.readableBytes());
                throw new RtmpProtocolException(RejectReason.HANDSHAKE_VERSION,
                    "RTMP version " + version + " in C0, only 3 is supported");
            }
            if (in.readableBytes() < 1 + HANDSHAKE_SIZE)
            {
                return;
            }
            in.skipBytes(1);
            final ByteBuf c1 = in.readSlice(HANDSHAKE_SIZE);
            c1Received = true;
            ctx.writeAndFlush(serverHello(ctx, c1));
        }
        if (in.readableBytes() < HANDSHAKE_SIZE)
        {
            return;
        }
        in.skipBytes(HANDSHAKE_SIZE);
        cancelTimeout();
        ctx.pipeline().remove(this);
    }

    private ByteBuf serverHello(final ChannelHandlerContext ctx, final ByteBuf c1)
    {
        final ByteBuf out = ctx.alloc().buffer(1 + 2 * HANDSHAKE_SIZE);
        final int uptimeMs = (int)TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        final byte[] random = new byte[HANDSHAKE_SIZE - 8];
        ThreadLocalRandom.current().nextBytes(random);

        out.writeByte(RTMP_VERSION);                 // S0
        out.writeInt(uptimeMs).writeInt(0);          // S1: time, zero (no server version: simple handshake)
        out.writeBytes(random);
        out.writeInt(c1.getInt(c1.readerIndex()));   // S2: echo C1 time, our read time, C1 random (5.2.4)
        out.writeInt(uptimeMs);
        out.writeBytes(c1, c1.readerIndex() + 8, HANDSHAKE_SIZE - 8);
        return out;
    }

    private void cancelTimeout()
    {
        if (null != timeout)
        {
            timeout.cancel(false);
            timeout = null;
        }
    }
}
