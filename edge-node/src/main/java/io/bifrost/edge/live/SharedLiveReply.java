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
 * Both write methods take the listener the write's future must notify when the write completes (the edge's
 * {@code bifrost.edge.live.held.delivery} timer): one object shared by every viewer of the wake, so add it to the
 * write's promise as it is, never wrap it per viewer.
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
     * @param written  notified once the write completes (successfully or not).
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
     * @param written       notified once the write completes (successfully or not).
     */
    default void writeEncoded(final ByteBuf response, final int contentLength, final ChannelFutureListener written)
    {
        response.release();
        throw new UnsupportedOperationException("this reply does not take encoded answers");
    }
}
