package io.bifrost.ingest.rtmp.chunk;

import io.bifrost.ingest.rtmp.RejectReason;
import io.bifrost.ingest.rtmp.RtmpLimits;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

import java.util.List;

import static io.bifrost.ingest.rtmp.chunk.ChunkHeader.*;

/**
 * Turns the chunk stream after the handshake into whole {@link RtmpMessage}s (RTMP 1.0 section 5.3).
 *
 * <p>A chunk header (basic header, message header, extended timestamp) is consumed only once it is all buffered, so
 * a partial header never changes state; the payload is then copied into its message as it arrives, read by read.
 * That keeps Netty's cumulation buffer empty almost always (a read ends inside a chunk header only rarely), so each
 * read buffer is used as it is, instead of being appended to the unconsumed rest of the previous read: with whole
 * chunks awaited, that append grew and copied the cumulation on nearly every read and cost about a third of the
 * event loop's CPU under 30 publishers. Messages are reassembled per chunk stream into buffers sized to the claimed
 * length up to {@link #PRESIZE_MAX_BYTES} (one allocation, no growth copies) and growing with the chunks received
 * above that; every size is checked against {@link RtmpLimits} (the reassembly bound counts claimed lengths).
 * The chunk-layer control messages are applied here, where they take effect for the very next chunk: Set Chunk Size,
 * Abort, Window Acknowledgement Size (this side then acknowledges as each window of received bytes fills), and the
 * peer's Acknowledgements (ignored). Every other message is passed on; its payload belongs to the next handler.
 *
 * <p>Malformed input raises {@link RtmpProtocolException}; after that the decoder discards everything.
 * Not thread-safe: one instance per connection, used on its event loop.
 */
public final class RtmpChunkDecoder extends ByteToMessageDecoder
{
    /** Messages up to this claimed length get their whole buffer at once (audio and video frames of 2-8 Mb/s). */
    static final int PRESIZE_MAX_BYTES = 256 * 1024;

    private final RtmpLimits limits;
    private ChunkStreamState payloadStream;
    private int payloadCsid;
    private int payloadRemaining;
    private final IntObjectMap<ChunkStreamState> chunkStreams = new IntObjectHashMap<>();
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private long reassemblyBytes;
    private long bytesReceived;
    private long bytesAcknowledged;
    private long windowAckSize;
    private boolean failed;

    /**
     * @param limits the bounds for chunk size, message size, chunk stream count and reassembly total.
     */
    public RtmpChunkDecoder(final RtmpLimits limits)
    {
        this.limits = limits;
    }

    /**
     * @return the chunk size the peer currently sends with.
     */
    public int inboundChunkSize()
    {
        return chunkSize;
    }

    /**
     * @return bytes received through this decoder since the handshake.
     */
    public long bytesReceived()
    {
        return bytesReceived;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) throws Exception
    {
        if (msg instanceof ByteBuf buf)
        {
            bytesReceived += buf.readableBytes();
        }
        super.channelRead(ctx, msg);
        acknowledgeIfWindowFilled(ctx);
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        if (failed)
        {
            in.skipBytes(in.readableBytes());
            return;
        }
        try
        {
            decodeChunk(ctx, in, out);
        }
        catch (final RtmpProtocolException ex)
        {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw ex;
        }
    }

