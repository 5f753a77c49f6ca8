package io.bifrost.edge.live;

import io.netty.handler.codec.http.FullHttpResponse;

/**
 * A {@link LiveReply} that can take a woken answer in its shared form: one complete 200 response whose headers were
 * built once for every viewer woken by the same part (Content-Type, Cache-Control, Content-Length, Cache-Status, CORS;
 * header names and values pre-encoded as ASCII so the HTTP encoder only copies them) and whose content is the store's
 * buffer, so that answering costs one write and one flush per viewer. The headers object is shared read-only between
 * viewers and event loops: never modify it.
 *
 * <p>Both methods are called on the viewer's event loop by the wake batch, for a request already claimed.
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
     */
    void writeShared(FullHttpResponse response);
}
