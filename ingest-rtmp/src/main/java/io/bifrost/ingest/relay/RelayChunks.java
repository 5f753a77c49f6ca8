package io.bifrost.ingest.relay;

import io.bifrost.ingest.sink.PublishRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * The bytes a relay connection writes: the request head, then the body as HTTP/1.1 chunks (RFC 9112 7.1), each tag
 * one chunk (its arrival tag and the tag, {@link RelayWire}), then the last chunk. Stateless.
 */
final class RelayChunks
{
    /** The last chunk and an empty trailer: the end of the request body. */
    static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final short CRLF = ('\r' << 8) | '\n';

    private RelayChunks()
    {
    }

    /**
     * @param alloc   the connection's allocator.
     * @param context the relay's concluded settings (host, port, secret).
     * @param request the publish relayed.
     * @return the request head, through the blank line.
     */
    static ByteBuf requestHead(final ByteBufAllocator alloc, final OriginRelayContext context,
        final PublishRequest request)
    {
        final String head = "POST " + RelayWire.path(request.streamId()) + " HTTP/1.1\r\n" +
            "Host: " + context.host() + ':' + context.port() + "\r\n" +
            "Authorization: Bearer " + context.secret() + "\r\n" +
            "Content-Type: video/x-flv\r\n" +
            "Transfer-Encoding: chunked\r\n" +
            RelayWire.HEADER_PROTOCOL + ": " + request.protocol().wireName() + "\r\n" +
            RelayWire.HEADER_PASSTHROUGH + ": " + request.passthrough() + "\r\n\r\n";
        final ByteBuf buf = alloc.buffer(head.length());
        buf.writeCharSequence(head, StandardCharsets.US_ASCII);
        return buf;
    }

    /**
     * One tag as one chunk: size in hex, CRLF, the arrival tag and the tag, CRLF; in a pooled direct buffer the
     * caller owns.
     *
     * @param type         FLV tag type.
     * @param timestampMs  the tag's timestamp.
     * @param payload      the tag's body (not consumed).
     * @param receivedAtMs when the tag reached the ingest, epoch milliseconds.
     * @return the chunk.
     */
    static ByteBuf tag(final int type, final long timestampMs, final ByteBuf payload, final long receivedAtMs)
    {
        final int framed = RelayWire.framedSize(payload.readableBytes());
        final String size = Integer.toHexString(framed);
        final ByteBuf chunk = ByteBufAllocator.DEFAULT.directBuffer(size.length() + 2 + framed + 2);
        chunk.writeCharSequence(size, StandardCharsets.US_ASCII);
        chunk.writeShort(CRLF);
        RelayWire.writeTag(chunk, type, timestampMs, payload, receivedAtMs);
        chunk.writeShort(CRLF);
        return chunk;
    }

    /**
     * @param alloc the connection's allocator.
     * @param data  bytes to send as one chunk; released here.
     * @return the chunk.
     */
    static ByteBuf chunkOf(final ByteBufAllocator alloc, final ByteBuf data)
    {
        final String size = Integer.toHexString(data.readableBytes());
        final ByteBuf chunk = alloc.buffer(size.length() + 4 + data.readableBytes());
        chunk.writeCharSequence(size, StandardCharsets.US_ASCII);
        chunk.writeShort(CRLF);
        chunk.writeBytes(data);
        chunk.writeShort(CRLF);
        data.release();
        return chunk;
    }
}
