package io.bifrost.ingest.relay;

import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The relay's wire format, shared by the ingest (writer) and the origin (reader).
 *
 * <p>The request: {@code POST /internal/v1/live/{streamId}/flv}, {@code Transfer-Encoding: chunked},
 * {@code Authorization: Bearer <secret>}, {@code X-Bifrost-Protocol} (how the publisher reached the ingest) and
 * {@code X-Bifrost-Passthrough} ({@code true} when the publish skips the transcoder). The body is a plain FLV stream
 * (FLV 10.1 annex E: file header, then tags each followed by PreviousTagSize), so it can be saved and played with any
 * FLV tool. Before each audio, video or script tag the ingest writes one script-data tag named
 * {@value #ARRIVAL_TAG_NAME} whose single AMF0 number is the wall clock, in epoch milliseconds, when the following tag
 * reached the ingest. The origin stamps the tag with it, so EXT-X-PROGRAM-DATE-TIME is the capture at the ingest even
 * when the relay delays, batches or (after a reconnect) replays tags. Why a tag and not a custom frame: the body stays
 * valid FLV (players skip unknown script data), the origin reuses its FLV parsing, and the cost is 43 bytes per tag
 * (about 3 KB/s at 30 fps with audio).
 */
public final class RelayWire
{
    /** Path prefix of the relay request; the stream id and {@link #PATH_SUFFIX} follow. */
    public static final String PATH_PREFIX = "/internal/v1/live/";
    /** Path suffix of the relay request. */
    public static final String PATH_SUFFIX = "/flv";
    /** The stream ids the packager accepts, and so the relay too. */
    public static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Header naming the publisher's protocol ({@code rtmp}, {@code rtmps}, {@code srt}). */
    public static final String HEADER_PROTOCOL = "X-Bifrost-Protocol";
    /** Header saying whether the publish skips the transcoder. */
    public static final String HEADER_PASSTHROUGH = "X-Bifrost-Passthrough";
    /** Name of the script-data tag carrying the next tag's arrival time. */
    public static final String ARRIVAL_TAG_NAME = "onBifrostArrival";
    /** FLV header (E.2): "FLV", version 1, audio + video, DataOffset 9; then PreviousTagSize0 = 0. */
    public static final byte[] FILE_HEADER = {'F', 'L', 'V', 1, 0x05, 0, 0, 0, 9, 0, 0, 0, 0};
    /** FLVTAG header length (E.4.1). */
    public static final int TAG_HEADER_SIZE = 11;
    /** PreviousTagSize after every tag (E.3). */
    public static final int BACK_POINTER_SIZE = 4;
    /** Largest DataSize a tag header can carry (UI24). */
    public static final int MAX_DATA_SIZE = 0xFF_FFFF;
    /** TagType of script data (E.4.1). */
    public static final int TAG_SCRIPT = 18;

    private static final byte[] ARRIVAL_NAME = ARRIVAL_TAG_NAME.getBytes(StandardCharsets.US_ASCII);
    /** AMF0 markers (AMF0 spec 2.2, 2.4). */
    private static final int AMF0_NUMBER = 0x00;
    private static final int AMF0_STRING = 0x02;
    /** Body of the arrival tag: string marker, length, name, number marker, double. */
    public static final int ARRIVAL_BODY_SIZE = 1 + 2 + ARRIVAL_NAME.length + 1 + 8;
    /** The arrival tag on the wire. */
    public static final int ARRIVAL_TAG_SIZE = TAG_HEADER_SIZE + ARRIVAL_BODY_SIZE + BACK_POINTER_SIZE;

    private RelayWire()
    {
    }

    /**
     * @param streamId a stream id.
     * @return the request path for it.
     */
    public static String path(final String streamId)
    {
        return PATH_PREFIX + streamId + PATH_SUFFIX;
    }

    /**
     * @param payloadSize a tag body size.
     * @return the bytes {@link #writeTag} writes for it, arrival tag included.
     */
    public static int framedSize(final int payloadSize)
    {
        return ARRIVAL_TAG_SIZE + TAG_HEADER_SIZE + payloadSize + BACK_POINTER_SIZE;
    }

    /**
     * Write the arrival tag, then the tag itself.
     *
     * @param out          where to write.
     * @param type         the FLV TagType.
     * @param timestampMs  the tag's timestamp; its low 32 bits go on the wire (the reader extends them again).
     * @param payload      the tag body, read from its reader index, not consumed.
     * @param receivedAtMs when the tag reached the ingest.
     * @throws IllegalArgumentException when the body is too large for an FLV tag.
     */
    public static void writeTag(final ByteBuf out, final int type, final long timestampMs, final ByteBuf payload,
        final long receivedAtMs)
    {
        final int size = payload.readableBytes();
        if (size > MAX_DATA_SIZE)
        {
            throw new IllegalArgumentException("FLV tag body of " + size + " bytes is larger than 16 MiB");
        }
        writeTagHeader(out, TAG_SCRIPT, ARRIVAL_BODY_SIZE, timestampMs);
        out.writeByte(AMF0_STRING).writeShort(ARRIVAL_NAME.length).writeBytes(ARRIVAL_NAME);
        out.writeByte(AMF0_NUMBER).writeDouble(receivedAtMs);
        out.writeInt(TAG_HEADER_SIZE + ARRIVAL_BODY_SIZE);
        writeTagHeader(out, type, size, timestampMs);
        out.writeBytes(payload, payload.readerIndex(), size);
        out.writeInt(TAG_HEADER_SIZE + size);
    }

    /**
     * @param out where to write.
     * @param tag the tag; its payload is read, not consumed.
     * @param receivedAtMs when it reached the ingest.
     */
    public static void writeTag(final ByteBuf out, final FlvTag tag, final long receivedAtMs)
    {
        writeTag(out, tag.type().id(), tag.timestampMs(), tag.payload(), receivedAtMs);
    }

    /**
     * @param body a script tag's body, read from its reader index, not consumed.
     * @return the arrival time it carries, or -1 when it is not an arrival tag (or the time is not a sane number).
     */
    public static long arrivalOf(final ByteBuf body)
    {
        final int at = body.readerIndex();
        if (body.readableBytes() != ARRIVAL_BODY_SIZE || AMF0_STRING != body.getUnsignedByte(at) ||
            ARRIVAL_NAME.length != body.getUnsignedShort(at + 1))
        {
            return -1;
        }
        for (int i = 0; i < ARRIVAL_NAME.length; i++)
        {
            if (ARRIVAL_NAME[i] != body.getByte(at + 3 + i))
            {
                return -1;
            }
        }
        final int numberAt = at + 3 + ARRIVAL_NAME.length;
        if (AMF0_NUMBER != body.getUnsignedByte(numberAt))
        {
            return -1;
        }
        final double value = body.getDouble(numberAt + 1);
        return value >= 0 && value < 1.0e15 ? (long)value : -1;
    }

    private static void writeTagHeader(final ByteBuf out, final int type, final int size, final long timestampMs)
    {
        out.writeByte(type);
        out.writeMedium(size);
        out.writeMedium((int)(timestampMs & 0xFF_FFFF));
        out.writeByte((int)(timestampMs >>> 24) & 0xFF);
        out.writeMedium(0); // StreamID, always 0
    }
}
