package io.bifrost.ingest.rtmp.amf;

/**
 * AMF0 type markers (AMF0 specification, section 2.1).
 */
public final class Amf0Type
{
    /** number-marker (section 2.2): IEEE 754 double, big-endian. */
    public static final int NUMBER = 0x00;
    /** boolean-marker (section 2.3). */
    public static final int BOOLEAN = 0x01;
    /** string-marker (section 2.4): u16 length + UTF-8. */
    public static final int STRING = 0x02;
    /** object-marker (section 2.5). */
    public static final int OBJECT = 0x03;
    /** movieclip-marker (section 2.6): reserved, not supported. */
    public static final int MOVIECLIP = 0x04;
    /** null-marker (section 2.7). */
    public static final int NULL = 0x05;
    /** undefined-marker (section 2.8). */
    public static final int UNDEFINED = 0x06;
    /** reference-marker (section 2.9): rejected, no client we serve needs it. */
    public static final int REFERENCE = 0x07;
    /** ecma-array-marker (section 2.10): u32 count hint + properties. */
    public static final int ECMA_ARRAY = 0x08;
    /** object-end-marker (section 2.11), after an empty property name. */
    public static final int OBJECT_END = 0x09;
    /** strict-array-marker (section 2.12): u32 count + values. */
    public static final int STRICT_ARRAY = 0x0A;
    /** date-marker (section 2.13): double ms since epoch + s16 time zone. */
    public static final int DATE = 0x0B;
    /** long-string-marker (section 2.14): u32 length + UTF-8. */
    public static final int LONG_STRING = 0x0C;
    /** unsupported-marker (section 2.15). */
    public static final int UNSUPPORTED = 0x0D;
    /** recordset-marker (section 2.16): reserved. */
    public static final int RECORDSET = 0x0E;
    /** xml-document-marker (section 2.17): not supported. */
    public static final int XML_DOCUMENT = 0x0F;
    /** typed-object-marker (section 2.18): not supported. */
    public static final int TYPED_OBJECT = 0x10;
    /** avmplus-object-marker (section 3.1): switch to AMF3, not supported. */
    public static final int AVMPLUS = 0x11;

    private Amf0Type()
    {
    }
}
