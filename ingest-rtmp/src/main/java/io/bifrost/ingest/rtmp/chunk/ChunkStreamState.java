package io.bifrost.ingest.rtmp.chunk;

import io.netty.buffer.ByteBuf;

/**
 * What one chunk stream remembers between chunks (RTMP 1.0 section 5.3.1.2): the fields later header types omit,
 * and the message being reassembled. Event-loop confined.
 */
final class ChunkStreamState
{
    boolean initialised;
    /** Last timestamp field of a type 0-2 header (absolute for type 0, delta otherwise); reused by type 3. */
    long timestampField;
    /** Whether that header carried an extended timestamp, so type-3 chunks carry one too (section 5.3.1.3). */
    boolean extended;
    /** Timestamp of the current (or last) message, 32-bit unsigned. */
    long timestamp;
    int messageLength;
    int typeId;
    int messageStreamId;
    /** The message being reassembled, or null between messages. */
    ByteBuf partial;
}
