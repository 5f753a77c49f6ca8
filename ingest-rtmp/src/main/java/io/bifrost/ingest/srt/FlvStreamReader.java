package io.bifrost.ingest.srt;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an FLV byte stream (FLV specification 10.1, annex E: header, then PreviousTagSize + tag, repeated) from a
 * blocking input, such as the SRT bridge's ffmpeg stdout. Refuses input that is not FLV, encrypted tags
 * (the Filter bit), tag types other than audio, video and script data, and tags larger than the configured bound
 * with {@link FlvStreamException}; allocates at most one tag body at a time. Not thread-safe: one reader thread.
 */
public final class FlvStreamReader
{
    /** FLV header length with DataOffset 9 (E.2). */
    static final int HEADER_SIZE = 9;
    /** PreviousTagSize, UI32 after the header and after every tag (E.3). */
    static final int PREVIOUS_TAG_SIZE_BYTES = 4;
    /** Largest DataOffset accepted (the spec has 9; room for a future extension). */
    static final int MAX_DATA_OFFSET = 1024;
    /** TagType values (E.4.1). */
    static final int TAG_AUDIO = 8;
    static final int TAG_VIDEO = 9;
    static final int TAG_SCRIPT = 18;
    /** The Filter bit of the TagType byte: an encrypted tag. */
    static final int FILTER_BIT = 0x20;

    /**
     * One tag from the stream.
     *
     * @param type        8 audio, 9 video, 18 script data.
     * @param timestamp32 the 32-bit timestamp in milliseconds (Timestamp + TimestampExtended).
     * @param body        the tag body.
     */
    public record Tag(int type, long timestamp32, byte[] body)
    {
    }

    private final DataInputStream in;
    private final int maxTagBytes;
    private boolean headerRead;

    /**
     * @param in          the FLV bytes; closed by the caller.
     * @param maxTagBytes the largest tag body accepted.
     */
    public FlvStreamReader(final InputStream in, final int maxTagBytes)
    {
        this.in = new DataInputStream(in);
        this.maxTagBytes = maxTagBytes;
    }

    /**
     * @return the next tag, or null at a clean end of stream (between tags).
     * @throws FlvStreamException for input that is not acceptable FLV (a cut tag included).
     * @throws IOException        when reading fails.
     */
    public Tag next() throws IOException
    {
        if (!headerRead)
        {
            readHeader();
            headerRead = true;
        }
        final int typeByte = in.read();
        if (typeByte < 0)
        {
            return null;
        }
        try
        {
            if (0 != (typeByte & FILTER_BIT))
            {
                throw new FlvStreamException("encrypted FLV tag (Filter bit set)");
            }
            final int type = typeByte & 0x1F;
            if (TAG_AUDIO != type && TAG_VIDEO != type && TAG_SCRIPT != type)
            {
                throw new FlvStreamException("FLV tag type " + type + " is not audio, video or script data");
            }
            final int size = readMedium();
            if (size > maxTagBytes)
            {
                throw new FlvStreamException("FLV tag of " + size + " bytes, limit " + maxTagBytes);
            }
            final long timestamp = readMedium() | ((long)in.readUnsignedByte() << 24);
            in.skipNBytes(3); // StreamID, always 0
            final byte[] body = new byte[size];
            in.readFully(body);
            skipPreviousTagSize();
            return new Tag(type, timestamp, body);
        }
        catch (final EOFException ex)
        {
            throw new FlvStreamException("FLV stream ends inside a tag");
        }
    }

    /**
     * PreviousTagSize is not trusted (the tag headers carry the sizes); a stream cut right after a whole tag, inside
     * this field, still ends cleanly.
     */
    private void skipPreviousTagSize() throws IOException
    {
        for (int i = 0; i < PREVIOUS_TAG_SIZE_BYTES; i++)
        {
            if (in.read() < 0)
            {
                return;
            }
        }
    }

    private void readHeader() throws IOException
    {
        final byte[] header = new byte[HEADER_SIZE];
        try
        {
            in.readFully(header);
        }
        catch (final EOFException ex)
        {
            throw new FlvStreamException("FLV stream ends inside its header");
        }
        if ('F' != header[0] || 'L' != header[1] || 'V' != header[2] || 1 != header[3])
        {
            throw new FlvStreamException("not an FLV version 1 stream");
        }
        final long dataOffset = ((header[5] & 0xFFL) << 24) | ((header[6] & 0xFF) << 16) | ((header[7] & 0xFF) << 8) |
            (header[8] & 0xFF);
        if (dataOffset < HEADER_SIZE || dataOffset > MAX_DATA_OFFSET)
        {
            throw new FlvStreamException("FLV DataOffset " + dataOffset + " outside [9, " + MAX_DATA_OFFSET + "]");
        }
        try
        {
            in.skipNBytes(dataOffset - HEADER_SIZE + PREVIOUS_TAG_SIZE_BYTES);
        }
        catch (final EOFException ex)
        {
            throw new FlvStreamException("FLV stream ends inside its header");
        }
    }

    private int readMedium() throws IOException
    {
        return (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
    }
}
