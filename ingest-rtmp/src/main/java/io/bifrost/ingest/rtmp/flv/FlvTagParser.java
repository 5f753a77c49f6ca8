package io.bifrost.ingest.rtmp.flv;

import io.bifrost.ingest.rtmp.RejectReason;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.amf.Amf0EcmaArray;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.netty.buffer.ByteBuf;

import java.util.List;
import java.util.Map;

/**
 * Reads the tag header of RTMP audio, video and data messages into {@link FlvTag}s: the legacy FLV headers
 * (FLV spec annex E.4.2.1 and E.4.3.1) and the Enhanced RTMP ExVideoTagHeader (veovera E-RTMP: IsExHeader bit,
 * PacketType, FourCC). A message too short for its header is refused with {@link RtmpProtocolException}.
 * Stateless apart from the AMF reader: safe to share.
 */
public final class FlvTagParser
{
    /** UB[1] IsExHeader, the top bit of the first video byte (E-RTMP). */
    static final int EX_HEADER_BIT = 0x80;
    /** FrameType 1: keyframe (FLV spec annex E.4.3.1). */
    static final int FRAME_TYPE_KEY = 1;
    /** AVCPacketType 0: sequence header (E.4.3.1). */
    static final int AVC_SEQUENCE_HEADER = 0;
    /** AVCPacketType 1: NALU. */
    static final int AVC_NALU = 1;
    /** AVCPacketType 2: end of sequence. */
    static final int AVC_END_OF_SEQUENCE = 2;
    /** E-RTMP PacketType SequenceStart. */
    static final int EX_SEQUENCE_START = 0;
    /** E-RTMP PacketType CodedFrames (hvc1 and avc1 carry an SI24 composition time). */
    static final int EX_CODED_FRAMES = 1;
    /** E-RTMP PacketType SequenceEnd. */
    static final int EX_SEQUENCE_END = 2;
    /** E-RTMP PacketType CodedFramesX (composition time 0, none on the wire). */
    static final int EX_CODED_FRAMES_X = 3;
    /** E-RTMP PacketType Metadata. */
    static final int EX_METADATA = 4;
    /** AACPacketType 0: sequence header (E.4.2.1). */
    static final int AAC_SEQUENCE_HEADER = 0;
    /** AACPacketType 1: raw. */
    static final int AAC_RAW = 1;
    /** First AMF0 value of a data message that sets stream metadata. */
    static final String SET_DATA_FRAME = "@setDataFrame";
    /** Name of the metadata script tag. */
    static final String ON_METADATA = "onMetaData";

    private final Amf0Reader amfReader;

    /**
     * @param amfReader reader for script data messages.
     */
    public FlvTagParser(final Amf0Reader amfReader)
    {
        this.amfReader = amfReader;
    }

    /**
     * @param timestampMs the extended timestamp.
     * @param payload     the video message body; not consumed, not released.
     * @return the tag, sharing {@code payload}.
     */
    public FlvTag video(final long timestampMs, final ByteBuf payload)
    {
        final int length = payload.readableBytes();
        require(length >= 1, "empty video message");
        final int at = payload.readerIndex();
        final int first = payload.getUnsignedByte(at);
        final int frameType = (first >>> 4) & 0x07;
        if (0 != (first & EX_HEADER_BIT))
        {
            require(length >= 5, "E-RTMP video message shorter than its 5-byte header");
            final int packetType = first & 0x0F;
            final int fourCc = payload.getInt(at + 1);
            final VideoCodec codec = VideoCodec.ofFourCc(fourCc);
            int compositionTime = 0;
            final VideoPacketKind kind;
            switch (packetType)
            {
                case EX_SEQUENCE_START -> kind = VideoPacketKind.SEQUENCE_HEADER;
                case EX_CODED_FRAMES ->
                {
                    kind = VideoPacketKind.CODED_FRAME;
                    if (VideoCodec.HEVC == codec || VideoCodec.AVC == codec)
                    {
                        require(length >= 8, "E-RTMP CodedFrames shorter than its composition time");
                        compositionTime = payload.getMedium(at + 5);
                    }
                }
                case EX_CODED_FRAMES_X -> kind = VideoPacketKind.CODED_FRAME;
                case EX_SEQUENCE_END -> kind = VideoPacketKind.END_OF_SEQUENCE;
                case EX_METADATA -> kind = VideoPacketKind.METADATA;
                default -> kind = VideoPacketKind.OTHER;
            }
            return new FlvTag(FlvTagType.VIDEO, timestampMs, payload, codec, fourCc, true, kind,
                FRAME_TYPE_KEY == frameType, compositionTime, -1, null, Map.of());
        }

        final int codecId = first & 0x0F;
        if (VideoCodec.LEGACY_CODEC_ID_AVC != codecId)
        {
            return new FlvTag(FlvTagType.VIDEO, timestampMs, payload, VideoCodec.OTHER, codecId, false,
                VideoPacketKind.CODED_FRAME, FRAME_TYPE_KEY == frameType, 0, -1, null, Map.of());
        }
        require(length >= 5, "AVC video message shorter than its 5-byte header");
        final int avcPacketType = payload.getUnsignedByte(at + 1);
        final VideoPacketKind kind = switch (avcPacketType)
        {
            case AVC_SEQUENCE_HEADER -> VideoPacketKind.SEQUENCE_HEADER;
            case AVC_NALU -> VideoPacketKind.CODED_FRAME;
            case AVC_END_OF_SEQUENCE -> VideoPacketKind.END_OF_SEQUENCE;
            default -> throw new RtmpProtocolException(RejectReason.FLV_MALFORMED,
                "AVCPacketType " + avcPacketType + " is not 0, 1 or 2");
        };
        return new FlvTag(FlvTagType.VIDEO, timestampMs, payload, VideoCodec.AVC, codecId, false, kind,
            FRAME_TYPE_KEY == frameType, payload.getMedium(at + 2), -1, null, Map.of());
    }

