package io.bifrost.ingest.rtmp;

import java.util.Locale;

/**
 * Why the server refused input or closed a connection. Each value is one counter
 * ({@code bifrost.rtmp.rejected{reason=...}}) and appears in the one log line written for the event.
 */
public enum RejectReason
{
    /** C0 carried a version other than 3. */
    HANDSHAKE_VERSION,
    /** No complete handshake within the handshake timeout. */
    HANDSHAKE_TIMEOUT,
    /** No bytes from the peer within the idle timeout. */
    IDLE_TIMEOUT,
    /** A chunk header or protocol control message that breaks the chunk stream rules. */
    CHUNK_MALFORMED,
    /** A chunk size, message size, chunk stream count or reassembly total beyond the configured limits. */
    CHUNK_LIMIT,
    /** An AMF0 value that is malformed, of an unsupported type or beyond the AMF limits. */
    AMF_MALFORMED,
    /** An audio or video message too short for its FLV tag header. */
    FLV_MALFORMED,
    /** A command that is out of order or lacks its arguments. */
    COMMAND_INVALID,
    /** connect to an application other than the configured one. */
    APP_UNKNOWN,
    /** The stream key authorizer refused the key. */
    PUBLISH_DENIED,
    /** The key is already being published by another connection. */
    PUBLISH_DUPLICATE,
    /** Messages waiting for a paused sink went past the configured bound. */
    SINK_OVERFLOW,
    /**
     * A sink ended the publish ({@code SinkDemand#abort}: e.g. the relay to the origin gave up); the publisher was
     * told why ({@code onStatus NetStream.Failed}) and the connection closed.
     */
    SINK_ABORTED;

    /**
     * @return the lower-case, dash-separated tag value used in metrics and logs.
     */
    public String tag()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
