package io.bifrost.origin.live.ingest;

import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.netty.buffer.Unpooled;

/**
 * A publisher's tag copied off the event loop's buffer: the whole FLV tag as a file holds it (FLV spec E.4.1: 11-byte
 * header, body, PreviousTagSize), ready to be written to ffmpeg's stdin as it is, and the parsed {@link FlvTag} whose
 * payload is a view of the body inside that copy. Immutable once queued; owned by the stream's writer thread.
 *
 * @param tag          the parsed tag; its payload is a view of {@code flv}.
 * @param flv          the FLV tag bytes.
 * @param receivedAtMs when the ingest handed it over, epoch millis: the capture clock of a live publisher (it sends in
 *                     real time), which stamps EXT-X-PROGRAM-DATE-TIME.
 */
public record CopiedTag(FlvTag tag, byte[] flv, long receivedAtMs)
{
    /** FLVTAG header length (E.4.1). */
    public static final int HEADER_SIZE = 11;
    /** PreviousTagSize after every tag (E.3). */
    public static final int BACK_POINTER_SIZE = 4;
    /** Largest DataSize a tag header can carry (UI24). */
    public static final int MAX_BODY_SIZE = 0xFF_FFFF;

    /**
     * @param tag a tag, valid only during the caller's {@code onTag}.
     * @return its copy.
     * @throws IllegalArgumentException when the body is too large for an FLV tag.
     */
    public static CopiedTag of(final FlvTag tag)
    {
        return of(tag, System.currentTimeMillis());
    }

    /**
     * @param tag          a tag, valid only during the caller's {@code onTag}.
     * @param receivedAtMs when it arrived, epoch millis.
     * @return its copy.
     * @throws IllegalArgumentException when the body is too large for an FLV tag.
     */
    public static CopiedTag of(final FlvTag tag, final long receivedAtMs)
    {
        final int size = tag.payload().readableBytes();
        if (size > MAX_BODY_SIZE)
        {
            throw new IllegalArgumentException("FLV tag body of " + size + " bytes is larger than 16 MiB");
        }
        final byte[] bytes = new byte[HEADER_SIZE + size + BACK_POINTER_SIZE];
        final long timestamp = tag.timestampMs();
        bytes[0] = (byte)tag.type().id();
        putMedium(bytes, 1, size);
        putMedium(bytes, 4, (int)(timestamp & 0xFF_FFFF));
        bytes[7] = (byte)(timestamp >>> 24);
        // StreamID (3 bytes) is always 0
        tag.payload().getBytes(tag.payload().readerIndex(), bytes, HEADER_SIZE, size);
        final int previousTagSize = HEADER_SIZE + size;
        bytes[previousTagSize] = (byte)(previousTagSize >>> 24);
        bytes[previousTagSize + 1] = (byte)(previousTagSize >>> 16);
        bytes[previousTagSize + 2] = (byte)(previousTagSize >>> 8);
        bytes[previousTagSize + 3] = (byte)previousTagSize;
        final FlvTag copy = new FlvTag(tag.type(), tag.timestampMs(), Unpooled.wrappedBuffer(bytes, HEADER_SIZE, size),
            tag.videoCodec(), tag.fourCc(), tag.enhanced(), tag.videoPacket(), tag.keyframe(), tag.compositionTimeMs(),
            tag.soundFormat(), tag.audioPacket(), tag.metadata());
        return new CopiedTag(copy, bytes, receivedAtMs);
    }

    /**
     * @return where the tag body starts in {@link #flv()}.
     */
    public int bodyOffset()
    {
        return HEADER_SIZE;
    }

    /**
     * @return the tag body's length.
     */
    public int bodyLength()
    {
        return flv.length - HEADER_SIZE - BACK_POINTER_SIZE;
    }

    private static void putMedium(final byte[] bytes, final int at, final int value)
    {
        bytes[at] = (byte)(value >>> 16);
        bytes[at + 1] = (byte)(value >>> 8);
        bytes[at + 2] = (byte)value;
    }
}