    /**
     * @param timestampMs the extended timestamp.
     * @param payload     the audio message body; not consumed, not released.
     * @return the tag, sharing {@code payload}.
     */
    public FlvTag audio(final long timestampMs, final ByteBuf payload)
    {
        final int length = payload.readableBytes();
        require(length >= 1, "empty audio message");
        final int soundFormat = payload.getUnsignedByte(payload.readerIndex()) >>> 4;
        AudioPacketKind kind = AudioPacketKind.RAW;
        if (FlvTag.SOUND_FORMAT_AAC == soundFormat)
        {
            require(length >= 2, "AAC audio message shorter than its 2-byte header");
            final int aacPacketType = payload.getUnsignedByte(payload.readerIndex() + 1);
            require(aacPacketType <= AAC_RAW, "AACPacketType " + aacPacketType + " is not 0 or 1");
            kind = AAC_SEQUENCE_HEADER == aacPacketType ? AudioPacketKind.SEQUENCE_HEADER : AudioPacketKind.RAW;
        }
        return new FlvTag(FlvTagType.AUDIO, timestampMs, payload, null, 0, false, null, false, 0, soundFormat, kind,
            Map.of());
    }

    /**
     * Parse an AMF0 data message; {@code @setDataFrame} is stripped so the tag body is what an FLV file holds.
     *
     * @param timestampMs the extended timestamp.
     * @param payload     the data message body; not released. Its reader index moves past {@code @setDataFrame}.
     * @return the script tag, sharing {@code payload}; metadata filled for onMetaData.
     */
    public FlvTag script(final long timestampMs, final ByteBuf payload)
    {
        final int start = payload.readerIndex();
        final List<Object> values = amfReader.readAll(payload.duplicate());
        int bodyStart = start;
        int nameIndex = 0;
        if (!values.isEmpty() && SET_DATA_FRAME.equals(values.get(0)))
        {
            final ByteBuf skip = payload.duplicate();
            amfReader.read(skip);
            bodyStart = skip.readerIndex();
            nameIndex = 1;
        }
        payload.readerIndex(bodyStart);
        Map<String, Object> metadata = Map.of();
        if (values.size() > nameIndex + 1 && ON_METADATA.equals(values.get(nameIndex)))
        {
            final Object value = values.get(nameIndex + 1);
            if (value instanceof Amf0EcmaArray array)
            {
                metadata = array.properties();
            }
            else if (value instanceof Map<?, ?> map)
            {
                @SuppressWarnings("unchecked") final Map<String, Object> properties = (Map<String, Object>)map;
                metadata = properties;
            }
        }
        return new FlvTag(FlvTagType.SCRIPT, timestampMs, payload, null, 0, false, null, false, 0, -1, null, metadata);
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new RtmpProtocolException(RejectReason.FLV_MALFORMED, message);
        }
    }
}
