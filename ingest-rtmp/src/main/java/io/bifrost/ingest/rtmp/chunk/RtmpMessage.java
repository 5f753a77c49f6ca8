package io.bifrost.ingest.rtmp.chunk;

import io.netty.buffer.ByteBuf;

/**
 * One reassembled RTMP message (RTMP 1.0 section 5.3: message header plus payload).
 *
 * <p>Ownership: the payload is reference counted and owned by whoever holds the message; the last holder calls
 * {@link #release()}. The chunk decoder creates messages on the event loop; the encoder releases what it writes.
 *
 * @param chunkStreamId   the chunk stream it arrived on or is sent on (2..65599).
 * @param typeId          the message type id ({@link RtmpMessageType}).
 * @param timestamp       the 32-bit message timestamp in milliseconds, unsigned (0..2^32-1).
 * @param messageStreamId the message stream id (0 for connection-level messages).
 * @param payload         the message body.
 */
public record RtmpMessage(int chunkStreamId, int typeId, long timestamp, int messageStreamId, ByteBuf payload)
{
    /**
     * Release the payload.
     */
    public void release()
    {
        payload.release();
    }

    @Override
    public String toString()
    {
        return "RtmpMessage{csid=" + chunkStreamId + ", type=" + typeId + ", ts=" + timestamp +
            ", msid=" + messageStreamId + ", length=" + payload.readableBytes() + '}';
    }
}
