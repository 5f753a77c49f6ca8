package io.bifrost.ingest.rtmp.amf;

/**
 * Bounds on what the AMF0 reader accepts, so a hostile command never costs more than these.
 *
 * @param maxDepth        deepest nesting of objects and arrays (the top-level value is depth 1).
 * @param maxStringBytes  longest string, UTF-8 bytes (long strings included).
 * @param maxArrayLength  most entries of one object, ECMA array or strict array.
 * @param maxMessageBytes largest AMF0 message the reader parses at all, bytes.
 */
public record Amf0Limits(int maxDepth, int maxStringBytes, int maxArrayLength, int maxMessageBytes)
{
    /** Default nesting: 16 (real commands use 3). */
    public static final int DEFAULT_MAX_DEPTH = 16;
    /** Default string: 64 KiB. */
    public static final int DEFAULT_MAX_STRING_BYTES = 64 * 1024;
    /** Default entries: 1024. */
    public static final int DEFAULT_MAX_ARRAY_LENGTH = 1024;
    /** Default message: 256 KiB (metadata and commands are a few KiB). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;

    /**
     * @throws IllegalArgumentException when a bound is below 1.
     */
    public Amf0Limits
    {
        if (maxDepth < 1 || maxStringBytes < 1 || maxArrayLength < 1 || maxMessageBytes < 1)
        {
            throw new IllegalArgumentException("ingest.rtmp.amf limits must all be >= 1");
        }
    }

    /**
     * @return the defaults above.
     */
    public static Amf0Limits defaults()
    {
        return new Amf0Limits(
            DEFAULT_MAX_DEPTH, DEFAULT_MAX_STRING_BYTES, DEFAULT_MAX_ARRAY_LENGTH, DEFAULT_MAX_MESSAGE_BYTES);
    }
}