    private void decodeChunk(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        if (null != payloadStream)
        {
            readPayload(in, out);
            return;
        }
        final int start = in.readerIndex();
        final int available = in.readableBytes();
        if (available < 1)
        {
            return;
        }
        final int first = in.getUnsignedByte(start);
        final int fmt = first >>> 6;
        int csid = first & 0x3F;
        int headerLength = 1;
        if (0 == csid)
        {
            if (available < 2)
            {
                return;
            }
            csid = 64 + in.getUnsignedByte(start + 1);
            headerLength = 2;
        }
        else if (1 == csid)
        {
            if (available < 3)
            {
                return;
            }
            csid = 64 + in.getUnsignedByte(start + 1) + (in.getUnsignedByte(start + 2) << 8);
            headerLength = 3;
        }

        final int messageHeaderLength = messageHeaderLength(fmt);
        if (available < headerLength + messageHeaderLength)
        {
            return;
        }

        ChunkStreamState state = chunkStreams.get(csid);
        if (null == state)
        {
            if (FMT_FULL != fmt)
            {
                throw new RtmpProtocolException(RejectReason.CHUNK_MALFORMED,
                    "first chunk on chunk stream " + csid + " has header type " + fmt + ", expected 0");
            }
            if (chunkStreams.size() >= limits.maxChunkStreams())
            {
                throw new RtmpProtocolException(RejectReason.CHUNK_LIMIT,
                    "more than " + limits.maxChunkStreams() + " chunk streams");
            }
            state = new ChunkStreamState();
            chunkStreams.put(csid, state);
        }

        final int mh = start + headerLength;
        long timestampField = state.timestampField;
        boolean extended = state.extended;
        int messageLength = state.messageLength;
        int typeId = state.typeId;
        int messageStreamId = state.messageStreamId;
        if (fmt != FMT_CONTINUATION)
        {
            timestampField = in.getUnsignedMedium(mh);
            extended = EXTENDED_TIMESTAMP_MARKER == timestampField;
            if (fmt <= FMT_NO_STREAM_ID)
            {
                messageLength = in.getUnsignedMedium(mh + 3);
                typeId = in.getUnsignedByte(mh + 6);
            }
            if (FMT_FULL == fmt)
            {
                messageStreamId = in.getIntLE(mh + 7);
            }
        }
        int position = mh + messageHeaderLength;
        if (extended)
        {
            if (available < position - start + 4)
            {
                return;
            }
            timestampField = in.getUnsignedInt(position);
            position += 4;
        }

        final boolean newMessage = null == state.partial;
        if (!newMessage && FMT_CONTINUATION != fmt)
        {
            throw new RtmpProtocolException(RejectReason.CHUNK_MALFORMED,
                "header type " + fmt + " on chunk stream " + csid + " inside an unfinished message");
        }
        if (newMessage && !state.initialised && FMT_FULL != fmt)
        {
            throw new RtmpProtocolException(RejectReason.CHUNK_MALFORMED,
                "header type " + fmt + " on chunk stream " + csid + " before any type 0 header");
        }
        if (messageLength > limits.maxMessageSize())
        {
            throw new RtmpProtocolException(RejectReason.CHUNK_LIMIT,
                "message length " + messageLength + " exceeds " + limits.maxMessageSize());
        }

        final int received = newMessage ? 0 : state.partial.readableBytes();
        final int payloadLength = Math.min(chunkSize, messageLength - received);

        if (newMessage)
        {
            if (reassemblyBytes + messageLength > limits.maxReassemblyBytes())
            {
                throw new RtmpProtocolException(RejectReason.CHUNK_LIMIT,
                    "messages in reassembly exceed " + limits.maxReassemblyBytes() + " bytes");
            }
            state.timestamp = (FMT_FULL == fmt ? timestampField : state.timestamp + timestampField) & 0xFFFF_FFFFL;
            state.messageLength = messageLength;
            state.typeId = typeId;
            state.messageStreamId = messageStreamId;
            if (FMT_CONTINUATION != fmt)
            {
                state.timestampField = timestampField;
                state.extended = extended;
            }
            state.initialised = true;
            state.partial = ctx.alloc().buffer(
                messageLength <= PRESIZE_MAX_BYTES ? messageLength : Math.min(messageLength, chunkSize), messageLength);
            reassemblyBytes += messageLength;
        }

        in.readerIndex(position);
        payloadStream = state;
        payloadCsid = csid;
        payloadRemaining = payloadLength;
        readPayload(in, out);
    }

