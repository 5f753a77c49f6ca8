package io.bifrost.ingest.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SSLException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Asks whether a port speaks TLS. A plain relay request sent to a TLS port is closed without a byte of answer (the
 * port's TLS handler finds no TLS record and drops the connection), which looks like an origin going away; this probe
 * tells the two apart. It opens a connection, sends a TLS ClientHello, and looks at the first bytes that come back: a
 * TLS record header (RFC 8446 5.1: content type handshake 22 or alert 21, then legacy version major 3) means the port
 * speaks TLS. Nothing, other bytes, a refused connect or no answer within the timeout mean it does not (or cannot be
 * told). The handshake is never finished and nothing else is sent, so no certificate needs trusting and no secret
 * leaves the ingest.
 */
final class TlsProbe
{
    /** TLS record content types (RFC 8446 5.1). */
    private static final int CONTENT_ALERT = 21;
    private static final int CONTENT_HANDSHAKE = 22;
    /** Legacy record version major of every TLS version, and of SSL 3. */
    private static final int VERSION_MAJOR = 3;
    private static final SslContext HELLO_ONLY = helloOnly();

    private TlsProbe()
    {
    }

    /**
     * @param first  the first byte of an answer.
     * @param second the second byte of an answer.
     * @return whether they start a TLS record of the kind a TLS server sends first (a handshake or an alert).
     */
    static boolean isTlsRecord(final int first, final int second)
    {
        return (CONTENT_HANDSHAKE == first || CONTENT_ALERT == first) && VERSION_MAJOR == second;
    }

    /**
     * Probe {@code host:port} once.
     *
     * @param bootstrap a client bootstrap (its event loop runs the probe).
     * @param host      the host.
     * @param port      the port.
     * @param timeoutMs how long the probe may take in all.
     * @param answer    called once, on the event loop, with whether the port speaks TLS.
     */
    static void probe(final Bootstrap bootstrap, final String host, final int port, final long timeoutMs,
        final Consumer<Boolean> answer)
    {
        final AtomicBoolean answered = new AtomicBoolean();
        final Consumer<Boolean> once = tls ->
        {
            if (answered.compareAndSet(false, true))
            {
                answer.accept(tls);
            }
        };
        bootstrap.clone().handler(new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel ch)
            {
                ch.pipeline().addLast(new FirstBytes(once));
                ch.pipeline().addLast(HELLO_ONLY.newHandler(ch.alloc(), host, port));
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter()
                {
                    @Override
                    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
                    {
                        ctx.close(); // the unfinished handshake fails when the probe closes: expected
                    }
                });
            }
        }).connect(host, port).addListener((ChannelFuture future) ->
        {
            if (!future.isSuccess())
            {
                once.accept(false);
                return;
            }
            final Channel ch = future.channel();
            try
            {
                ch.eventLoop().schedule(() ->
                {
                    once.accept(false);
                    ch.close();
                }, timeoutMs, TimeUnit.MILLISECONDS);
            }
            catch (final RejectedExecutionException ex)
            {
                once.accept(false);
                ch.close();
            }
        });
    }

    /** Sits before the TLS handler, so it sees the answer's raw bytes; decides on the first two, then closes. */
    private static final class FirstBytes extends ChannelInboundHandlerAdapter
    {
        private final Consumer<Boolean> answer;
        private int first = -1;

        FirstBytes(final Consumer<Boolean> answer)
        {
            this.answer = answer;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            try
            {
                final ByteBuf in = (ByteBuf)msg;
                while (in.isReadable())
                {
                    final int b = in.readUnsignedByte();
                    if (first < 0)
                    {
                        first = b;
                        continue;
                    }
                    answer.accept(isTlsRecord(first, b));
                    ctx.close();
                    return;
                }
            }
            finally
            {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            answer.accept(false);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            answer.accept(false);
            ctx.close();
        }
    }

    private static SslContext helloOnly()
    {
        try
        {
            return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        }
        catch (final SSLException ex)
        {
            throw new IllegalStateException("the TLS probe's client context cannot be built", ex);
        }
    }
}
