package io.bifrost.ingest.rtmp;

import io.bifrost.ingest.rtmp.amf.Amf0Limits;

/**
 * The bounds every RTMP connection is held to; nothing a peer sends makes the server allocate past them.
 * Immutable and shared by all connections of a server.
 *
 * @param maxChunkSize          largest Set Chunk Size accepted from a peer, bytes (the spec allows 2^31-1; we do not).
 * @param maxMessageSize        largest message length accepted in a chunk header, bytes.
 * @param maxChunkStreams       most chunk stream ids one connection may use.
 * @param maxReassemblyBytes    most bytes held in partly reassembled messages of one connection, all streams together.
 * @param maxPendingSinkBytes   most bytes of complete messages queued for a paused sink before the connection is closed.
 * @param amf                   bounds for AMF0 command and data messages.
 */
public record RtmpLimits(
    int maxChunkSize,
    int maxMessageSize,
    int maxChunkStreams,
    int maxReassemblyBytes,
    int maxPendingSinkBytes,
    Amf0Limits amf)
{
    /** Default largest accepted chunk size: 64 KiB. */
    public static final int DEFAULT_MAX_CHUNK_SIZE = 64 * 1024;
    /** Default largest message: 8 MiB (a 4K keyframe at a high bitrate fits). */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 8 * 1024 * 1024;
    /** Default chunk stream count per connection (ffmpeg and OBS use fewer than 10). */
    public static final int DEFAULT_MAX_CHUNK_STREAMS = 64;
    /** Default reassembly total: 16 MiB. */
    public static final int DEFAULT_MAX_REASSEMBLY_BYTES = 16 * 1024 * 1024;
    /** Default queue bound for a paused sink: 24 MiB (covers one maximal message plus what one read decodes). */
    public static final int DEFAULT_MAX_PENDING_SINK_BYTES = 24 * 1024 * 1024;

    /**
     * @return the defaults above.
     */
    public static RtmpLimits defaults()
    {
        return new RtmpLimits(
            DEFAULT_MAX_CHUNK_SIZE,
            DEFAULT_MAX_MESSAGE_SIZE,
            DEFAULT_MAX_CHUNK_STREAMS,
            DEFAULT_MAX_REASSEMBLY_BYTES,
            DEFAULT_MAX_PENDING_SINK_BYTES,
            Amf0Limits.defaults());
    }

    /**
     * @throws IllegalArgumentException naming the bound that is out of range.
     */
    public RtmpLimits
    {
        requireRange("maxChunkSize", maxChunkSize, 128, 0x7FFF_FFFF);
        requireRange("maxMessageSize", maxMessageSize, 1024, 0xFF_FFFF);
        requireRange("maxChunkStreams", maxChunkStreams, 1, 65_598);
        requireRange("maxReassemblyBytes", maxReassemblyBytes, maxMessageSize, Integer.MAX_VALUE);
        requireRange("maxPendingSinkBytes", maxPendingSinkBytes, maxMessageSize, Integer.MAX_VALUE);
        if (null == amf)
        {
            throw new IllegalArgumentException("ingest.rtmp.amf limits must be set");
        }
    }

    private static void requireRange(final String name, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(
                "ingest.rtmp." + name + " must be in [" + min + ", " + max + "], was " + value);
        }
    }
}
