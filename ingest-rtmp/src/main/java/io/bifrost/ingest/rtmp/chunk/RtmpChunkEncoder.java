package io.bifrost.ingest.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

import static io.bifrost.ingest.rtmp.chunk.ChunkHeader.*;

/**
 * Splits outgoing {@link RtmpMessage}s into chunks (RTMP 1.0 section 5.3), choosing the smallest header each message
 * allows: type 0 for the first message on a chunk stream, a new message stream id or a timestamp that goes back;
 * type 1 when length or type change; type 2 when only the delta changes; type 3 when everything repeats. Timestamps
 * from 0xFFFFFF up go in the extended field, repeated on every type-3 continuation chunk (section 5.3.1.3).
 *
 * <p>A Set Chunk Size message is sent at the old size and switches this encoder to the new one afterwards.
 * Releases each message it encodes. Not thread-safe: used on the connection's event loop.
 */
public final class RtmpChunkEncoder extends MessageToByteEncoder<RtmpMessage>
{
    private final IntObjectMap<ChunkStreamState> chunkStreams = new IntObjectHashMap<>();
    private int chunkSize = DEFAULT_CHUNK_SIZE;

    /**
     * An encoder that starts at the default chunk size of 128.
     */
    public RtmpChunkEncoder()
    {
        super(RtmpMessage.class);
    }

    /**
     * @return the chunk size the encoder splits with now.
     */
    public int outboundChunkSize()
    {
        return chunkSize;
    }

    @Override
    protected void encode(final ChannelHandlerContext ctx, final RtmpMessage message, final ByteBuf out)
    {
        try
        {
            encode(message, out);
        }
        finally
        {
            message.release();
        }
    }

    /**
     * Encode one message into {@code out}; the message payload is read but not released.
     *
     * @param message the message; chunk stream id in [2, 65599], timestamp in [0, 2^32).
     * @param out     the buffer to append chunks to.
     */
    public void encode(final RtmpMessage message, final ByteBuf out)
    {
        final int csid = message.chunkStreamId();
        if (csid < MIN_CHUNK_STREAM_ID || csid > MAX_CHUNK_STREAM_ID)
        {
            throw new IllegalArgumentException("chunk stream id out of range: " + csid);
        }
        final ByteBuf payload = message.payload();
        final int length = payload.readableBytes();
        final long timestamp = message.timestamp() & 0xFFFF_FFFFL;

        ChunkStreamState state = chunkStreams.get(csid);
        if (null == state)
        {
            state = new ChunkStreamState();
            chunkStreams.put(csid, state);
        }
        final int fmt;
        final long timestampField;
        if (!state.initialised || state.messageStreamId != message.messageStreamId() || timestamp < state.timestamp)
        {
            fmt = FMT_FULL;
            timestampField = timestamp;
        }
        else
        {
            timestampField = timestamp - state.timestamp;
            if (state.messageLength != length || state.typeId != message.typeId())
            {
                fmt = FMT_NO_STREAM_ID;
            }
            else if (state.timestampField != timestampField)
            {
                fmt = FMT_DELTA_ONLY;
            }
            else
            {
                fmt = FMT_CONTINUATION;
            }
        }
        final boolean extended = timestampField >= EXTENDED_TIMESTAMP_MARKER;

        writeBasicHeader(out, fmt, csid);
        if (FMT_CONTINUATION != fmt)
        {
            out.writeMedium(extended ? EXTENDED_TIMESTAMP_MARKER : (int)timestampField);
            if (FMT_DELTA_ONLY != fmt)
            {
                out.writeMedium(length);
                out.writeByte(message.typeId());
            }
            if (FMT_FULL == fmt)
            {
                out.writeIntLE(message.messageStreamId());
            }
        }
        if (extended)
        {
            out.writeInt((int)timestampField);
        }

        int offset = payload.readerIndex();
        int remaining = length;
        boolean firstChunk = true;
        while (firstChunk || remaining > 0)
        {
            if (!firstChunk)
            {
                writeBasicHeader(out, FMT_CONTINUATION, csid);
                if (extended)
                {
                    out.writeInt((int)timestampField);
                }
            }
            final int n = Math.min(chunkSize, remaining);
            out.writeBytes(payload, offset, n);
            offset += n;
            remaining -= n;
            firstChunk = false;
        }

        state.initialised = true;
        state.timestamp = timestamp;
        state.timestampField = timestampField;
        state.extended = extended;
        state.messageLength = length;
        state.typeId = message.typeId();
        state.messageStreamId = message.messageStreamId();

        if (RtmpMessageType.SET_CHUNK_SIZE == message.typeId() && length >= 4)
        {
            chunkSize = Math.max(1, payload.getInt(payload.readerIndex()) & 0x7FFF_FFFF);
        }
    }

    private static void writeBasicHeader(final ByteBuf out, final int fmt, final int csid)
    {
        if (csid <= MAX_ONE_BYTE_CSID)
        {
            out.writeByte((fmt << 6) | csid);
        }
        else if (csid <= MAX_TWO_BYTE_CSID)
        {
            out.writeByte(fmt << 6);
            out.writeByte(csid - 64);
        }
        else
        {
            out.writeByte((fmt << 6) | 1);
            out.writeShortLE(csid - 64);
        }
    }
}
