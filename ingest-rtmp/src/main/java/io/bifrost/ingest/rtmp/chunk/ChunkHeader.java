package io.bifrost.ingest.rtmp.chunk;

/**
 * Numbers of the chunk format (RTMP 1.0 section 5.3), shared by the decoder and the encoder.
 */
final class ChunkHeader
{
    /** Chunk size both sides start with (section 5.4.1). */
    static final int DEFAULT_CHUNK_SIZE = 128;
    /** Type 0: 11-byte message header with an absolute timestamp (section 5.3.1.2.1). */
    static final int FMT_FULL = 0;
    /** Type 1: 7-byte header, timestamp delta, length and type; same stream id (section 5.3.1.2.2). */
    static final int FMT_NO_STREAM_ID = 1;
    /** Type 2: 3-byte header, timestamp delta only (section 5.3.1.2.3). */
    static final int FMT_DELTA_ONLY = 2;
    /** Type 3: no message header (section 5.3.1.2.4). */
    static final int FMT_CONTINUATION = 3;
    /** A 24-bit timestamp field with this value means a 4-byte extended timestamp follows (section 5.3.1.3). */
    static final int EXTENDED_TIMESTAMP_MARKER = 0xFF_FFFF;
    /** Lowest chunk stream id; 0 and 1 select the 2- and 3-byte basic headers (section 5.3.1.1). */
    static final int MIN_CHUNK_STREAM_ID = 2;
    /** Highest id of a 1-byte basic header. */
    static final int MAX_ONE_BYTE_CSID = 63;
    /** Highest id of a 2-byte basic header (64 + 255). */
    static final int MAX_TWO_BYTE_CSID = 319;
    /** Highest chunk stream id (3-byte basic header, 64 + 65535). */
    static final int MAX_CHUNK_STREAM_ID = 65_599;

    private ChunkHeader()
    {
    }

    static int messageHeaderLength(final int fmt)
    {
        return switch (fmt)
        {
            case FMT_FULL -> 11;
            case FMT_NO_STREAM_ID -> 7;
            case FMT_DELTA_ONLY -> 3;
            default -> 0;
        };
    }
}
