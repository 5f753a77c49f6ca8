package io.bifrost.origin.live.transcode;

import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.VideoCodec;
import io.bifrost.origin.live.ingest.CopiedTag;

/**
 * Rewrites H.264 sent in Enhanced RTMP video tags (veovera E-RTMP: IsExHeader, PacketType, FourCC {@code avc1}) as the
 * legacy FLV AVC tags ffmpeg 5.1's FLV demuxer reads (FLV spec E.4.3.1: FrameType/CodecID 7, AVCPacketType,
 * CompositionTime): SequenceStart becomes a sequence header, CodedFrames and CodedFramesX become NALU packets (the
 * latter with composition time 0), SequenceEnd an end of sequence; E-RTMP metadata and other packet types are
 * dropped. Stateless.
 */
final class LegacyAvcTags
{
    private static final int EX_SEQUENCE_START = 0;
    private static final int EX_CODED_FRAMES = 1;
    private static final int EX_SEQUENCE_END = 2;
    private static final int EX_CODED_FRAMES_X = 3;
    /** E-RTMP header: first byte and FourCC. */
    private static final int EX_HEADER = 5;
    /** Legacy AVC header: FrameType/CodecID, AVCPacketType, CompositionTime. */
    private static final int LEGACY_HEADER = 5;

    private LegacyAvcTags()
    {
    }

    /**
     * @param copied a tag.
     * @return whether it must be rewritten before ffmpeg reads it.
     */
    static boolean needsRewrite(final CopiedTag copied)
    {
        final FlvTag tag = copied.tag();
        return tag.isVideo() && tag.enhanced() && VideoCodec.AVC == tag.videoCodec();
    }

    /**
     * @param copied an E-RTMP H.264 tag ({@link #needsRewrite} true).
     * @return the whole legacy FLV tag (header, body, PreviousTagSize), or null for a tag ffmpeg does not need.
     */
    static byte[] rewrite(final CopiedTag copied)
    {
        final byte[] flv = copied.flv();
        final int body = copied.bodyOffset();
        final int length = copied.bodyLength();
        final int first = flv[body] & 0xFF;
        final int frameType = (first >>> 4) & 0x07;
        final int packetType = first & 0x0F;
        final int avcPacketType;
        final int dataAt;
        boolean hasCompositionTime = false;
        switch (packetType)
        {
            case EX_SEQUENCE_START ->
            {
                avcPacketType = 0;
                dataAt = EX_HEADER;
            }
            case EX_CODED_FRAMES ->
            {
                avcPacketType = 1;
                dataAt = EX_HEADER + 3;
                hasCompositionTime = true;
            }
            case EX_CODED_FRAMES_X ->
            {
                avcPacketType = 1;
                dataAt = EX_HEADER;
            }
            case EX_SEQUENCE_END ->
            {
                avcPacketType = 2;
                dataAt = EX_HEADER;
            }
            default ->
            {
                return null;
            }
        }
        if (length < dataAt)
        {
            return null;
        }
        final int dataLength = length - dataAt;
        final int size = LEGACY_HEADER + dataLength;
        final byte[] out = new byte[CopiedTag.HEADER_SIZE + size + CopiedTag.BACK_POINTER_SIZE];
        System.arraycopy(flv, 0, out, 0, CopiedTag.HEADER_SIZE);
        out[1] = (byte)(size >>> 16);
        out[2] = (byte)(size >>> 8);
        out[3] = (byte)size;
        final int at = CopiedTag.HEADER_SIZE;
        out[at] = (byte)(frameType << 4 | VideoCodec.LEGACY_CODEC_ID_AVC);
        out[at + 1] = (byte)avcPacketType;
        if (hasCompositionTime)
        {
            System.arraycopy(flv, body + EX_HEADER, out, at + 2, 3);
        }
        System.arraycopy(flv, body + dataAt, out, at + LEGACY_HEADER, dataLength);
        final int previousTagSize = CopiedTag.HEADER_SIZE + size;
        out[previousTagSize] = (byte)(previousTagSize >>> 24);
        out[previousTagSize + 1] = (byte)(previousTagSize >>> 16);
        out[previousTagSize + 2] = (byte)(previousTagSize >>> 8);
        out[previousTagSize + 3] = (byte)previousTagSize;
        return out;
    }
}
