package io.bifrost.edge.live;

import io.bifrost.protocol.sbe.WindowKind;
import org.agrona.DirectBuffer;

/**
 * Receives the decoded messages of the live stream (origin to edges), already checked by {@link LiveMessageDecoder}:
 * names are valid stream ids and renditions, numbers are in range. Buffers are borrowed for the call only.
 */
public interface LiveMessageHandler
{
    /**
     * A part (CMAF chunk) of a rendition.
     *
     * @param streamId          stream id.
     * @param rendition         rendition name.
     * @param epoch             origin session epoch, &gt;= 0.
     * @param msn               media sequence number of its segment, &gt;= 0.
     * @param partIndex         index within the segment, 0..{@link io.bifrost.protocol.naming.ContentKey#MAX_PART}.
     * @param programDateTimeMs wall-clock time of its first sample.
     * @param durationMicros    duration, &gt;= 0.
     * @param flags             the raw PartFlags bits (see {@link LiveMessageDecoder#INDEPENDENT} and the others).
     * @param payload           the part's bytes (moof + mdat), valid during the call.
     * @param payloadOffset     where they start in {@code payload}.
     * @param payloadLength     how many.
     */
    void onPart(
        String streamId,
        String rendition,
        long epoch,
        long msn,
        int partIndex,
        long programDateTimeMs,
        int durationMicros,
        int flags,
        DirectBuffer payload,
        int payloadOffset,
        int payloadLength);

    /**
     * A rendition's playlist (full or delta), the master playlist, the MPD, or the end of the stream.
     *
     * @param streamId        stream id.
     * @param rendition       rendition name; empty for stream-wide kinds.
     * @param kind            what the body is.
     * @param window          the numeric window fields.
     * @param body            rendered text, valid during the call.
     * @param bodyOffset      where it starts.
     * @param bodyLength      how long it is.
     */
    void onWindow(
        String streamId,
        String rendition,
        WindowKind kind,
        LiveWindow window,
        DirectBuffer body,
        int bodyOffset,
        int bodyLength);
}
