package io.bifrost.ingest.rtmp.amf;

/**
 * The AMF0 values that carry no data.
 */
public enum Amf0Constant
{
    /** null (AMF0 section 2.7). */
    NULL,
    /** undefined (AMF0 section 2.8). */
    UNDEFINED
}
