package io.bifrost.edge.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Writes complete, already encoded HTTP/1.1 responses (a woken live answer, encoded once for every viewer of the wake)
 * below the connection's {@link HttpServerCodec}, so that a viewer's answer costs no HTTP encoding.
 *
 * <p>Sits just before the codec (on the socket's side). The codec must still see one response per request: it keeps a
 * queue of the requests' methods (to answer HEAD without a body, and to count pipelined requests against its depth
 * limit), popped once per response it encodes, and it closes the connection after the response when the request asked
 * for it. So an encoded answer goes through the codec as a stand-in: an empty {@code 200} full response, which the
 * codec encodes (popping the request's method, adding its close-after-response listener to the write), and whose
 * encoded head this handler then replaces with the real bytes, on the same write promise. The caller answers the
 * oldest request on the connection (HTTP/1.1 answers in order) and only a GET, so the popped method is that GET.
 *
 * <p>A RAM hit on a plain keep-alive GET ({@link EncodedHitHead}) comes the same way as two buffers, its encoded head
 * and the body as views over the slab, written together with one flush.
 *
 * <p>Confined to the connection's event loop; {@link #writeAndFlush} must be called on it (the replacement happens in
 * the same call).
 */
final class EncodedResponseWriter extends ChannelOutboundHandlerAdapter
{
    private final boolean liveAnswers;
    private ByteBuf armed;
    private ByteBuf armedBody;

    /**
     * @param liveAnswers true when woken live answers are written pre-encoded through this writer
     *                    ({@code edge.live-encoded-answers}); RAM hits use it either way.
     */
    EncodedResponseWriter(final boolean liveAnswers)
    {
        this.liveAnswers = liveAnswers;
    }

    /**
     * @return true when woken live answers go through this writer pre-encoded.
     */
    boolean liveAnswers()
    {
        return liveAnswers;
    }

    /**
     * Answer the connection's oldest request (a GET) with an encoded head and a body, flushed once.
     *
     * @param requestCtx  the context of the handler answering the request, above the codec.
     * @param head        the complete encoded head; this writer owns the reference from now on.
     * @param body        the body; this writer owns the reference from now on.
     * @param bodyWritten completed when the body's write completes or fails (not a void promise).
     * @return false when the stand-in never reached this handler (the pipeline changed under it): both buffers were
     *         released and the connection closed; {@code bodyWritten} completes with the stand-in's write.
     */
    boolean writeAndFlush(
        final ChannelHandlerContext requestCtx, final ByteBuf head, final ByteBuf body, final ChannelPromise bodyWritten)
    {
        armedBody = body;
        final ByteBuf unusedBody;
        try
        {
            return arm(requestCtx, head, bodyWritten);
        }
        finally
        {
            unusedBody = armedBody;
            armedBody = null;
            if (unusedBody != null)
            {
                unusedBody.release();
            }
        }
    }

    /**
     * Answer the connection's oldest request (a GET) with this complete response.
     *
     * @param requestCtx the context of the handler answering the request, above the codec.
     * @param response   the complete encoded response; this writer owns the reference from now on.
     * @param promise    completed when the response's write completes (or fails).
     * @return false when the stand-in never reached this handler (the pipeline changed under it): the response was
     *         released and the connection closed.
     */
    boolean writeAndFlush(final ChannelHandlerContext requestCtx, final ByteBuf response, final ChannelPromise promise)
    {
        return arm(requestCtx, response, promise);
    }

    private boolean arm(final ChannelHandlerContext requestCtx, final ByteBuf response, final ChannelPromise promise)
    {
        armed = response;
        boolean replaced = false;
        try
        {
            requestCtx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.EMPTY_BUFFER, EmptyHttpHeaders.INSTANCE, EmptyHttpHeaders.INSTANCE), promise);
        }
        finally
        {
            final ByteBuf unused = armed;
            armed = null;
            replaced = unused == null;
            if (!replaced)
            {
                unused.release();
                requestCtx.channel().close();
            }
        }
        return replaced;
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
    {
        final ByteBuf response = armed;
        if (response != null && msg instanceof ByteBuf standIn)
        {
            armed = null;
            standIn.release();
            final ByteBuf body = armedBody;
            if (body == null)
            {
                ctx.write(response, promise);
            }
            else
            {
                armedBody = null;
                ctx.write(response, ctx.voidPromise());
                ctx.write(body, promise);
            }
            return;
        }
        ctx.write(msg, promise);
    }
}
