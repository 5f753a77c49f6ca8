package io.bifrost.ingest.sink;

/**
 * Why a published stream ended.
 */
public enum StreamEndReason
{
    /** The publisher sent deleteStream, FCUnpublish or closeStream. */
    UNPUBLISHED,
    /** The connection closed without an unpublish (publisher killed, network loss, idle timeout). */
    DISCONNECTED,
    /** The connection was closed for bad input or a sink overflow. */
    PROTOCOL_ERROR,
    /** The server is shutting down. */
    SERVER_CLOSED,
    /** A sink ended the publish ({@link SinkDemand#abort}): e.g. the relay to the origin gave up. */
    ABORTED
}
