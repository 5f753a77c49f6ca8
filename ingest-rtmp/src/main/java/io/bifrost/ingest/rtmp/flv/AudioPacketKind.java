package io.bifrost.ingest.rtmp.flv;

/**
 * What an audio tag carries (FLV spec annex E.4.2.1, AACPacketType).
 */
public enum AudioPacketKind
{
    /** AAC sequence header (AudioSpecificConfig). */
    SEQUENCE_HEADER,
    /** AAC raw frame, or a frame of any other sound format. */
    RAW
}
