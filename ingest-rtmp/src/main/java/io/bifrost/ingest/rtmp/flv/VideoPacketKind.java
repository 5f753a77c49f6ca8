package io.bifrost.ingest.rtmp.flv;

/**
 * What a video tag carries: legacy AVCPacketType (FLV spec annex E.4.3.1) or E-RTMP PacketType.
 */
public enum VideoPacketKind
{
    /** Decoder configuration: AVC sequence header or E-RTMP SequenceStart. */
    SEQUENCE_HEADER,
    /** Coded frames: AVC NALU, E-RTMP CodedFrames or CodedFramesX, or a frame of a legacy non-AVC codec. */
    CODED_FRAME,
    /** End of sequence: AVC end of sequence or E-RTMP SequenceEnd. */
    END_OF_SEQUENCE,
    /** E-RTMP Metadata (e.g. HDR colour info) as AMF. */
    METADATA,
    /** Any other E-RTMP packet type (MPEG-2 TS sequence start, multitrack), passed through unparsed. */
    OTHER
}