    /**
     * Copy what has arrived of the current chunk's payload; at the chunk's end, pass on its message if complete.
     */
    private void readPayload(final ByteBuf in, final List<Object> out)
    {
        final ChunkStreamState state = payloadStream;
        final int length = Math.min(payloadRemaining, in.readableBytes());
        state.partial.writeBytes(in, length);
        payloadRemaining -= length;
        if (payloadRemaining > 0)
        {
            return;
        }
        payloadStream = null;
        if (state.partial.readableBytes() == state.messageLength)
        {
            final ByteBuf payload = state.partial;
            state.partial = null;
            reassemblyBytes -= state.messageLength;
            onMessage(new RtmpMessage(payloadCsid, state.typeId, state.timestamp, state.messageStreamId, payload), out);
        }
    }

    private void onMessage(final RtmpMessage message, final List<Object> out)
    {
        switch (message.typeId())
        {
            case RtmpMessageType.SET_CHUNK_SIZE -> chunkSize = readChunkSize(message);
            case RtmpMessageType.ABORT -> abort(controlValue(message));
            case RtmpMessageType.WINDOW_ACK_SIZE -> windowAckSize = readWindowAckSize(message);
            case RtmpMessageType.ACKNOWLEDGEMENT -> controlValue(message);
            default ->
            {
                out.add(message);
                return;
            }
        }
        message.release();
    }

    private int readChunkSize(final RtmpMessage message)
    {
        final long value = controlValue(message);
        if (value < 1 || value > 0x7FFF_FFFFL)
        {
            message.release();
            throw new RtmpProtocolException(RejectReason.CHUNK_MALFORMED, "set chunk size " + value + " out of range");
        }
        if (value > limits.maxChunkSize())
        {
            message.release();
            throw new RtmpProtocolException(RejectReason.CHUNK_LIMIT,
                "set chunk size " + value + " exceeds " + limits.maxChunkSize());
        }
        return (int)value;
    }

    private long readWindowAckSize(final RtmpMessage message)
    {
        final long value = controlValue(message);
        if (value < 1 || value > 0x7FFF_FFFFL)
        {
            message.release();
            throw new RtmpProtocolException(RejectReason.CHUNK_MALFORMED, "window ack size " + value + " out of range");
        }
        return value;
    }

    private static long controlValue(final RtmpMessage message)
    {
        final ByteBuf payload = message.payload();
        if (payload.readableBytes() < 4)
        {
            message.release();
            throw new RtmpProtocolException(RejectReason.CHUNK_MALFORMED,
                "protocol control message type " + message.typeId() + " shorter than 4 bytes");
        }
        return payload.getUnsignedInt(payload.readerIndex());
    }

    private void abort(final long csid)
    {
        final ChunkStreamState state = csid <= MAX_CHUNK_STREAM_ID ? chunkStreams.get((int)csid) : null;
        if (null != state && null != state.partial)
        {
            reassemblyBytes -= state.messageLength;
            state.partial.release();
            state.partial = null;
        }
    }

    private void acknowledgeIfWindowFilled(final ChannelHandlerContext ctx)
    {
        if (windowAckSize > 0 && !failed && bytesReceived - bytesAcknowledged >= windowAckSize)
        {
            bytesAcknowledged = bytesReceived;
            final ByteBuf payload = ctx.alloc().buffer(4).writeInt((int)bytesReceived);
            ctx.writeAndFlush(new RtmpMessage(
                RtmpMessageType.CSID_PROTOCOL_CONTROL, RtmpMessageType.ACKNOWLEDGEMENT, 0, 0, payload));
        }
    }

    @Override
    protected void handlerRemoved0(final ChannelHandlerContext ctx)
    {
        for (final ChunkStreamState state : chunkStreams.values())
        {
            if (null != state.partial)
            {
                state.partial.release();
                state.partial = null;
            }
        }
        payloadStream = null;
        reassemblyBytes = 0;
    }
}
