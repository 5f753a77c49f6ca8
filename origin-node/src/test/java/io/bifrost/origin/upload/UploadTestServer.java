package io.bifrost.origin.upload;

import io.bifrost.protocol.node.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The upload service behind a real Netty HTTP server on 127.0.0.1 (ephemeral port), in the pipeline the origin uses:
 * {@code HttpServerCodec} then {@link TusUploadHandler}. Behind it a stand-in for the rest of the origin answers
 * {@code passthrough <METHOD> <uri> <body bytes>}, so tests can see what the upload handler let through.
 */
final class UploadTestServer implements AutoCloseable
{
    private final TusUploads uploads;
    private final EventLoopGroup group;
    private final Channel channel;

    private UploadTestServer(final TusUploads uploads, final EventLoopGroup group, final Channel channel)
    {
        this.uploads = uploads;
        this.group = group;
        this.channel = channel;
    }

    static UploadTestServer start(final UploadContext context) throws IOException
    {
        return start(context, 0);
    }

    static UploadTestServer start(final UploadContext context, final int port) throws IOException
    {
        final TusUploads uploads = TusUploads.launch(context);
        final NettyTransport transport = NettyTransport.select("auto");
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        final Channel channel = new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannelClass())
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(new HttpServerCodec(), uploads.get(), new RestOfOrigin());
                }
            })
            .bind("127.0.0.1", port).syncUninterruptibly().channel();
        return new UploadTestServer(uploads, group, channel);
    }

    int port()
    {
        return ((InetSocketAddress)channel.localAddress()).getPort();
    }

    String url(final String path)
    {
        return "http://127.0.0.1:" + port() + path;
    }

    TusUploads uploads()
    {
        return uploads;
    }

    @Override
    public void close()
    {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        uploads.close();
    }

    /** Counts the body of every request that reaches it and answers with what it saw. */
    private static final class RestOfOrigin extends SimpleChannelInboundHandler<HttpObject>
    {
        private String seen;
        private long bodyBytes;

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final HttpObject msg)
        {
            if (msg instanceof HttpRequest request)
            {
                seen = request.method() + " " + request.uri();
                bodyBytes = 0;
            }
            if (msg instanceof HttpContent content)
            {
                bodyBytes += content.content().readableBytes();
            }
            if (msg instanceof LastHttpContent)
            {
                final byte[] text = ("passthrough " + seen + " " + bodyBytes).getBytes(StandardCharsets.UTF_8);
                final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.NOT_FOUND, Unpooled.wrappedBuffer(text));
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, text.length);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
        }
    }
}
