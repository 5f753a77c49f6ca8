package io.bifrost.protocol.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * Holds the answer to an h2c upgrade request (stream 1) until the client's connection preface (its SETTINGS frame)
 * has arrived, so the first response bytes after {@code 101 Switching Protocols} follow the client's own switch to
 * HTTP/2.
 *
 * <p>Why: the JDK's {@code java.net.http.HttpClient} (seen on 25.0.3) loses bytes that arrive between its parse of the
 * 101 head and the moment its socket reader is handed to the HTTP/2 connection: reads in that window land in the
 * retired HTTP/1.1 receiver (one is even fed to a zero-length body parser) and never reach the HTTP/2 frame decoder.
 * A server that streams the upgrade answer at once (Netty does: RFC 9113 lets it) therefore loses whole 16 KiB reads
 * of a large body on such clients, and the client fails with {@code Frame ... exceeds MAX_FRAME_SIZE} where its frame
 * decoder gets out of step (two lost 16 KiB reads = two DATA frames less their 9-byte headers: the "18 bytes" seen
 * inside the third DATA frame). That client writes its preface only after its reader switched, so answering after the
 * preface is safe for it and costs every other client one round trip on the upgrade request only. Prior-knowledge and
 * TLS connections never pass through here (their preface precedes any request).
 *
 * <p>One gate sits in the parent channel's pipeline after the multiplexer (it sees the connection-level frames the
 * multiplexer passes on); each stream asks it for a {@link #newStreamHold() hold} while the preface is still missing.
 * Everything runs on the connection's event loop.
 */
public final class ClientPrefaceGate extends ChannelInboundHandlerAdapter
{
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>(1);
    private boolean prefaceReceived;

    /**
     * @return true once the client's first SETTINGS frame was read.
     */
    public boolean prefaceReceived()
    {
        return prefaceReceived;
    }

    /**
     * @return a handler for a stream's pipeline that queues the stream's inbound messages until the preface arrives.
     */
    public ChannelHandler newStreamHold()
    {
        return new StreamHold();
    }

    /**
     * Call from the HTTP/2 multiplexer's stream initializer, before the request handlers: when the stream's connection
     * came by h2c upgrade and the client's preface is still missing, the stream's requests wait for it.
     *
     * @param stream a new HTTP/2 stream channel.
     */
    public static void holdUntilPreface(final Channel stream)
    {
        final ClientPrefaceGate gate = stream.parent() == null ? null : stream.parent().pipeline().get(ClientPrefaceGate.class);
        if (gate != null && !gate.prefaceReceived())
        {
            stream.pipeline().addLast(gate.newStreamHold());
        }
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final boolean open = !prefaceReceived && msg instanceof Http2SettingsFrame;
        ctx.fireChannelRead(msg);
        if (open)
        {
            prefaceReceived = true;
            Runnable task;
            while ((task = waiting.poll()) != null)
            {
                task.run();
            }
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        waiting.clear();
        ctx.fireChannelInactive();
    }

    /**
     * Queues one stream's request until the gate opens, then passes it on in order and leaves the stream's pipeline.
     */
    private final class StreamHold extends ChannelInboundHandlerAdapter
    {
        private final ArrayDeque<Object> held = new ArrayDeque<>(2);
        private boolean registered;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (prefaceReceived && held.isEmpty())
            {
                ctx.fireChannelRead(msg);
                return;
            }
            held.add(msg);
            if (!registered)
            {
                registered = true;
                waiting.add(() -> release(ctx));
            }
        }

        private void release(final ChannelHandlerContext ctx)
        {
            if (ctx.isRemoved())
            {
                discard();
                return;
            }
            Object msg;
            while ((msg = held.poll()) != null)
            {
                ctx.fireChannelRead(msg);
            }
            ctx.fireChannelReadComplete();
            ctx.pipeline().remove(this);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            discard();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(final ChannelHandlerContext ctx)
        {
            discard();
        }

        private void discard()
        {
            Object msg;
            while ((msg = held.poll()) != null)
            {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
