package io.bifrost.origin.live;

import java.nio.ByteBuffer;

/**
 * One LL-HLS part, the moment the packager completed it (mirrors the SBE {@code LivePart} message).
 *
 * @param streamId          stream id.
 * @param rendition         rendition name.
 * @param epoch             session epoch.
 * @param msn               media sequence number of its segment.
 * @param partIndex         0-based index within the segment.
 * @param programDateTimeMs wall-clock time of its first sample, epoch millis.
 * @param durationMicros    its duration.
 * @param independent       starts with an independent frame.
 * @param segmentEnd        last part of its segment.
 * @param discontinuity     first part after a discontinuity.
 * @param payload           moof + mdat bytes; read-only view, valid only during the listener call.
 */
public record LivePartEvent(
    String streamId,
    String rendition,
    long epoch,
    long msn,
    int partIndex,
    long programDateTimeMs,
    int durationMicros,
    boolean independent,
    boolean segmentEnd,
    boolean discontinuity,
    ByteBuffer payload)
{
}
