package io.bifrost.origin.live.relay;

import io.bifrost.ingest.relay.RelayWire;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.amf.Amf0Exception;
import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagParser;
import io.bifrost.ingest.rtmp.flv.TimestampExtender;
import io.netty.buffer.ByteBuf;

import java.util.function.LongSupplier;

/**
 * Reads the relay's FLV body incrementally (FLV 10.1 annex E: header, then tag + PreviousTagSize, repeated) from
 * whatever bytes have arrived, and hands each audio, video and script tag on with the arrival time its preceding
 * {@value RelayWire#ARRIVAL_TAG_NAME} tag carried (the current time when there was none; never later than now, so an
 * ingest whose clock runs ahead cannot put PDT in the future). Tag headers are parsed by ingest-rtmp's
 * {@link FlvTagParser}, timestamps extended past the 32-bit wrap by its {@link TimestampExtender}.
 *
 * <p>Bounds: a tag body larger than {@code maxTagBytes} is refused before it is buffered, so the caller never holds
 * more than one tag plus what one read brought. Refusals are {@link RelayFormatException}s. Not thread-safe: one
 * connection's event loop.
 */
public final class RelayFlvDecoder
{
    /** FLV header length with DataOffset 9 (E.2). */
    static final int FILE_HEADER_SIZE = 9;
    /** Largest DataOffset accepted. */
    static final int MAX_DATA_OFFSET = 1024;
    /** TagType values (E.4.1). */
    static final int TAG_AUDIO = 8;
    static final int TAG_VIDEO = 9;
    static final int TAG_SCRIPT = 18;
    /** The Filter bit of the TagType byte: an encrypted tag. */
    static final int FILTER_BIT = 0x20;

    /** Receives decoded tags. */
    @FunctionalInterface
    public interface TagHandler
    {
        /**
         * @param tag          the tag; its payload is valid only during the call.
         * @param receivedAtMs when it reached the ingest, epoch millis.
         * @return true for the next tag now, false to stop (the rest stays in the buffer).
         */
        boolean onTag(FlvTag tag, long receivedAtMs);
    }

    private final int maxTagBytes;
    private final FlvTagParser parser = new FlvTagParser(new Amf0Reader(Amf0Limits.defaults()));
    private final TimestampExtender timeline = new TimestampExtender();
    private final LongSupplier clock;
    private boolean headerRead;
    private long pendingArrivalMs = -1;

    /**
     * @param maxTagBytes the largest tag body accepted.
     * @param clock       the wall clock, epoch millis.
     */
    public RelayFlvDecoder(final int maxTagBytes, final LongSupplier clock)
    {
        this.maxTagBytes = maxTagBytes;
        this.clock = clock;
    }

    /**
     * Decode every whole tag in {@code in}, consuming it; a partial tag stays for the next call.
     *
     * @param in      the bytes received and not yet consumed.
     * @param handler gets the tags.
     * @return false when the handler asked to stop, true when every whole tag was handed on.
     * @throws RelayFormatException when the bytes are not the relay's FLV.
     */
    public boolean decode(final ByteBuf in, final TagHandler handler)
    {
        if (!headerRead && !readHeader(in))
        {
            return true;
        }
        while (in.readableBytes() >= RelayWire.TAG_HEADER_SIZE)
        {
            final int at = in.readerIndex();
            final int typeByte = in.getUnsignedByte(at);
            if (0 != (typeByte & FILTER_BIT))
            {
                throw new RelayFormatException("encrypted FLV tag (Filter bit set)");
            }
            final int type = typeByte & 0x1F;
            if (TAG_AUDIO != type && TAG_VIDEO != type && TAG_SCRIPT != type)
            {
                throw new RelayFormatException("FLV tag type " + type + " is not audio, video or script data");
            }
            final int size = in.getUnsignedMedium(at + 1);
            if (size > maxTagBytes)
            {
                throw new RelayFormatException("FLV tag of " + size + " bytes, limit " + maxTagBytes);
            }
            final int whole = RelayWire.TAG_HEADER_SIZE + size + RelayWire.BACK_POINTER_SIZE;
            if (in.readableBytes() < whole)
            {
                return true;
            }
            final long timestamp32 = in.getUnsignedMedium(at + 4) | ((long)in.getUnsignedByte(at + 7) << 24);
            final ByteBuf body = in.slice(at + RelayWire.TAG_HEADER_SIZE, size);
            in.readerIndex(at + whole);
            if (TAG_SCRIPT == type)
            {
                final long arrival = RelayWire.arrivalOf(body);
                if (arrival >= 0)
                {
                    pendingArrivalMs = arrival;
                    continue;
                }
            }
            final FlvTag tag = parse(type, timeline.extend(timestamp32), body);
            final long now = clock.getAsLong();
            final long receivedAtMs = pendingArrivalMs < 0 ? now : Math.min(pendingArrivalMs, now);
            pendingArrivalMs = -1;
            if (!handler.onTag(tag, receivedAtMs))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param in the bytes not yet consumed.
     * @return whether the stream stopped cleanly between tags (nothing left, header read).
     */
    public boolean atTagBoundary(final ByteBuf in)
    {
        return headerRead && !in.isReadable();
    }

    private boolean readHeader(final ByteBuf in)
    {
        if (in.readableBytes() < FILE_HEADER_SIZE)
        {
            return false;
        }
        final int at = in.readerIndex();
        if ('F' != in.getByte(at) || 'L' != in.getByte(at + 1) || 'V' != in.getByte(at + 2) || 1 != in.getByte(at + 3))
        {
            throw new RelayFormatException("the relay body is not an FLV version 1 stream");
        }
        final long dataOffset = in.getUnsignedInt(at + 5);
        if (dataOffset < FILE_HEADER_SIZE || dataOffset > MAX_DATA_OFFSET)
        {
            throw new RelayFormatException("FLV DataOffset " + dataOffset + " outside [9, " + MAX_DATA_OFFSET + "]");
        }
        final int skip = (int)dataOffset + RelayWire.BACK_POINTER_SIZE;
        if (in.readableBytes() < skip)
        {
            return false;
        }
        in.skipBytes(skip);
        headerRead = true;
        return true;
    }

    private FlvTag parse(final int type, final long timestampMs, final ByteBuf body)
    {
        try
        {
            return switch (type)
            {
                case TAG_AUDIO -> parser.audio(timestampMs, body);
                case TAG_VIDEO -> parser.video(timestampMs, body);
                default -> parser.script(timestampMs, body);
            };
        }
        catch (final RtmpProtocolException | Amf0Exception ex)
        {
            throw new RelayFormatException("malformed FLV tag: " + ex.getMessage());
        }
    }
}
