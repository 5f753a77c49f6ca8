package io.bifrost.ingest.record;

import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The bytes of an FLV file (FLV specification 10.1, annex E): the file header and whole tags with their
 * PreviousTagSize. Stateless.
 */
final class FlvFormat
{
    /** FLV header (E.2): "FLV", version 1, flags audio (0x04) + video (0x01), DataOffset 9; then PreviousTagSize0 = 0. */
    static final byte[] FILE_HEADER = {'F', 'L', 'V', 1, 0x05, 0, 0, 0, 9, 0, 0, 0, 0};
    /** FLVTAG header length (E.4.1): TagType, DataSize(24), Timestamp(24), TimestampExtended, StreamID(24). */
    static final int TAG_HEADER_SIZE = 11;
    /** PreviousTagSize after every tag (E.3). */
    static final int BACK_POINTER_SIZE = 4;
    /** Largest DataSize a tag header can carry (UI24). */
    static final int MAX_DATA_SIZE = 0xFF_FFFF;

    private FlvFormat()
    {
    }

    /**
     * @param tag a tag; its payload is read, not consumed.
     * @return the tag as it is written to a file: header, body, PreviousTagSize.
     * @throws IllegalArgumentException when the body is longer than a tag can describe.
     */
    static byte[] encode(final FlvTag tag)
    {
        final ByteBuf payload = tag.payload();
        final int size = payload.readableBytes();
        if (size > MAX_DATA_SIZE)
        {
            throw new IllegalArgumentException("FLV tag body of " + size + " bytes is larger than 16 MiB");
        }
        final byte[] bytes = new byte[TAG_HEADER_SIZE + size + BACK_POINTER_SIZE];
        final long timestamp = tag.timestampMs();
        bytes[0] = (byte)tag.type().id();
        putMedium(bytes, 1, size);
        putMedium(bytes, 4, (int)(timestamp & 0xFF_FFFF));
        bytes[7] = (byte)(timestamp >>> 24);
        // StreamID (3 bytes) is always 0
        payload.getBytes(payload.readerIndex(), bytes, TAG_HEADER_SIZE, size);
        final int previousTagSize = TAG_HEADER_SIZE + size;
        final int at = TAG_HEADER_SIZE + size;
        bytes[at] = (byte)(previousTagSize >>> 24);
        bytes[at + 1] = (byte)(previousTagSize >>> 16);
        bytes[at + 2] = (byte)(previousTagSize >>> 8);
        bytes[at + 3] = (byte)previousTagSize;
        return bytes;
    }

    /**
     * The same bytes as {@link #encode(FlvTag)}, in a direct buffer from {@code allocator}: one copy of the payload,
     * direct to direct, that a file channel then writes without another copy.
     *
     * @param tag       a tag; its payload is read, not consumed.
     * @param allocator where the buffer comes from; the caller owns (releases) it.
     * @return the encoded tag.
     * @throws IllegalArgumentException when the body is longer than a tag can describe.
     */
    static ByteBuf encode(final FlvTag tag, final ByteBufAllocator allocator)
    {
        final ByteBuf payload = tag.payload();
        final int size = payload.readableBytes();
        if (size > MAX_DATA_SIZE)
        {
            throw new IllegalArgumentException("FLV tag body of " + size + " bytes is larger than 16 MiB");
        }
        final long timestamp = tag.timestampMs();
        final ByteBuf out = allocator.directBuffer(TAG_HEADER_SIZE + size + BACK_POINTER_SIZE);
        out.writeByte(tag.type().id())
            .writeMedium(size)
            .writeMedium((int)(timestamp & 0xFF_FFFF))
            .writeByte((int)(timestamp >>> 24))
            .writeMedium(0)
            .writeBytes(payload, payload.readerIndex(), size)
            .writeInt(TAG_HEADER_SIZE + size);
        return out;
    }

    private static void putMedium(final byte[] bytes, final int at, final int value)
    {
        bytes[at] = (byte)(value >>> 16);
        bytes[at + 1] = (byte)(value >>> 8);
        bytes[at + 2] = (byte)value;
    }
}
