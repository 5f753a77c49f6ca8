package io.bifrost.edge.live;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * A {@link LiveReply} that can be answered with the segment being produced, part by part, as the parts arrive
 * (low-latency DASH: a player asks for the segment {@code availabilityTimeOffset} before it ends and reads its CMAF
 * chunks as they are written). The answer is a 200 without a Content-Length: HTTP/1.1 chunked transfer coding, or
 * HTTP/2 DATA frames; it ends when the segment's last part is sent, or is aborted when the segment can no longer be
 * completed (a new session, the end of the stream without it, a part lost for good, the hold limit passed).
 *
 * <p>All methods are called on the viewer's event loop, in this order: {@link #startChunked} once, then
 * {@link #writeChunk} for each part in order, then {@link #endChunked} once. A request that was not started is
 * answered the usual way ({@link LiveReply}).
 */
public interface ChunkedLiveReply
{
    /**
     * @return true when this request may be answered part by part: a plain GET (no HEAD, no Range) of the response
     *         still current on its connection. False: the segment is held until complete, as before.
     */
    boolean acceptsChunked();

    /**
     * Write the response head (200, no Content-Length, {@code Transfer-Encoding: chunked}; HTTP/2 drops that header).
     *
     * @param headers this viewer's own headers (not shared), which the reply may change.
     */
    void startChunked(HttpHeaders headers);

    /**
     * Write and flush the next part.
     *
     * @param chunk this viewer's own reference (a retained duplicate of the store's part), released by the write.
     */
    void writeChunk(ByteBuf chunk);

    /**
     * End the response.
     *
     * @param complete true: the segment is complete (last chunk, the connection stays open); false: abort (HTTP/1.1
     *                 closes the connection without the last chunk, HTTP/2 resets the stream), so no client or cache
     *                 takes a truncated segment for a whole one.
     */
    void endChunked(boolean complete);
}
