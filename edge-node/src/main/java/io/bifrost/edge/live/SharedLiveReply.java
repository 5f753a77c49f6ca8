package io.bifrost.edge.live;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.FullHttpResponse;

/**
 * A {@link LiveReply} that can take a woken answer in a shared form, instead of building its own response:
 * <ul>
 *   <li><b>encoded</b>: the complete HTTP/1.1 response bytes (status line, headers, body), encoded once per wake and
 *       written as they are below the viewer's HTTP codec, so answering costs one reference-counted duplicate, one
 *       write and one flush per viewer and no per-viewer encoding;</li>
 *   <li><b>response</b>: one complete 200 response whose headers were built once for every viewer woken by the same
 *       part (Content-Type, Cache-Control, Content-Length, Cache-Status, CORS; header names and values pre-encoded as
 *       ASCII so the HTTP encoder only copies them) and whose content is the store's buffer. The headers object is
 *       shared read-only between viewers and event loops: never modify it. HTTP/2 viewers take this form.</li>
 * </ul>
 *
 * <p>All methods are called on the viewer's event loop by the wake batch, for a request already claimed; the batch
 * asks {@link #acceptsEncoded()} first, then {@link #acceptsShared()}, then falls back to {@link LiveReply#onHit}.
 *
 * <p><b>Write promises.</b> Both write methods take a listener that is {@code null} for every viewer but the last one
 * a loop's batch writes in a shared form (per chunk, {@link LiveWakeBatch}): write those with the channel's void
 * promise ({@code ctx.voidPromise()}: no future, no listener, nothing allocated; a failed write reaches the
 * pipeline's {@code exceptionCaught}, which must close the connection). The last viewer's listener (the edge's
 * {@code bifrost.edge.live.held.delivery} timer, one sample for the whole batch) must be added as it is to a real
 * promise of that write, so that it runs once the write completes; never wrap it.
 */
public interface SharedLiveReply
{
    /**
     * @return true when this viewer can be answered with the shared response as is: a plain GET (no HEAD, no Range)
     *         on a connection that stays open. False: the batch calls {@link LiveReply#onHit} instead.
     */
    boolean acceptsShared();

    /**
     * Write and flush the response, then finish the request (metrics, next pipelined request).
     *
     * @param response this viewer's response; its content is this viewer's own reference, released by the write.
     * @param written  notified once the write completes (successfully or not); {@code null}: write with the void
     *                 promise.
     */
    void writeShared(FullHttpResponse response, ChannelFutureListener written);

    /**
     * @return true when this viewer can be answered with the pre-encoded HTTP/1.1 bytes: everything
     *         {@link #acceptsShared()} asks, on an HTTP/1.1 connection whose codec lets bytes be written below it.
     */
    default boolean acceptsEncoded()
    {
        return false;
    }

    /**
     * Write and flush the complete encoded response as the answer to this request, then finish the request.
     *
     * @param response      this viewer's own reference to the encoded bytes, released by the write.
     * @param contentLength the body's length within them (for the access log).
     * @param written       notified once the write completes (successfully or not); {@code null}: write with the
     *                      void promise.
     */
    default void writeEncoded(final ByteBuf response, final int contentLength, final ChannelFutureListener written)
    {
        response.release();
        throw new UnsupportedOperationException("this reply does not take encoded answers");
    }
}
