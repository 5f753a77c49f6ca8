package io.bifrost.ingest.rtmp.chunk;

/**
 * RTMP message type ids and the fixed chunk stream / user control numbers the server uses.
 */
public final class RtmpMessageType
{
    /** Set Chunk Size (RTMP 1.0 section 5.4.1). */
    public static final int SET_CHUNK_SIZE = 1;
    /** Abort Message (section 5.4.2). */
    public static final int ABORT = 2;
    /** Acknowledgement (section 5.4.3). */
    public static final int ACKNOWLEDGEMENT = 3;
    /** User Control Message (section 6.2, events in 7.1.7). */
    public static final int USER_CONTROL = 4;
    /** Window Acknowledgement Size (section 5.4.4). */
    public static final int WINDOW_ACK_SIZE = 5;
    /** Set Peer Bandwidth (section 5.4.5). */
    public static final int SET_PEER_BANDWIDTH = 6;
    /** Audio Message (section 7.1.4). */
    public static final int AUDIO = 8;
    /** Video Message (section 7.1.5). */
    public static final int VIDEO = 9;
    /** Data Message, AMF3 (section 7.1.2). */
    public static final int DATA_AMF3 = 15;
    /** Shared Object Message, AMF3 (section 7.1.3). */
    public static final int SHARED_OBJECT_AMF3 = 16;
    /** Command Message, AMF3 (section 7.1.1): one 0x00 format byte then AMF0. */
    public static final int COMMAND_AMF3 = 17;
    /** Data Message, AMF0 (section 7.1.2). */
    public static final int DATA_AMF0 = 18;
    /** Shared Object Message, AMF0 (section 7.1.3). */
    public static final int SHARED_OBJECT_AMF0 = 19;
    /** Command Message, AMF0 (section 7.1.1). */
    public static final int COMMAND_AMF0 = 20;
    /** Aggregate Message (section 7.1.6). */
    public static final int AGGREGATE = 22;

    /** Chunk stream id reserved for protocol control messages (section 5.4). */
    public static final int CSID_PROTOCOL_CONTROL = 2;
    /** Chunk stream id the server sends connection-level command replies on. */
    public static final int CSID_COMMAND = 3;
    /** Chunk stream id the server sends stream-level status messages on. */
    public static final int CSID_STREAM_STATUS = 5;

    /** User Control event Stream Begin (section 7.1.7). */
    public static final int UC_STREAM_BEGIN = 0;
    /** User Control event Stream EOF (section 7.1.7). */
    public static final int UC_STREAM_EOF = 1;
    /** User Control event SetBuffer Length (section 7.1.7). */
    public static final int UC_SET_BUFFER_LENGTH = 3;
    /** User Control event PingRequest (section 7.1.7). */
    public static final int UC_PING_REQUEST = 6;
    /** User Control event PingResponse (section 7.1.7). */
    public static final int UC_PING_RESPONSE = 7;

    /** Set Peer Bandwidth limit type Dynamic (section 5.4.5). */
    public static final int PEER_BANDWIDTH_DYNAMIC = 2;

    private RtmpMessageType()
    {
    }
}
