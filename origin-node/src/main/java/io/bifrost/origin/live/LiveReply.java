package io.bifrost.origin.live;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Where the answer to a live request goes when the {@link LiveResponder} does not answer it at once: the later answer
 * of a held request, or a <i>streamed</i> answer, the segment being written sent chunk by chunk (low-latency DASH).
 * Implemented by the HTTP layer for one request on one connection (an HTTP/1.1 connection or an HTTP/2 stream).
 *
 * <p>All methods are called on the connection's executor. A request gets either one {@link #answer}, or
 * {@link #startStream} once, then {@link #writeChunk} any number of times, then {@link #endStream} once (unless its
 * connection closed first, then nothing more).
 */
public interface LiveReply
{
    /**
     * The answer of a held request; the connection then goes on with the requests pipelined behind it.
     *
     * @param response the whole answer.
     */
    void answer(FullHttpResponse response);

    /**
     * Write the head of a streamed answer: a 200 without a Content-Length, {@code Transfer-Encoding: chunked} on
     * HTTP/1.1 (HTTP/2 drops that header and sends DATA frames).
     *
     * @param head the status and headers; the reply adds its connection's own (CORS, Connection).
     */
    void startStream(HttpResponse head);

    /**
     * Write and flush the next chunk of a streamed answer.
     *
     * @param chunk the bytes, owned by the write from now on.
     * @return completes once the chunk has been written to the connection (or failed); the caller bounds the bytes
     *         whose writes have not completed yet.
     */
    ChannelFuture writeChunk(ByteBuf chunk);

    /**
     * End a streamed answer.
     *
     * @param complete true: the terminating chunk (HTTP/2: END_STREAM), then the connection goes on with the requests
     *                 pipelined behind it; false: abort, the HTTP/1.1 connection is closed without the terminating
     *                 chunk (HTTP/2: the stream is reset), so no client or cache takes a truncated segment for a whole
     *                 one.
     */
    void endStream(boolean complete);
}
